"""Tasks defined in Python: any callable that returns one trial, or a neurogym
environment, normalised to what the core calls: ``f(seed) -> (inputs [T, I], targets
[T, O], mask [T, O])`` as float32 C-order arrays. The trainer hands each call a seed
from its own seeded stream, so a callable that uses it gives a reproducible run."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

import numpy as np

from . import _native


def _config_error(field: str, message: str) -> _native.ConfigError:
    error = _native.ConfigError(f"`{field}` {message}")
    error.field = field
    return error


def _takes_seed(function: Callable) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    return bool(positional)


def _as_f32(field: str, value: Any) -> np.ndarray:
    try:
        array = np.ascontiguousarray(value, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise _config_error(field, f"must be an array of numbers ({error})") from None
    if not np.all(np.isfinite(array)):
        raise _config_error(field, "must hold finite numbers")
    return array


def normalise_trial(trial: Any) -> tuple:
    """``(inputs, targets[, mask])`` → three float32 ``[T, ·]`` arrays; a 1-D target is
    one output, a missing mask scores everything, a ``[T]`` mask applies to every output."""
    if not isinstance(trial, (tuple, list)) or len(trial) not in (2, 3):
        raise _config_error(
            "task", f"must return (inputs, targets) or (inputs, targets, mask), but returned {type(trial).__name__}"
        )
    inputs = _as_f32("task inputs", trial[0])
    targets = _as_f32("task targets", trial[1])
    if inputs.ndim == 1:
        inputs = inputs[:, None]
    if targets.ndim == 1:
        targets = targets[:, None]
    if inputs.ndim != 2 or targets.ndim != 2:
        raise _config_error("task inputs", f"must be [T, I] and targets [T, O], but are {inputs.shape} and {targets.shape}")
    if inputs.shape[0] != targets.shape[0] or inputs.shape[0] == 0:
        raise _config_error(
            "task targets", f"must have the inputs' T > 0 steps, but inputs are {inputs.shape} and targets {targets.shape}"
        )
    mask = None if len(trial) == 2 else trial[2]
    if mask is None:
        mask = np.ones_like(targets)
    else:
        mask = _as_f32("task mask", mask)
        if mask.ndim == 1:
            mask = mask[:, None]
        try:
            mask = np.ascontiguousarray(np.broadcast_to(mask, targets.shape), dtype=np.float32)
        except ValueError:
            raise _config_error("task mask", f"must be [T] or [T, O] = {targets.shape}, but is {mask.shape}") from None
    return inputs, targets, mask


class PythonTask:
    """A task from ``function(seed) -> (inputs [T, I], targets [T, O], mask)`` (or a
    function of no argument). ``score``: "argmax" (default for several outputs: the
    output's arg-max matches the target's on scored steps), "sign" (default for one
    output) or "tolerance"."""

    def __init__(
        self,
        function: Callable,
        *,
        id: str = "python",
        name: Optional[str] = None,
        dt_ms: float = 20.0,
        score: Optional[str] = None,
    ):
        if not callable(function):
            raise _config_error("task", f"must be callable, but is {type(function).__name__}")
        takes_seed = _takes_seed(function)
        raw = function

        def draw(seed: int):
            return normalise_trial(raw(seed) if takes_seed else raw())

        inputs, targets, _ = draw(0)
        self.n_inputs, self.n_outputs = inputs.shape[1], targets.shape[1]
        self.id, self.name, self.dt_ms = id, name or getattr(function, "__name__", id), float(dt_ms)
        self.score = score or ("argmax" if self.n_outputs > 1 else "sign")
        self.function = draw

    def spec(self) -> dict:
        """The core's task spec."""
        return {
            "id": self.id,
            "name": self.name,
            "paper": "",
            "n_inputs": self.n_inputs,
            "n_outputs": self.n_outputs,
            "dt_ms": self.dt_ms,
        }

    def __call__(self, seed: int = 0) -> tuple:
        return self.function(seed)


def from_callable(function: Callable, **options) -> PythonTask:
    """:class:`PythonTask` of ``function`` (see there for ``options``)."""
    return PythonTask(function, **options)


def from_neurogym(env: Any, scored: str = "all", **options) -> PythonTask:
    """A neurogym environment (``ngym.make(...)`` or a ``TrialEnv``) as a task: each trial
    seeds the environment's generator with the trainer's seed, calls ``new_trial()`` and
    takes ``ob`` as inputs and ``gt`` as one-hot targets over the actions, scored by
    arg-max. ``scored``: "all" steps (neurogym's supervised setting) or only the
    "decision" steps (``gt != 0``: the response, not the fixation)."""
    if scored not in ("all", "decision"):
        raise _config_error("scored", f'must be "all" or "decision", but is {scored!r}')
    base = getattr(env, "unwrapped", env)
    if not hasattr(base, "new_trial"):
        raise _config_error("task", f"must be a neurogym environment with new_trial(), but is {type(env).__name__}")
    n_actions = int(base.action_space.n)

    def trial(seed: int):
        base.seed(int(seed))
        base.new_trial()
        ob = np.asarray(base.ob, dtype=np.float32).reshape(len(base.ob), -1)
        gt = np.asarray(base.gt, dtype=np.int64).reshape(-1)
        targets = np.zeros((len(gt), n_actions), dtype=np.float32)
        targets[np.arange(len(gt)), gt] = 1.0
        mask = np.ones_like(targets)
        if scored == "decision":
            mask[gt == 0] = 0.0
        return ob, targets, mask

    options.setdefault("id", f"neurogym-{type(base).__name__}")
    options.setdefault("name", type(base).__name__)
    options.setdefault("dt_ms", float(getattr(base, "dt", 20.0)))
    options.setdefault("score", "argmax")
    return PythonTask(trial, **options)


def as_task(task: Any) -> PythonTask:
    """A :class:`PythonTask`, a neurogym environment or a callable, as a PythonTask."""
    if isinstance(task, PythonTask):
        return task
    if hasattr(getattr(task, "unwrapped", task), "new_trial"):
        return from_neurogym(task)
    return from_callable(task)

"""``Session``: one training run over the core's ``Session`` (the path ``srnn train``
and the page use), so the same run description gives the same weights."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, Callable, Optional, Union

from . import _native
from .tasks import PythonTask, as_task

RunDescription = Union[dict, str]


def run_json(run: RunDescription) -> str:
    """A run description (dict or JSON text) as JSON text; errors name ``run``."""
    if isinstance(run, str):
        try:
            json.loads(run)
        except ValueError as error:
            raise _config_error("run", f"must be a run description in JSON ({error})") from None
        return run
    if isinstance(run, dict):
        try:
            return json.dumps(run, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise _config_error("run", f"must hold only JSON values ({error})") from None
    raise _config_error("run", f"must be a dict or a JSON string, but is {type(run).__name__}")


def _config_error(field: str, message: str) -> _native.ConfigError:
    error = _native.ConfigError(f"`{field}` {message}")
    error.field = field
    return error


def _progress_bar(total: int, enabled: Optional[bool]):
    """A tqdm bar when tqdm is installed and stderr is a terminal (or ``enabled``)."""
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="step")


class Session:
    """One training run.

    ``run``: a run description ``{"network": ..., "train": ..., "task": {"id": ...},
    "rule": ...}`` as a dict or JSON text (the page's and ``srnn train``'s format).
    ``task``: optional Python-defined task instead of the description's ``task`` section:
    a callable ``f(seed) -> (inputs [T, I], targets [T, O], mask)``, a neurogym
    environment, or a :class:`PythonTask`. ``score`` overrides how such a task is scored
    ("argmax", "sign" or "tolerance" with ``tolerance``). ``threads``: training threads
    (default every core, as ``srnn train``).

    Bad input raises :class:`ConfigError` (a ``ValueError``) naming the field.
    """

    def __init__(
        self,
        run: RunDescription,
        task: Any = None,
        *,
        score: Optional[str] = None,
        tolerance: float = 0.1,
        threads: Optional[int] = None,
    ):
        text = run_json(run)
        self.task: Optional[PythonTask] = None
        if task is None:
            self._native = _native.Session(text, None, threads)
        else:
            self.task = as_task(task)
            spec = json.dumps(self.task.spec())
            native_task = (self.task.function, spec, score or self.task.score, float(tolerance))
            self._native = _native.Session(text, native_task, threads)

    @property
    def step(self) -> int:
        """Training steps done."""
        return self._native.step

    @property
    def run(self) -> dict:
        """The run description."""
        return json.loads(self._native.run_json)

    @property
    def task_spec(self) -> dict:
        """The task's id, name, paper, ``n_inputs``, ``n_outputs`` and ``dt_ms``."""
        return json.loads(self._native.task_spec_json)

    @property
    def loss_history(self):
        """Training loss of every step (NumPy float32 array)."""
        return self._native.loss_history

    def train(
        self,
        steps: int,
        until_mean: Optional[float] = None,
        *,
        eval_every: int = 100,
        eval_trials: int = 512,
        per_task_trials: Optional[int] = None,
        progress: Optional[bool] = None,
        callback: Optional[Callable[[dict], None]] = None,
    ) -> list:
        """Train ``steps`` steps (the GIL is released while the core trains), evaluating
        every ``eval_every`` steps and after the last, as ``srnn train``; returns the
        evaluation records (``step``, ``train_loss``, ``eval_loss``, ``performance``,
        ``late_performance``, ``per_task``, ``mean_per_task``, ``seconds``).

        ``until_mean``: stop at the first evaluation whose mean per-task score (the
        accuracy of a single task) reaches it, each task scored on ``per_task_trials``
        (512 unless given), as ``srnn train --until-mean``. ``progress``: a tqdm bar
        (default: when stderr is a terminal); ``callback`` gets every record.
        """
        steps = _positive("steps", steps)
        eval_every = _positive("eval_every", eval_every)
        eval_trials = _positive("eval_trials", eval_trials)
        if until_mean is not None:
            if not 0 < float(until_mean) <= 1:
                raise _config_error("until_mean", f"must be in (0, 1], but is {until_mean}")
            per_task_trials = per_task_trials or 512
        if per_task_trials is not None:
            per_task_trials = _positive("per_task_trials", per_task_trials)
        first = self.step + 1
        last = first + steps - 1
        eval_every = min(eval_every, last) if until_mean is not None else eval_every
        bar = _progress_bar(steps, progress)
        records = []
        started = time.perf_counter()
        chunk_cap = max(1, steps // 100)
        step = self.step
        try:
            while step < last:
                to_eval = eval_every - step % eval_every
                chunk = min(last - step, to_eval, chunk_cap)
                step, loss, _ = self._native.train_chunk(chunk)
                if bar is not None:
                    bar.update(chunk)
                    bar.set_postfix_str(f"loss {loss:.4f}")
                if step % eval_every == 0 or step == last:
                    result = self.evaluate(eval_trials, per_task_trials)
                    per_task = {s["task"]: s["score"] for s in result["per_task"] or []}
                    scores = list(per_task.values()) or [result["accuracy"]]
                    mean = sum(scores) / len(scores)
                    record = {
                        "step": step,
                        "train_loss": loss,
                        "mean_per_task": mean if per_task else None,
                        "eval_loss": result["loss"],
                        "performance": result["accuracy"],
                        "late_performance": result["late_accuracy"],
                        "per_task": per_task,
                        "seconds": time.perf_counter() - started,
                    }
                    records.append(record)
                    if callback is not None:
                        callback(record)
                    if until_mean is not None and mean >= until_mean:
                        break
        finally:
            if bar is not None:
                bar.close()
        return records

    def evaluate(self, n_trials: int = 512, per_task_trials: Optional[int] = None) -> dict:
        """Evaluate on the fixed evaluation trials: ``loss``, ``accuracy``,
        ``late_accuracy`` (persistence test, or None) and ``per_task`` (mixtures)."""
        return json.loads(self._native.evaluate_json(n_trials, per_task_trials))

    def weights(self) -> dict:
        """The network as NumPy arrays under the ``.npz`` export's keys: ``W_in`` [N, I],
        ``W_rec`` [N, N] (effective: mask and Dale signs applied), ``W_out`` [O, N],
        ``b_rec``, ``b_out``, ``Connectivity_rec``, ``Dale_rec``, ``dale_signs``,
        ``init_state``, ``alpha`` and ``config`` (JSON text)."""
        return self._native.weights()

    def set_weights(self, weights: dict) -> None:
        """Set ``W_in``, ``W_rec``, ``W_out`` and/or ``b_rec`` (as :meth:`weights` gives
        them; the derived keys are ignored). Entries off the connectivity mask must be 0
        and, with Dale's law, ``W_rec`` must keep each presynaptic neuron's sign."""
        if not isinstance(weights, dict):
            raise _config_error("weights", f"must be a dict of arrays, but is {type(weights).__name__}")
        self._native.set_weights(weights)

    def trial(self, seed: Optional[int] = None) -> dict:
        """One trial in neurogym's form: ``ob`` [T, I], ``gt`` (int actions [T] for the
        Yang / Mod-Cog layout, else None), plus ``targets``, ``mask`` [T, O] and
        ``periods``. Default seed: the trial the page plots."""
        return self._native.trial(seed)

    def save_model(self, path: Optional[str] = None) -> str:
        """The model file (the page's "Save model" JSON); written to ``path`` if given."""
        text = self._native.model_text()
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def export_npz(self, path: str) -> None:
        """Write the ``.npz`` export ``srnn train --npz`` writes."""
        with open(path, "wb") as f:
            f.write(bytes(self._native.npz_bytes()))

    def __repr__(self) -> str:
        spec = self.task_spec
        return f"<sparse_rnn_lab.Session task={spec['id']!r} step={self.step}>"


def _positive(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _config_error(field, f"must be a positive integer, but is {value!r}")
    return value


def task_catalog() -> list:
    """Every registry task: ``{"id", "name", "paper", "family"}``."""
    return json.loads(_native.task_catalog_json())


def reproduce(paper: str, quick: bool = True) -> list:
    """Reproduce the claims of ``paper`` (e.g. ``"turcu"``; ``"all"``) and return them as
    dicts (``claim``, ``paper_value``, ``ours``, ``holds``, ...), as ``srnn reproduce``."""
    return json.loads(_native.reproduce_json(paper, quick))

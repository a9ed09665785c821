"""``Lab``: the web page's trainer (``<srnn-widget>``) as a Jupyter widget (anywidget), for
JupyterLab, Notebook 7, VS Code and Colab. Training runs in the widget's Web Worker in the
browser (the kernel never blocks); the run description, progress and the trained model
are traitlets, so Python sees them live."""

from __future__ import annotations

import html
import json
import pathlib
from typing import Optional

import anywidget
import traitlets

from . import _native
from .session import run_json

CDN_WIDGET = "https://cdn.jsdelivr.net/npm/sparse-rnn-lab@0.1.0/widget.js"
BUNDLE = pathlib.Path(__file__).parent / "static" / "lab.js"


def _bundle() -> pathlib.Path:
    if not BUNDLE.exists():
        raise FileNotFoundError(
            f"{BUNDLE} is missing: this build of sparse_rnn_lab has no widget bundle "
            "(build it with scripts/python-widget.sh, then rebuild the wheel)"
        )
    return BUNDLE


class Lab(anywidget.AnyWidget):
    """The page's trainer in a notebook output cell.

    ``Lab(preset="turcu")`` (a preset of the page: turcu, khona, jarne, rules, ...) or
    ``Lab(run={...})`` (a run description); ``steps`` stops training there (default: the
    preset's); ``autoplay`` starts at once; ``plots`` lists the canvases (trial, loss,
    accuracy, output, activity, weights, perTask, eigen, degradation, pca).

    Live traitlets: ``step``, ``loss``, ``accuracy``, ``state`` (loading, ready, training,
    paused, done, error) and ``error``; ``run`` is filled from the preset once shown, and
    setting it rebuilds the network. ``train()``, ``pause()``, ``reset()`` press the
    buttons; ``model()`` returns the trained network as NumPy arrays (after "done" or a
    pause). Every view of one ``Lab`` trains on its own: display it once.
    """

    _esm = traitlets.Unicode().tag(sync=True)
    preset = traitlets.Unicode("turcu").tag(sync=True)
    run = traitlets.Dict().tag(sync=True)
    steps = traitlets.Int(None, allow_none=True).tag(sync=True)
    plots = traitlets.Unicode("trial,loss").tag(sync=True)
    autoplay = traitlets.Bool(False).tag(sync=True)
    step = traitlets.Int(0).tag(sync=True)
    loss = traitlets.Float(None, allow_none=True).tag(sync=True)
    accuracy = traitlets.Float(None, allow_none=True).tag(sync=True)
    state = traitlets.Unicode("loading").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    _model = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        preset: str = "turcu",
        *,
        run: Optional[dict] = None,
        steps: Optional[int] = None,
        autoplay: bool = False,
        plots: str = "trial,loss",
        **kwargs,
    ):
        if run is not None:
            run = json.loads(run_json(run))  # checked: a dict or JSON text
        super().__init__(
            _esm=_bundle().read_text(encoding="utf-8"),
            preset=preset,
            run=run or {},
            steps=steps,
            autoplay=autoplay,
            plots=plots,
            **kwargs,
        )

    def train(self) -> None:
        """Start (or continue) training in the browser."""
        self.send({"cmd": "train"})

    def pause(self) -> None:
        """Pause; the model so far reaches ``model()``."""
        self.send({"cmd": "pause"})

    def reset(self) -> None:
        """Rebuild a fresh network from ``run``."""
        self.send({"cmd": "reset"})

    def embed_html(self, widget_url: str = CDN_WIDGET) -> str:
        """The widget for a static page (MkDocs, Jupyter Book, Sphinx, plain HTML): the
        npm package's ``<srnn-widget>`` with this Lab's run description and step limit,
        loading ``widget_url`` (default: the package on jsDelivr)."""
        run = html.escape(json.dumps(self.run or {}), quote=True)
        steps = f' steps="{self.steps}"' if self.steps else ""
        attributes = f'config="{run}"' if self.run else f'preset="{html.escape(self.preset)}"'
        return (
            f'<script type="module" src="{html.escape(widget_url)}"></script>\n'
            f'<srnn-widget {attributes}{steps} plots="{html.escape(self.plots)}"></srnn-widget>'
        )

    def model_text(self) -> str:
        """The trained model file (the page's "Save model" JSON)."""
        if not self._model:
            raise _native.SrnnError("no model yet: the widget sends it when training is done or paused")
        return self._model

    def model(self) -> dict:
        """The trained network as NumPy arrays under the ``.npz`` export's keys (``W_in``,
        ``W_rec``, ``W_out``, ``b_rec``, ``Connectivity_rec``, ``dale_signs``, ...,
        ``config``)."""
        arrays = _native.model_arrays(self.model_text())
        config = json.loads(arrays["config"])
        config["run"] = self.run
        arrays["config"] = json.dumps(config)
        return arrays

"""Sparse RNN Lab from Python: the native Rust core (the one ``srnn train`` and the web
page train through) and the browser trainer as a Jupyter widget.

>>> from sparse_rnn_lab import Session
>>> s = Session({"task": {"id": "jl-xor"}, "network": {"n_neurons": 50}})
>>> s.train(200)                       # GIL released, progress bar on a terminal
>>> s.evaluate()["accuracy"]
>>> W = s.weights()["W_rec"]           # NumPy, the .npz export's keys

``Lab(preset="turcu")`` shows the page's trainer in a notebook (see ``docs/python.md``).
"""

from ._native import ConfigError, SrnnError, kernel_flavour
from .session import Session, reproduce, task_catalog
from .tasks import PythonTask, from_callable, from_neurogym

__all__ = [
    "ConfigError",
    "Lab",
    "PythonTask",
    "Session",
    "SrnnError",
    "from_callable",
    "from_neurogym",
    "kernel_flavour",
    "reproduce",
    "task_catalog",
]


def __getattr__(name):
    # the widget imports anywidget/ipywidgets: only when asked for
    if name == "Lab":
        from .widget import Lab

        return Lab
    raise AttributeError(f"module 'sparse_rnn_lab' has no attribute {name!r}")

"""The notebook widget in a real JupyterLab: start JupyterLab (headless, on 127.0.0.1),
write a notebook whose first cell shows ``Lab(preset="turcu", steps=40, autoplay=True)``,
and let ``jupyter_widget.mjs`` open it in headless Chromium, run the first cell, wait
for the widget to train 40 steps in its Web Worker, then run the second cell, in which
the kernel prints what it sees: the traitlet ``step``, the state, ``lab.model()``'s
arrays, and whether they equal a native ``Session`` trained 40 steps on the same run.

    python jupyter_widget.py <repo root>

Prints ``jupyter-widget: N passed, M failed`` last; exit status 1 on failure.
"""

import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CELLS = [
    "from sparse_rnn_lab import Lab\nlab = Lab(preset='turcu', steps=40, autoplay=True, plots='trial,loss')\nlab",
    "import numpy as np, json\n"
    "from sparse_rnn_lab import Session\n"
    "m = lab.model()\n"
    "native = Session(lab.run)\n"
    "native.train(40, progress=False)\n"
    "same = all(np.array_equal(m[k], native.weights()[k]) for k in ['W_in', 'W_rec', 'W_out', 'b_rec'])\n"
    "print('KERNEL ' + json.dumps({'step': lab.step, 'state': lab.state, 'loss': lab.loss, "
    "'accuracy': lab.accuracy, 'W_rec': list(m['W_rec'].shape), "
    "'steps_done': json.loads(m['config'])['steps_done'], 'n': lab.run['network']['n_neurons'], "
    "'bit_identical': bool(same)}))",
]


def notebook(cells):
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": src}
            for i, src in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url, server, timeout_s=300):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"jupyter lab did not answer {url} within {timeout_s} s")


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    work = pathlib.Path(tempfile.mkdtemp(prefix="srnn-jupyter-"))
    (work / "lab.ipynb").write_text(json.dumps(notebook(CELLS)))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_RUNTIME_DIR": str(work / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}", "--expose-app-in-browser", "--allow-root",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=work, env=env, stdout=open(work / "server.log", "w"), stderr=subprocess.STDOUT,
    )
    passed = failed = 0
    try:
        started = time.monotonic()
        wait_for_server(f"http://127.0.0.1:{port}/api/status?token={token}", server)
        print(f"jupyter lab up after {time.monotonic() - started:.1f} s", flush=True)
        url = f"http://127.0.0.1:{port}/lab/tree/lab.ipynb?token={token}"
        result = subprocess.run(
            ["node", str(root / "python/tests/jupyter/jupyter_widget.mjs"), url],
            cwd=root, capture_output=True, text=True, timeout=480,
        )
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        lines = [l for l in result.stdout.splitlines() if l.startswith("KERNEL ")]
        seen = json.loads(lines[-1][len("KERNEL "):]) if lines else {}
        checks = {
            "the browser drove the notebook": result.returncode == 0,
            "the kernel sees step == 40": seen.get("step") == 40,
            "the kernel sees state == done": seen.get("state") == "done",
            "lab.model() holds the trained network": seen.get("steps_done") == 40 and seen.get("W_rec") == [seen.get("n")] * 2,
            "the widget's weights equal a native Session's": seen.get("bit_identical") is True,
        }
        for name, ok in checks.items():
            print(f"{'ok' if ok else 'FAILED'}: {name}")
            passed += ok
            failed += not ok
    except (OSError, RuntimeError, subprocess.SubprocessError, ValueError) as error:
        print(f"FAILED: {error}")
        failed += 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        if failed:
            print((work / "server.log").read_text()[-4000:])
    print(f"jupyter-widget: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

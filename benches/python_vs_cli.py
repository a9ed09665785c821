"""Python API vs `srnn train`: ms per training step on the same run descriptions, both
sides in this one run on this machine (the two alternate, `--repeats` times each).

    python benches/python_vs_cli.py --srnn target/release/srnn [--steps 200] [--repeats 3]

Needs the `sparse_rnn_lab` wheel installed in the running Python (scripts/python-wheel.sh
release installs the LTO build into target/py-venv; compare it with the release `srnn`, the
same profile). Each side trains the preset's run description (`examples/presets/<id>.json`) from scratch for `--steps`
steps with one evaluation at the end (`eval_every = steps`, 64 evaluation trials), on one
thread; the table prints the median and range of ms per step and the ratio of medians.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time

import sparse_rnn_lab as srnn

PRESETS = ["turcu", "jarne", "yang"]


def time_cli(binary: str, run: dict, steps: int) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(run, f)
        path = f.name
    started = time.perf_counter()
    subprocess.run(
        [binary, "train", "--config", path, "--steps", str(steps), "--eval-every", str(steps),
         "--eval-trials", "64", "--threads", "1", "--quiet"],
        check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_python(run: dict, steps: int) -> float:
    started = time.perf_counter()
    session = srnn.Session(run, threads=1)
    session.train(steps, eval_every=steps, eval_trials=64, progress=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--srnn", required=True, help="the srnn binary (release profile)")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--presets", default=",".join(PRESETS))
    args = parser.parse_args()
    print(f"{'preset':<8} {'steps':>6} {'srnn train ms/step':>22} {'Python ms/step':>22} {'Python/CLI':>11}")
    for preset in args.presets.split(","):
        # the preset's run description as `lab::presets` writes it (tests/presets.rs checks)
        with open(f"examples/presets/{preset}.json") as f:
            run = json.load(f)
        cli, py = [], []
        for _ in range(args.repeats):
            cli.append(1e3 * time_cli(args.srnn, run, args.steps) / args.steps)
            py.append(1e3 * time_python(run, args.steps) / args.steps)
        fmt = lambda xs: f"{statistics.median(xs):8.2f} ({min(xs):.2f}–{max(xs):.2f})"
        print(f"{preset:<8} {args.steps:>6} {fmt(cli):>22} {fmt(py):>22} "
              f"{statistics.median(py) / statistics.median(cli):>10.2f}×", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

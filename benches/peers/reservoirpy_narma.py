"""reservoirpy on NARMA-10, measured the way `lab::reservoir::narma10` measures ours.

    /work/notes/venv-reservoir/bin/python benches/peers/reservoirpy_narma.py [--seeds 1,2,3,4,5] [--json OUT]

The series is the classic NARMA-10 (Atiya & Parlos 2000), the recurrence of
`tasks::timeseries::narma10_series`:
    y[t+1] = 0.3 y[t] + 0.05 y[t] sum_{i=0..9} y[t-i] + 1.5 u[t-9] u[t] + 0.1,  u ~ U[0, 0.5].
(reservoirpy's own `datasets.narma(order=10, a1=0.3, a2=0.05, b=1.5, c=0.1)` sums
y[t-10..t-1] and uses u[t-10]: a one-step-shifted variant, so the classic one is written
out here; the script prints how far the two differ on the same u.)

Protocol: a 100-step lead-in is dropped; the readout (`Ridge(ridge, fit_bias=False)`) is
fitted on one series of `train` steps (input u[t], target y[t+1], first `warmup` states
discarded), and tested on a fresh series of `warmup + test` steps from the zero state
(first `warmup` states discarded): NRMSE = sqrt(sum (p-y)^2 / sum (y-mean)^2).
ESN: `Reservoir(units, lr, sr, input_scaling, rc_connectivity, input_connectivity,
bias=0, seed)`, one draw per seed (reservoirpy's own generator).
"""

import argparse
import json

import numpy as np
import reservoirpy as rpy
from reservoirpy.datasets import narma
from reservoirpy.nodes import Reservoir, Ridge

# the settings of src/lab/claims/reservoir.rs::narma_esn
ESN = dict(units=200, lr=1.0, sr=0.9, input_scaling=1.0, rc_connectivity=0.1,
           input_connectivity=0.1)
RIDGE, WARMUP, TRAIN, TEST, LEAD = 1e-6, 100, 2000, 1000, 100


def narma10(n, rng):
    u = rng.uniform(0.0, 0.5, size=n)
    y = np.zeros(n)
    for t in range(9, n - 1):
        y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * y[t - 9 : t + 1].sum() + 1.5 * u[t - 9] * u[t] + 0.1
    return u, y


def window(n, rng):
    u, y = narma10(LEAD + n + 1, rng)
    return u[LEAD : LEAD + n].reshape(-1, 1), y[LEAD + 1 : LEAD + n + 1].reshape(-1, 1)


def nrmse(p, y):
    p, y = np.ravel(p), np.ravel(y)
    return float(np.sqrt(np.sum((p - y) ** 2) / np.sum((y - y.mean()) ** 2)))


def run(seed):
    rng = np.random.default_rng(seed)
    make = lambda: Reservoir(ESN["units"], lr=ESN["lr"], sr=ESN["sr"],
                             input_scaling=ESN["input_scaling"],
                             rc_connectivity=ESN["rc_connectivity"],
                             input_connectivity=ESN["input_connectivity"],
                             bias=0.0, seed=seed)
    u, y = window(TRAIN, rng)
    states = make().run(u)
    readout = Ridge(ridge=RIDGE, fit_bias=False)
    readout.fit(states[WARMUP:], y[WARMUP:])
    u, y = window(WARMUP + TEST, rng)
    states = make().run(u)
    return nrmse(readout.run(states[WARMUP:]), y[WARMUP:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--json")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    u = np.random.default_rng(0).uniform(0, 0.5, size=(2010, 1))
    _, theirs = narma(2000, order=10, a1=0.3, a2=0.05, b=1.5, c=0.1, u=u)
    _, classic = narma10(2010, np.random.default_rng(0))
    variant_gap = float(np.max(np.abs(theirs.ravel()[200:] - classic[210:])))
    rows = [{"seed": s, "nrmse_test": run(s)} for s in seeds]
    values = [r["nrmse_test"] for r in rows]
    med = float(np.median(values))
    result = {"reservoirpy_version": rpy.__version__, "esn": ESN, "ridge": RIDGE,
              "warmup": WARMUP, "train": TRAIN, "test": TEST, "draws": rows,
              "median": med, "spread": float(max(abs(v - med) for v in values)),
              "reservoirpy_narma_order10_vs_classic_max_abs_diff": variant_gap}
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()

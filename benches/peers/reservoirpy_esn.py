"""reservoirpy beside sparse_rnn_lab's echo-state networks, in one run.

    python benches/peers/reservoirpy_esn.py [--sizes 100,300,1000 --steps 10000] [--json OUT]

Runs `cargo bench --bench reservoir -- --out DIR` (our network, weights, states, ridge
readout, numbers and timings), then reservoirpy (pip install reservoirpy) on:

1. the Mackey-Glass series: reservoirpy's `mackey_glass(history=np.full(17, 1.2))`
   against ours (max |difference| over the train + test steps);
2. the *same* ESN (our W, W_in, bias, lr loaded into `Reservoir`) with
   `Ridge(ridge, fit_bias=False)`, on the shared protocol of
   `src/lab/reservoir.rs::mackey_glass`: fit on [0, train) after `warmup`, test on the
   held-out window (zero state, `warmup` discarded), closed-loop generation;
3. five independently drawn ESNs with the same hyper-parameters in each library
   (reservoirpy `Reservoir(units, lr, sr, input_scaling, rc_connectivity,
   input_connectivity, seed)`): median NRMSE;
4. equality: the same ESN's states on the training window (ours in f32, reservoirpy's in
   f64: max |difference|), and reservoirpy's `Ridge` fitted on *our* states against our
   f64 ridge solve (max |difference| of W_out and of the predictions);
5. speed: states of a reservoir of each size on `steps` Mackey-Glass steps and the ridge
   fit, against our native numbers from the same run; printed as a table.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import reservoirpy as rpy
from reservoirpy.datasets import mackey_glass
from reservoirpy.nodes import Reservoir, Ridge



def nrmse(pred, target):
    pred, target = np.ravel(pred), np.ravel(target)
    return float(np.sqrt(np.sum((pred - target) ** 2) / np.sum((target - target.mean()) ** 2)))


def dense(m):
    a = np.zeros((m["rows"], m["cols"]))
    for r, c, v in m["entries"]:
        a[r, c] = v
    return a


def protocol(make_reservoir, series, ridge, warmup, train, test, generate):
    """NRMSE of the held-out prediction and of closed-loop generation (shared protocol)."""
    x = series.reshape(-1, 1)
    reservoir = make_reservoir()
    states = reservoir.run(x[:train])
    readout = Ridge(ridge=ridge, fit_bias=False)
    readout.fit(states[warmup:], x[warmup + 1 : train + 1])
    start = train - warmup
    reservoir = make_reservoir()
    states = reservoir.run(x[start : train + test])
    pred = readout.run(states[warmup:])
    test_nrmse = nrmse(pred, x[train + 1 : train + test + 1])
    # generation: warm on x[start:train] from the zero state, then feed outputs back
    reservoir = make_reservoir()
    warm = reservoir.run(x[start:train])
    y = readout.run(warm[-1:])[0]
    out = []
    for _ in range(generate):
        out.append(float(y[0]))
        y = readout.run(reservoir.step(y.reshape(1)).reshape(1, -1))[0]
    gen_nrmse = nrmse(np.array(out), series[train : train + generate])
    return test_nrmse, gen_nrmse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--rust-dir", help="reuse an existing esn.json directory")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out_dir = args.rust_dir or tempfile.mkdtemp(prefix="esn-peer-")
    if not args.rust_dir:
        cmd = ["cargo", "bench", "--bench", "reservoir", "--", "--out", out_dir,
               "--sizes", args.sizes, "--steps", str(args.steps)]
        subprocess.run(cmd, cwd=root, check=True, stdout=sys.stderr)
    with open(os.path.join(out_dir, "esn.json")) as f:
        rust = json.load(f)

    train, test, warmup = rust["train"], rust["test"], rust["warmup"]
    generate, ridge, esn = rust["generate"], rust["ridge"], rust["esn"]
    ours_series = np.array(rust["series"])
    theirs_series = mackey_glass(len(ours_series), history=np.full(17, 1.2)).ravel()
    series_diff = float(np.max(np.abs(ours_series - theirs_series)))

    w = rust["weights"]
    W, Win, bias, lr = dense(w["W"]), dense(w["Win"]), np.array(w["bias"]), float(w["lr"])

    def same():
        return Reservoir(W=W.copy(), Win=Win.copy(), bias=bias.copy(), lr=lr)

    same_test, same_gen = protocol(same, ours_series, ridge, warmup, train, test, generate)

    seeds = []
    for s in rust["ours_seeds"]:
        def drawn(seed=s["seed"]):
            return Reservoir(esn["units"], lr=esn["lr"], sr=esn["sr"],
                             input_scaling=esn["input_scaling"],
                             rc_connectivity=esn["rc_connectivity"],
                             input_connectivity=esn["input_connectivity"], seed=seed)
        t, g = protocol(drawn, ours_series, ridge, warmup, train, test, generate)
        seeds.append({"seed": s["seed"], "nrmse_test": t, "nrmse_generation": g})

    # equality: states of the same ESN, and Ridge on the same samples
    cmp = rust["compare"]
    n_units, n_steps = cmp["units"], cmp["steps"]
    ours_states = np.fromfile(os.path.join(out_dir, "states.f64"), "<f8").reshape(n_steps, n_units)
    ours_w = np.fromfile(os.path.join(out_dir, "w_out.f64"), "<f8")
    x = ours_series.reshape(-1, 1)
    theirs_states = same().run(x[:n_steps])
    states_diff = float(np.max(np.abs(ours_states - theirs_states)))
    readout = Ridge(ridge=ridge, fit_bias=False)
    readout.fit(ours_states[warmup:], x[warmup + 1 : n_steps + 1])
    theirs_w = np.ravel(readout.Wout)
    w_diff = float(np.max(np.abs(ours_w - theirs_w)))
    pred_diff = float(np.max(np.abs(ours_states[warmup:] @ ours_w - ours_states[warmup:] @ theirs_w)))
    equality = {
        "units": n_units, "steps": n_steps,
        "states_max_abs_diff_f32_vs_f64": states_diff,
        "ridge_w_out_max_abs_diff_f64": w_diff,
        "ridge_w_out_max_abs": float(np.max(np.abs(theirs_w))),
        "ridge_prediction_max_abs_diff_f64": pred_diff,
    }

    # speed, one row per size
    speed = []
    for ours in rust["speed"]:
        n, steps = ours["units"], ours["steps"]
        big_series = mackey_glass(steps + 1, history=np.full(17, 1.2))
        t0 = time.perf_counter()
        reservoir = Reservoir(n, lr=0.3, sr=1.25, seed=1)
        reservoir.initialize(big_series[:1])
        build = time.perf_counter() - t0
        t1 = time.perf_counter()
        states = reservoir.run(big_series[:steps])
        states_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        Ridge(ridge=ridge, fit_bias=False).fit(states[warmup:], big_series[warmup + 1 : steps + 1])
        ridge_s = time.perf_counter() - t2
        speed.append({"units": n, "steps": steps, "ours_native": ours,
                      "reservoirpy": {"build_s": build, "states_s": states_s, "fit_s": ridge_s,
                                      "states_per_s": steps / states_s}})

    med = lambda rows, key: float(np.median([r[key] for r in rows]))
    result = {
        "reservoirpy_version": rpy.__version__,
        "series_max_abs_diff": series_diff,
        "same_weights": {
            "ours": rust["ours"],
            "reservoirpy": {"nrmse_test": same_test, "nrmse_generation": same_gen},
        },
        "independent_draws": {
            "ours": rust["ours_seeds"],
            "reservoirpy": seeds,
            "median_ours_test": med(rust["ours_seeds"], "nrmse_test"),
            "median_reservoirpy_test": med(seeds, "nrmse_test"),
        },
        "equality": equality,
        "speed": speed,
    }
    text = json.dumps(result, indent=2)
    print(text)
    print()
    print("| units × steps | ours states/s | reservoirpy states/s | ours fit (s) | reservoirpy fit (s) | ours build (s) | reservoirpy build (s) |")
    print("|---|---|---|---|---|---|---|")
    for row in speed:
        o, r = row["ours_native"], row["reservoirpy"]
        print(f"| {row['units']} × {row['steps']} | {o['states_per_s']:.0f} | {r['states_per_s']:.0f} "
              f"| {o['fit_s']:.3f} | {r['fit_s']:.3f} | {o['build_s']:.3f} | {r['build_s']:.3f} |")
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Round trip of `srnn train --npz` / `srnn export` into NumPy.

For several networks (rate and voltage dynamics, every activation, Dale's law, sparse and
local masks, a Yang task with neurogym `gt`), train a few steps with the CLI, load the
`.npz` with plain NumPy, check its keys, shapes and structure (mask, Dale signs), rebuild
the network from the arrays and re-simulate the exported trial: the states and outputs
must match the exported ones to 1e-5. Also checks `srnn export` from a saved model gives
the same archive contents. Usage: test_npz.py path/to/srnn. Last line:
`npz: N passed, M failed`.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

TOLERANCE = 1e-5

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "softplus": lambda x: np.logaddexp(0, x),
    "linear": lambda x: x,
    # Turcu & Abbott: [tanh(max(x,0) - 0.5) - tanh(-0.5)] / [1 - tanh(-0.5)]
    "rectified-tanh": lambda x: (np.tanh(np.maximum(x, 0) - 0.5) - np.tanh(-0.5))
    / (1 - np.tanh(-0.5)),
}

CASES = {
    "rate-tanh-dense-jl": {
        "network": {"n_neurons": 24, "connectivity": "dense", "activation": "tanh",
                    "dt_ms": 1, "tau_ms": 10, "seed": 3},
        "train": {"learning_rate": 0.005, "batch_size": 8, "seed": 1},
        "task": {"id": "jl-xor"},
    },
    "rate-relu-dale-sparse-yang": {
        "network": {"n_neurons": 48, "connectivity": "fixed-in-degree", "k": 8,
                    "activation": "relu", "excitatory_fraction": 0.8, "seed": 2},
        "train": {"learning_rate": 0.002, "batch_size": 8, "seed": 4},
        "task": {"id": "yang-delaygo"},
    },
    "rate-softplus-local-modcog": {
        "network": {"n_neurons": 36, "connectivity": "local", "radius": 1.5,
                    "activation": "softplus", "seed": 5},
        "train": {"learning_rate": 0.002, "batch_size": 8, "seed": 2},
        "task": {"id": "modcog-delaygo-intr"},
    },
    "voltage-rectified-tanh-turcu": {
        "network": {"n_neurons": 40, "connectivity": "fixed-in-degree", "k": 6,
                    "activation": "rectified-tanh", "dynamics": "voltage",
                    "input_map": "identity", "readout": "population",
                    "excitatory_fraction": 0.5, "seed": 7},
        "train": {"learning_rate": 0.01, "batch_size": 8, "seed": 3},
        "task": {"id": "turcu-classification", "n_patterns": 4},
    },
    "voltage-linear-jl": {
        "network": {"n_neurons": 16, "connectivity": "random-density", "density": 0.3,
                    "activation": "linear", "dynamics": "voltage", "dt_ms": 1,
                    "tau_ms": 10, "gain": 0.5, "seed": 9},
        "train": {"learning_rate": 0.001, "batch_size": 8, "seed": 5},
        "task": {"id": "jl-flipflop"},
    },
}

PASSED = 0
FAILED = 0


def check(name, ok, detail=""):
    """Count and report one check."""
    global PASSED, FAILED
    if ok:
        PASSED += 1
        print(f"ok   {name} {detail}")
    else:
        FAILED += 1
        print(f"FAIL {name} {detail}")


def resimulate(z):
    """Re-run the exported trial from the arrays alone (float64)."""
    net = json.loads(str(z["config"]))["network"]
    f = ACTIVATIONS[net["activation"]]
    a = float(z["alpha"])
    w_in, w_rec, w_out = (z[k].astype(np.float64) for k in ("W_in", "W_rec", "W_out"))
    b, b_out = z["b_rec"].astype(np.float64), z["b_out"].astype(np.float64)
    h = z["init_state"][0].astype(np.float64)
    states, outputs = [h], []
    for u in z["trial_inputs"].astype(np.float64):
        if net["dynamics"] == "rate":
            h = (1 - a) * h + a * f(w_rec @ h + w_in @ u + b)
            outputs.append(w_out @ h + b_out)
        else:
            h = (1 - a) * h + a * (w_rec @ f(h) + w_in @ u + b)
            outputs.append(w_out @ f(h) + b_out)
        states.append(h)
    return np.array(states), np.array(outputs)


def check_archive(case, path, run):
    """Structure, the round trip and (for ring tasks) gt of one archive."""
    z = np.load(path, allow_pickle=False)
    keys = {"W_in", "W_rec", "W_out", "b_rec", "b_out", "Connectivity_rec", "Dale_rec",
            "dale_signs", "init_state", "alpha", "config", "trial_inputs", "trial_targets",
            "trial_loss_mask", "trial_states", "trial_outputs", "ob"}
    missing = keys - set(z.files)
    check(f"{case}: keys", not missing, f"missing {sorted(missing)}" if missing else "")
    if missing:
        return
    config = json.loads(str(z["config"]))
    n, i = config["network"]["n_neurons"], z["trial_inputs"].shape[1]
    t, o = z["trial_targets"].shape
    shapes_ok = (z["W_rec"].shape == (n, n) and z["W_in"].shape == (n, i)
                 and z["W_out"].shape == (o, n) and z["trial_states"].shape == (t + 1, n)
                 and z["trial_outputs"].shape == (t, o) and z["init_state"].shape == (1, n)
                 and z["W_rec"].dtype == np.float32)
    check(f"{case}: shapes", shapes_ok, f"N={n} I={i} O={o} T={t}")
    check(f"{case}: config carries the run", config["run"]["task"]["id"] == run["task"]["id"])
    mask, w = z["Connectivity_rec"], z["W_rec"]
    check(f"{case}: W_rec is zero off the mask", np.all(w[mask == 0] == 0),
          f"density {mask.mean():.3f}")
    signs = z["dale_signs"]
    dale_ok = (np.array_equal(np.diag(z["Dale_rec"]), signs)
               and np.count_nonzero(z["Dale_rec"] - np.diag(signs)) == 0
               and np.all(w * signs[None, :] >= 0 if "excitatory_fraction" in run["network"]
                          else True))
    check(f"{case}: Dale signs", dale_ok, f"{int((signs < 0).sum())} inhibitory")
    states, outputs = resimulate(z)
    err_states = float(np.abs(states - z["trial_states"]).max())
    err_outputs = float(np.abs(outputs - z["trial_outputs"]).max())
    check(f"{case}: re-simulated states", err_states <= TOLERANCE, f"max |error| {err_states:.2e}")
    check(f"{case}: re-simulated outputs", err_outputs <= TOLERANCE,
          f"max |error| {err_outputs:.2e}")
    check(f"{case}: ob is the inputs", np.array_equal(z["ob"], z["trial_inputs"]))
    if o == 33:
        gt, targets = z["gt"], z["trial_targets"]
        fixating = targets[:, 0] > 0.5
        gt_ok = (gt.shape == (t,) and gt.dtype == np.int64 and np.all(gt[fixating] == 0)
                 and np.array_equal(gt[~fixating], 1 + np.argmax(targets[~fixating, 1:], 1)))
        check(f"{case}: neurogym gt", gt_ok, f"actions {sorted(set(gt.tolist()))}")
    else:
        check(f"{case}: no gt without a ring readout", "gt" not in z.files)
    return z


def main():
    srnn = sys.argv[1] if len(sys.argv) > 1 else "target/debug/srnn"
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for case, run in CASES.items():
            run_path = os.path.join(tmp, f"{case}.json")
            npz_path = os.path.join(tmp, f"{case}.npz")
            model_path = os.path.join(tmp, f"{case}.model.json")
            with open(run_path, "w") as f:
                json.dump(run, f)
            trained = subprocess.run(
                [srnn, "--quiet", "train", "--config", run_path, "--steps", "20",
                 "--eval-every", "20", "--eval-trials", "16", "--out", model_path,
                 "--npz", npz_path], capture_output=True, text=True)
            check(f"{case}: srnn train --npz", trained.returncode == 0, trained.stderr.strip())
            if trained.returncode != 0:
                continue
            z = check_archive(case, npz_path, run)
            if z is not None:
                worst = max(worst, float(np.abs(resimulate(z)[0] - z["trial_states"]).max()))
            again = os.path.join(tmp, f"{case}.again.npz")
            exported = subprocess.run(
                [srnn, "export", "--config", run_path, "--model", model_path, "--out", again],
                capture_output=True, text=True)
            same = exported.returncode == 0 and z is not None
            if same:
                z2 = np.load(again, allow_pickle=False)
                same = set(z2.files) == set(z.files) and all(
                    np.array_equal(z2[k], z[k]) for k in z.files)
            check(f"{case}: srnn export of the saved model gives the same arrays", same,
                  exported.stderr.strip())
        bad = subprocess.run([srnn, "export", "--config", run_path, "--model", run_path,
                              "--out", os.path.join(tmp, "x.npz")], capture_output=True,
                             text=True)
        check("export of a non-model file is refused naming it",
              bad.returncode == 1 and "model file" in bad.stderr, bad.stderr.strip())
    print(f"largest re-simulation error over all cases: {worst:.2e} (tolerance {TOLERANCE})")
    print(f"npz: {PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())

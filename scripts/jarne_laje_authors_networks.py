"""Score the authors' published AND networks the way their damage tables are read.

    python3 scripts/jarne_laje_authors_networks.py <their repository> [out_dir]

<their repository>: a clone (work tree or bare git directory) of
katejarne/RNN_study_with_keras. Needs numpy, scipy and h5py (not the project's
dependencies: a throw-away venv will do). Runs, unchanged but for the numpy-2 / scipy
shims (`np.int`, `scipy.signal.hann`) and with the plotting cut off, their AND data-set
generator `code_paper_rep/generate_data_set_and.py` (seeded with 2, 210-step trials),
once as published (noise line commented out) and once with that line enabled (input
noise 0.1), and a Keras SimpleRNN forward pass (h ← tanh(x·W_in + h·W_rec), y = h·W_out
+ b, h₀ = 0) on their saved networks `networks/AND/*/and_weights-19.hdf5`. Prints per
network: the optimizer's iteration count (4 700 = 20 epochs of 235 steps: no early stop),
the mean-squared error on 2 000 of their training trials (clean and noisy), and the
distance ‖target − output‖₂ over the whole trial per input condition (00, 11, 10, 01),
mean over that condition's trials among 400, on clean and on noisy trials; then the
"00" and "11" distances on noisy trials with the recurrent weights below some of the
damage tables' thresholds set to 0.

With `out_dir`, also writes each network as one of our saved-model JSON files (the layout
of `target/…/jl_and_probe_*.json`; a template made by `jarne_laje_study and-probe` must be
at `out_dir/template.json`), so `jarne_laje_study and-probe 0 1 out_dir/authors_<name>.json`
scores it with our forward pass and our trials.
"""

import json
import os
import subprocess
import sys
import types

import numpy as np
import scipy.signal

if not hasattr(scipy.signal, "hann"):
    scipy.signal.hann = scipy.signal.windows.hann
np.int = int  # their generator's dtype=np.int

AND_GENERATOR = "code_paper_rep/generate_data_set_and.py"
NETWORKS = {
    "con_ruido_04": "code_paper_rep/Networks_and_files/networks/AND/And_con_ruido_orto_#04/and_weights-19.hdf5",
    "con_ruido_14": "code_paper_rep/Networks_and_files/networks/AND/And_con_ruido_orto_#14/aca/and_weights-19.hdf5",
    "sin_ruido_07": "code_paper_rep/Networks_and_files/networks/AND/And_sin_ruido_ran_nor_07/aca/and_weights-19.hdf5",
}
CONDITIONS = {"00": (0, 0), "11": (1, 1), "10": (1, 0), "01": (0, 1)}
DAMAGE_THRESHOLDS = [0.0, 0.01, 0.025, 0.037, 0.052, 0.067]


def read(repo, path):
    """Bytes of `path` in `repo` (a work tree, else a git directory's HEAD)."""
    full = os.path.join(repo, path)
    if os.path.exists(full):
        return open(full, "rb").read()
    return subprocess.run(["git", "--git-dir", repo, "show", f"HEAD:{path}"],
                          check=True, capture_output=True).stdout


def generator(repo, noise):
    """Their `generate_trials(size, mem_gap)`, noise line as published or enabled."""
    src = read(repo, AND_GENERATOR).decode()
    src = src.split("#To see how is the training data set")[0]
    src = src.replace("import matplotlib.pyplot as plt", "").replace('print("---', "pass #")
    if noise:
        enabled = src.replace("x_train = x_train#+stim_noise", "x_train = x_train+stim_noise")
        assert enabled != src, "their noise line has moved"
        src = enabled
    module = types.ModuleType("generate_data_set_and")
    exec(src, module.__dict__)
    return module.generate_trials


def load(repo, path):
    """Weights (and Adam's iteration count) of one saved Keras model."""
    import h5py, io
    f = h5py.File(io.BytesIO(read(repo, path)), "r")
    weights = f["model_weights"]
    rnn = next(k for k in weights if k.startswith("simple_rnn"))
    dense = next(k for k in weights if k.startswith("dense"))
    iterations = None  # a model saved without its optimizer (e.g. an initial state) has none
    for group in f["optimizer_weights"].values() if "optimizer_weights" in f else []:
        if "iterations:0" in group:
            iterations = int(group["iterations:0"][()])
    return {
        "w_in": weights[rnn][rnn]["kernel:0"][()],
        "w_rec": weights[rnn][rnn]["recurrent_kernel:0"][()],
        "w_out": weights[dense][dense]["kernel:0"][()],
        "b": weights[dense][dense]["bias:0"][()],
        "iterations": iterations,
    }


def forward(net, x):
    """Keras SimpleRNN (tanh, no bias) + Dense: outputs [trials, steps]."""
    h = np.zeros((x.shape[0], net["w_rec"].shape[0]))
    out = np.zeros(x.shape[:2])
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t, :] @ net["w_in"] + h @ net["w_rec"])
        out[:, t] = (h @ net["w_out"])[:, 0] + net["b"][0]
    return out


def as_our_model(template, net):
    """`net` (Keras layout) written into a copy of one of our saved-model files `template`
    (a plain network or a `--models` file that wraps one under `network`)."""
    n = net["w_rec"].shape[0]
    model = json.loads(json.dumps(template))
    body = model.get("network", model)
    # ours: row = postsynaptic neuron; Keras: h·W_rec, W_rec[pre, post]
    body["w_rec"]["values"] = [float(net["w_rec"][j, i]) for i in range(n) for j in range(n)]
    body["w_rec_param"] = list(body["w_rec"]["values"])
    inputs = net["w_in"].shape[0]
    body["w_in"]["values"] = [float(net["w_in"][c, i]) for i in range(n) for c in range(inputs)]
    body["w_out"]["values"] = [float(net["w_out"][i, 0]) for i in range(n)]
    body["b_out"] = [float(net["b"][0])]
    return model


def condition(trial):
    return tuple(int(round(trial[30:50, c].mean())) for c in (0, 1))


def main(repo, out_dir=None):
    nets = {name: load(repo, path) for name, path in NETWORKS.items()}
    for noise in (False, True):
        x, y, _, steps = generator(repo, noise)(15050, 20)
        label = "input noise 0.1 (line enabled)" if noise else "as published (no noise)"
        print(f"\n{label}: {steps} steps per trial")
        for name, net in nets.items():
            mse = float(((forward(net, x[50:2050]) - y[50:2050, :, 0]) ** 2).mean())
            out = forward(net, x[:400])
            d = np.linalg.norm(y[:400, :, 0] - out, axis=1)
            cells = []
            for cond, bits in CONDITIONS.items():
                sel = [i for i in range(400) if condition(x[i]) == bits]
                cells.append(f'"{cond}" {d[sel].mean():.3f} ± {d[sel].std():.3f}')
            print(f"  {name}: iterations {net['iterations']}, MSE {mse:.5f}; " + ", ".join(cells))
    # their thresholds on |w| (aug_20_.txt): the recurrent weights below them set to 0,
    # scored on the noisy trials (the noise line enabled)
    x, y, _, _ = generator(repo, True)(400, 20)
    print("\nrecurrent |w| < threshold removed, noisy trials; % removed, then \"00\" / \"11\"")
    for name, net in nets.items():
        cells = []
        for threshold in DAMAGE_THRESHOLDS:
            damaged = dict(net, w_rec=np.where(np.abs(net["w_rec"]) < threshold, 0.0, net["w_rec"]))
            removed = 100.0 * float((np.abs(net["w_rec"]) < threshold).mean())
            d = np.linalg.norm(y[:, :, 0] - forward(damaged, x), axis=1)
            means = [d[[i for i in range(len(x)) if condition(x[i]) == CONDITIONS[c]]].mean()
                     for c in ("00", "11")]
            cells.append(f"{threshold}: {removed:.0f} % {means[0]:.2f} / {means[1]:.2f}")
        print(f"  {name}: " + "; ".join(cells))
    if out_dir:
        template = json.load(open(os.path.join(out_dir, "template.json")))
        for name, net in nets.items():
            json.dump(as_our_model(template, net),
                      open(os.path.join(out_dir, f"authors_{name}.json"), "w"))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])

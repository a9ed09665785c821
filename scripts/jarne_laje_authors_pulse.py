"""Score the authors' published time-pulse network, and ours, the way their size table is read.

    python3 scripts/jarne_laje_authors_pulse.py <their repository> [our model files…] [--out DIR]

<their repository>: a clone (work tree or bare git directory) of
katejarne/RNN_study_with_keras. Needs numpy, scipy and h5py (a throw-away venv will do).

Their size / delay tables (`files_scale/*.txt`) come from `binary_pulse_recurrent_main_to_loop.py`
(train) and `load_models_and_print_time_pulse.py` (score): numpy seeded with 2,
`generate_trials(size, mem_gap)` of `code_paper_rep/generate_data_set_time_pulse.py`
(300 steps, input and target noise 0.03), the model predicts `x_train[0:10]` and each
trial's distance is `np.linalg.norm(y_train[ii, :, 0] - y_pred[ii, :, 0])`: the whole
trial, the noisy target, one number per trial. The training script scores the first 10 of
its 15 050 trials (the 50 it holds out), the print script the first 10 of 20.

This runs their generator unchanged (but for the numpy-2 / scipy shims and with its demo
plot cut off) and a Keras SimpleRNN forward pass (h ← tanh(x·W_in + h·W_rec), y = h·W_out +
b, h₀ = 0) on `networks/time/pulse_orto_#03/{00_initial,pulse_weights-19}.hdf5` and on our
saved networks (`srnn reproduce jarne-laje --models DIR` files), and prints per network:
N, the delay its output answers at, Adam's iteration count, the distance on their trials
(both trial sets, every delay asked), split into trials with and without a pulse, and
where on the trial the squared error sits. With `--out DIR` it writes their networks as
our model files (`DIR/authors_pulse_{initial,final}.json`, the layout of our files), so
`jarne_laje_study pulse-score` scores them on our trials.
"""

import json
import os
import sys
import types

import numpy as np
import scipy.signal

if not hasattr(scipy.signal, "hann"):
    scipy.signal.hann = scipy.signal.windows.hann
if not hasattr(scipy.signal, "gaussian"):
    scipy.signal.gaussian = scipy.signal.windows.gaussian
np.int = int  # their generator's dtype=np.int

# the repository reader, the Keras loader and forward pass, and the writer of our model
# files are the AND script's (this script's directory is on sys.path when run as a file)
from jarne_laje_authors_networks import as_our_model, forward, read
from jarne_laje_authors_networks import load as load_keras

GENERATOR = "code_paper_rep/generate_data_set_time_pulse.py"
NETWORKS = {
    "pulse_orto_03 initial": "code_paper_rep/Networks_and_files/networks/time/pulse_orto_#03/00_initial.hdf5",
    "pulse_orto_03 final": "code_paper_rep/Networks_and_files/networks/time/pulse_orto_#03/pulse_weights-19.hdf5",
}


def generator(repo):
    """Their `generate_trials(size, mem_gap)` (seeds numpy with 2 on every call)."""
    src = read(repo, GENERATOR).decode()
    src = src.split("#To test the rule that you want to teach")[0]
    src = src.replace("import matplotlib.pyplot as plt", "").replace('print("---', "pass #")
    module = types.ModuleType("generate_data_set_time_pulse")
    exec(src, module.__dict__)
    return module.generate_trials


def csr_dense(m):
    """Our CSR matrix (`n_rows`, `n_cols`, `row_ptr`, `col_idx`, `values`) as an array."""
    a = np.zeros((m["n_rows"], m["n_cols"]))
    for r in range(m["n_rows"]):
        for k in range(m["row_ptr"][r], m["row_ptr"][r + 1]):
            a[r, m["col_idx"][k]] = m["values"][k]
    return a


def load_ours(path):
    """One of our saved networks in the Keras layout (W[pre, post])."""
    model = json.load(open(path))
    net = model.get("network", model)
    return {
        "w_in": csr_dense(net["w_in"]).T,  # ours [neuron, input] → Keras [input, neuron]
        "w_rec": csr_dense(net["w_rec"]).T,  # ours row = postsynaptic
        "w_out": csr_dense(net["w_out"]).T,  # ours [output, neuron]
        "b": np.array(net["b_out"]),
        "iterations": model.get("steps_done"),
    }


def answer_delay(net, generate):
    """The delay whose target the network's pulse answer fits best (clean trigger)."""
    x, _, _, _ = generate(64, 20)
    trigger = x[:1].copy()
    trigger[0, :, 0] = 0.0
    trigger[0, 50:70, 0] = scipy.signal.convolve(np.ones(20), scipy.signal.hann(10), mode="same") / sum(scipy.signal.hann(10))
    out = forward(net, trigger)[0]
    peak = int(np.argmax(out[75:])) + 75
    return peak - 80, out  # the target's peak sits at 70 + gap + 10


def score(net, x, y, label):
    """Their per-trial distance on trials x, y (first 10), with the pulse / no-pulse split."""
    out = forward(net, x[:10])
    d = np.linalg.norm(y[:10, :, 0] - out, axis=1)
    pulse = x[:10, 50:70, 0].mean(axis=1) > 0.5
    parts = f"pulse trials {pulse.sum()}: {d[pulse].mean():.3f}" if pulse.any() else ""
    if (~pulse).any():
        parts += f", no-pulse {(~pulse).sum()}: {d[~pulse].mean():.3f}"
    return d, f"{label}: mean {d.mean():.3f} ({parts}); per trial [{' '.join(f'{v:.2f}' for v in d)}]"


def main(argv):
    out_dir = None
    if "--out" in argv:
        i = argv.index("--out")
        out_dir = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    repo, ours = argv[0], argv[1:]
    generate = generator(repo)
    nets = {name: load_keras(repo, path) for name, path in NETWORKS.items()}
    for path in ours:
        nets[os.path.basename(path).split("-seed")[0] + "-seed" + os.path.basename(path).split("-seed")[1].split("-")[0]] = load_ours(path)
    for gap in (20, 150):
        x, y, _, steps = generate(15050, gap)
        pulse = x[:10, 50:70, 0].mean(axis=1) > 0.5
        noise_floor = float(np.linalg.norm(y[:10, :, 0] - generate_clean_target(x[:10], gap), axis=1).mean())
        print(f"\ntheir trials, gap {gap} ms: {steps} steps; first 10 of generate_trials(15050): "
              f"{pulse.sum()} with a pulse; ‖target noise‖ alone {noise_floor:.3f}")
        x20, y20, _, _ = generate(20, gap)
        for name, net in nets.items():
            _, line = score(net, x, y, "held-out 10 of 15050")
            _, line20 = score(net, x20, y20, "first 10 of 20")
            print(f"  {name}: {line}\n  {' ' * len(name)}  {line20}")
    print()
    for name, net in nets.items():
        delay, out = answer_delay(net, generate)
        print(f"{name}: N {net['w_rec'].shape[0]}, iterations {net['iterations']}, "
              f"clean-trigger output peaks at t = {delay + 80} (delay ≈ {delay} ms); "
              f"output at t = 90, 100, 230: {out[90]:.2f} {out[100]:.2f} {out[230]:.2f}; "
              f"spectral radius {max(abs(np.linalg.eigvals(net['w_rec']))):.3f}")
    if out_dir:
        template = json.load(open(os.path.join(out_dir, "template.json")))
        for name in ("pulse_orto_03 initial", "pulse_orto_03 final"):
            json.dump(as_our_model(template, nets[name]),
                      open(os.path.join(out_dir, f"authors_pulse_{name.split()[-1]}.json"), "w"))


def generate_clean_target(x, gap):
    """The noise-free target of trials x (their shape: 0.045 baseline, the pulse or 0)."""
    g = 0.055 * scipy.signal.gaussian(20, std=12)
    shape = scipy.signal.convolve(np.ones(20), g, mode="same")
    y = 0.045 * np.ones(x.shape[:2])
    for i in range(x.shape[0]):
        y[i, 70 + gap:90 + gap] = shape if x[i, 50:70, 0].mean() > 0.5 else 0.0
    return y


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

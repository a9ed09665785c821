"""Spike trains of a fixed recurrent LIF network on a fixed input: ours against snnTorch.

The network (N recurrent LIF neurons, I Poisson inputs, dense random weights) and the
input are drawn here with numpy; snnTorch's `RLeaky` (no synaptic current) and `RSynaptic`
(tau_syn > 0) simulate them in float32, and our `spike_trains` example (event-driven
forward of `dynamics: lif`) simulates the same JSON description. Every spike of every
neuron, step and trial is compared; the script prints how many spikes each side emitted,
how many (neuron, step, trial) slots differ, and the first step where they diverge (after
a first difference the recurrent networks are free to drift apart).

Usage (from the repository root, with a Python that has snntorch and torch):
    cargo build --release --example spike_trains
    python benches/peers/snntorch_spikes.py --binary target/release/examples/spike_trains
"""

import argparse
import json
import subprocess
import time

import numpy as np
import snntorch as snn
import torch


def case(seed, n, n_in, steps, trials, tau_syn_ms, reset):
    rng = np.random.default_rng(seed)
    w_rec = (rng.standard_normal((n, n)) * 0.9 / np.sqrt(n)).astype(np.float32)
    w_in = (rng.standard_normal((n, n_in)) * 2.0 / np.sqrt(n_in)).astype(np.float32)
    inputs = (rng.random((trials, steps, n_in)) < 0.02).astype(np.float32)
    return {
        "tau_mem_ms": 10.0,
        "tau_syn_ms": tau_syn_ms,
        "threshold": 1.0,
        "reset": reset,
        "dt_ms": 1.0,
        "w_rec": w_rec.tolist(),
        "w_in": w_in.tolist(),
        "inputs": inputs.tolist(),
    }


def decay(dt, tau):
    # the same float32 value as ours: exp computed in f64, then rounded
    return float(np.float32(np.exp(-dt / tau))) if tau > 0 else 0.0


def snntorch_spikes(c):
    torch.set_num_threads(1)
    w_rec = torch.tensor(c["w_rec"])
    w_in = torch.tensor(c["w_in"])
    x = torch.tensor(c["inputs"])  # [B, T, I]
    n = w_rec.shape[0]
    beta = decay(c["dt_ms"], c["tau_mem_ms"])
    mechanism = "subtract" if c["reset"] == "subtract" else "zero"
    if c["tau_syn_ms"] > 0:
        alpha = decay(c["dt_ms"], c["tau_syn_ms"])
        cell = snn.RSynaptic(alpha=alpha, beta=beta, linear_features=n, all_to_all=True,
                             threshold=c["threshold"], reset_mechanism=mechanism)
    else:
        cell = snn.RLeaky(beta=beta, linear_features=n, all_to_all=True,
                          threshold=c["threshold"], reset_mechanism=mechanism)
    with torch.no_grad():
        cell.recurrent.weight.copy_(w_rec)
        cell.recurrent.bias.zero_()
    out = []
    start = time.perf_counter()
    with torch.no_grad():
        if c["tau_syn_ms"] > 0:
            spk, syn, mem = cell.init_rsynaptic()
            for t in range(x.shape[1]):
                spk, syn, mem = cell(x[:, t] @ w_in.T, spk, syn, mem)
                out.append(spk)
        else:
            spk, mem = cell.init_rleaky()
            for t in range(x.shape[1]):
                spk, mem = cell(x[:, t] @ w_in.T, spk, mem)
                out.append(spk)
    seconds = time.perf_counter() - start
    return torch.stack(out, dim=1).numpy(), seconds  # [B, T, N]


def ours(binary, c):
    done = subprocess.run([binary], input=json.dumps(c), capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    return np.array(result["spikes"], dtype=np.float32), result["seconds"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/examples/spike_trains")
    parser.add_argument("--neurons", type=int, default=100)
    parser.add_argument("--inputs", type=int, default=40)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=8)
    args = parser.parse_args()
    print(f"snntorch {snn.__version__}, torch {torch.__version__}")
    print("case | spikes snnTorch | spikes ours | slots compared | slots differing | "
          "first differing step | forward s snnTorch | forward s ours")
    for name, tau_syn, reset in [("RLeaky subtract", 0.0, "subtract"),
                                 ("RLeaky zero", 0.0, "zero"),
                                 ("RSynaptic subtract (tau_syn 5 ms)", 5.0, "subtract")]:
        c = case(1, args.neurons, args.inputs, args.steps, args.trials, tau_syn, reset)
        theirs, t_theirs = snntorch_spikes(c)
        mine, t_mine = ours(args.binary, c)
        differ = theirs != mine
        steps = np.nonzero(differ.any(axis=(0, 2)))[0]
        first = int(steps[0]) if len(steps) else "none"
        print(f"{name} | {int(theirs.sum())} | {int(mine.sum())} | {differ.size} | "
              f"{int(differ.sum())} | {first} | {t_theirs:.3f} | {t_mine:.3f}")


if __name__ == "__main__":
    main()

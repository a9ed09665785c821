"""snnTorch beside sparse_rnn_lab's spiking networks, in one run: a speed table.

    python benches/peers/snntorch_speed.py [--neurons 200 --inputs 100 --steps 200
        --batch 64 --density 1 --train-steps 10 --repeats 5] [--binary PATH] [--json OUT]

Runs `cargo bench --bench spiking -- --out DIR ...` (or `--binary`, a built
`benches/spiking.rs`), which draws one recurrent LIF network on SpyTorch's random spike
patterns, times our forward pass and training step and writes the network's weights,
the inputs and the labels. Then snnTorch (CPU PyTorch, one thread like ours) runs the
*same* network on the *same* inputs:

1. forward: `snn.RSynaptic(all_to_all=True)` (reset by subtraction, threshold 1, β =
   e^{-1/10}, α = e^{-1/5}) with our W_rec, W_in; median seconds over `repeats`, its spike count
   (the same network and input should give the same spikes) and synaptic events per
   second (Σ spikes × fan-out, the same count as ours);
2. one training step (forward, surrogate BPTT with `surrogate.fast_sigmoid(slope=100)`,
   Adam 2e-3): the spikes through a leaky readout (τ 10 ms), W_out, max over time,
   cross-entropy — our loss — on the whole set; mean ms over `train-steps` after one
   warm-up step.

Prints the table (markdown) and, with `--json`, appends one JSON line. Needs
`pip install snntorch torch` (not part of CI).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import snntorch as snn
import torch
from snntorch import surrogate


def decay(tau):
    # the same float32 value as ours: exp computed in f64, then rounded
    return float(np.float32(np.exp(-1.0 / tau)))


def build(d):
    w = d["weights"]
    w_rec = torch.tensor(w["w_rec"], dtype=torch.float32)
    w_in = torch.tensor(w["w_in"], dtype=torch.float32)
    w_out = torch.tensor(w["w_out"], dtype=torch.float32)
    n = w_rec.shape[0]
    cell = snn.RSynaptic(alpha=decay(5.0), beta=decay(10.0), linear_features=n, all_to_all=True,
                         threshold=1.0, reset_mechanism="subtract",
                         spike_grad=surrogate.fast_sigmoid(slope=100))
    with torch.no_grad():
        cell.recurrent.weight.copy_(w_rec)
        cell.recurrent.bias.zero_()
    cell.recurrent.bias.requires_grad_(False)
    w_in = torch.nn.Parameter(w_in)
    w_out = torch.nn.Parameter(w_out)
    mask = (w_rec != 0).float()  # the sparse mask, kept through training
    return cell, w_in, w_out, mask


def run_forward(cell, w_in, x):
    spk, syn, mem = cell.init_rsynaptic()
    out = []
    for t in range(x.shape[1]):
        spk, syn, mem = cell(x[:, t] @ w_in.T, spk, syn, mem)
        out.append(spk)
    return torch.stack(out, dim=1)  # [B, T, N]


def loss_of(cell, w_in, w_out, x, labels, kappa):
    spikes = run_forward(cell, w_in, x)
    filtered = torch.zeros(x.shape[0], w_out.shape[1])
    peaks = None
    for t in range(x.shape[1]):
        filtered = kappa * filtered + spikes[:, t]
        y = filtered @ w_out.T
        peaks = y if peaks is None else torch.maximum(peaks, y)
    return torch.nn.functional.cross_entropy(peaks, labels)


def main():
    parser = argparse.ArgumentParser()
    for name, default in [("neurons", 200), ("inputs", 100), ("steps", 200), ("batch", 64),
                          ("train-steps", 10), ("repeats", 5)]:
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--density", type=float, default=1.0)
    parser.add_argument("--binary", default=None, help="a built benches/spiking.rs")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)

    out = tempfile.mkdtemp()
    flags = ["--out", out, "--neurons", str(args.neurons), "--inputs", str(args.inputs),
             "--steps", str(args.steps), "--batch", str(args.batch), "--density",
             str(args.density), "--train-steps", str(args.train_steps), "--repeats",
             str(args.repeats)]
    command = [args.binary] + flags if args.binary else ["cargo", "bench", "--bench", "spiking", "--"] + flags
    subprocess.run(command, check=True, stdout=sys.stderr)
    with open(os.path.join(out, "spiking.json")) as f:
        d = json.load(f)
    ours = d["ours"]

    cell, w_in, w_out, mask = build(d)
    x = torch.tensor(np.array(d["inputs"], dtype=np.float32))  # [B, T, I]
    labels = torch.tensor(d["labels"])
    seconds = []
    with torch.no_grad():
        for _ in range(args.repeats):
            start = time.perf_counter()
            spikes = run_forward(cell, w_in, x)
            seconds.append(time.perf_counter() - start)
    forward_s = float(np.median(seconds))
    fan_out = (mask != 0).sum(dim=0)  # column j: synapses leaving neuron j
    per_neuron = spikes.sum(dim=(0, 1))
    n_spikes = int(per_neuron.sum())
    events = int((per_neuron * fan_out).sum())

    kappa = decay(10.0)
    optimizer = torch.optim.Adam([w_in, w_out, cell.recurrent.weight], lr=2e-3)

    def step():
        optimizer.zero_grad()
        loss = loss_of(cell, w_in, w_out, x, labels, kappa)
        loss.backward()
        cell.recurrent.weight.grad *= mask
        optimizer.step()
        return loss.item()

    step()
    start = time.perf_counter()
    for _ in range(args.train_steps):
        step()
    step_ms = (time.perf_counter() - start) * 1000 / args.train_steps

    date = time.strftime("%Y-%m-%d")
    print(f"\nsnnTorch {snn.__version__}, torch {torch.__version__} (1 thread), "
          f"{platform.processor() or platform.machine()}, {date}")
    print(f"recurrent LIF N = {args.neurons} (density {args.density}), {args.inputs} inputs, "
          f"{args.steps} steps, batch {args.batch}")
    print("| | sparse_rnn_lab | snnTorch | ratio |")
    print("|---|---|---|---|")
    print(f"| spikes (fixed network, fixed input) | {ours['spikes']} | {n_spikes} | |")
    print(f"| synaptic events | {ours['synaptic_events']} | {events} | |")
    print(f"| forward, ms | {ours['forward_s'] * 1000:.1f} | {forward_s * 1000:.1f} | "
          f"{forward_s / ours['forward_s']:.1f}× |")
    print(f"| synaptic events per s | {ours['events_per_s']:.3g} | {events / forward_s:.3g} | |")
    print(f"| training step (forward + BPTT + Adam), ms | {ours['train_step_ms']:.1f} | "
          f"{step_ms:.1f} | {step_ms / ours['train_step_ms']:.1f}× |")
    if args.json:
        line = {"date": date, "neurons": args.neurons, "density": args.density,
                "inputs": args.inputs, "steps": args.steps, "batch": args.batch,
                "ours": ours,
                "snntorch": {"version": snn.__version__, "torch": torch.__version__,
                             "forward_s": forward_s, "spikes": n_spikes,
                             "synaptic_events": events, "events_per_s": events / forward_s,
                             "train_step_ms": step_ms}}
        with open(args.json, "a") as f:
            f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""One predictive-coding step, ours beside Rosenbaum's Torch2PC, number for number.

Runs `examples/torch2pc_compare.rs` (our FfNet, `src/lab/studies/predictive_coding.rs`),
loads its network, batch and labels into an `nn.Sequential` of `nn.Sequential(Linear, ReLU)`
blocks (the last block `Linear` alone) in float64, runs the authors' unmodified
`TorchSeq2PC.PCInfer` for the same four runs (Exact; FixedPred eta/n; FixedPred eta = 1,
n = depth; Strict eta/n) with `nn.CrossEntropyLoss()` (mean over the batch, as ours), and
prints, per run and quantity (vhat, v, epsilon, dW, db), the largest absolute difference
and the largest relative one (per layer: max |ours - theirs| / max |theirs|, then the
largest over layers). Their file is never copied into this repository: it is read from a
folder outside it (`--torch2pc`), filled from the fetched repository if missing.

How to run (CPU PyTorch; from the repository root):

    mkdir -p /tmp/torch2pc
    git -C /work/.mirror/RobertRosenbaum+Torch2PC/repo show HEAD:TorchSeq2PC.py \
        > /tmp/torch2pc/TorchSeq2PC.py          # or let --mirror do it
    /work/notes/torch-venv/bin/python scripts/torch2pc_compare.py --torch2pc /tmp/torch2pc
    # the fixture of tests/torch2pc.rs:
    /work/notes/torch-venv/bin/python scripts/torch2pc_compare.py --torch2pc /tmp/torch2pc \
        --sizes 3,4,3,2 --batch 2 --seed 3 --eta 0.1 --n 5 \
        --fixture tests/support/torch2pc_step.json

Options: --sizes, --batch, --seed, --eta, --n (passed to our example), --mirror (the
fetched Torch2PC git directory), --fixture FILE (write the inputs and Torch2PC's numbers).
"""

import argparse
import json
import os
import subprocess
import sys

import torch
from torch import nn


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--torch2pc", default="/tmp/torch2pc")
    p.add_argument("--mirror", default="/work/.mirror/RobertRosenbaum+Torch2PC/repo")
    p.add_argument("--sizes", default="20,40,30,30,20,10")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eta", type=float, default=0.1)
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--fixture", default=None)
    return p.parse_args()


def load_torch2pc(folder, mirror):
    """Imports TorchSeq2PC from `folder` (outside this repository), filling it from the
    fetched git directory `mirror` if the file is not there."""
    path = os.path.join(folder, "TorchSeq2PC.py")
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        text = subprocess.run(["git", "-C", mirror, "show", "HEAD:TorchSeq2PC.py"],
                              check=True, capture_output=True).stdout
        with open(path, "wb") as f:
            f.write(text)
    sys.path.insert(0, folder)
    import TorchSeq2PC  # noqa: E402  (the authors' file, unchanged)
    return TorchSeq2PC


def ours(args):
    """Runs our example; returns its JSON."""
    out = os.path.join(args.torch2pc, "ours.json")
    cmd = ["nice", "-n", "10", "cargo", "run", "--release", "--quiet", "--example",
           "torch2pc_compare", "--", "--sizes", args.sizes, "--batch", str(args.batch),
           "--seed", str(args.seed), "--eta", str(args.eta), "--n", str(args.n), "--out", out]
    subprocess.run(cmd, check=True)
    with open(out) as f:
        return json.load(f)


def model_of(doc):
    """nn.Sequential of per-layer blocks holding our weights (row-major out x in)."""
    sizes = doc["sizes"]
    depth = len(sizes) - 1
    blocks = []
    for l in range(depth):
        lin = nn.Linear(sizes[l], sizes[l + 1])
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(doc["weights"][l]).reshape(sizes[l + 1], sizes[l]))
            lin.bias.copy_(torch.tensor(doc["biases"][l]))
        blocks.append(nn.Sequential(lin, nn.ReLU()) if l + 1 < depth else nn.Sequential(lin))
    return nn.Sequential(*blocks)


def flat(t):
    return None if t is None else t.detach().reshape(-1).tolist()


def theirs(T, doc, run):
    """One PCInfer of Torch2PC on a fresh copy of the network."""
    model = model_of(doc)
    x = torch.tensor(doc["x"]).reshape(doc["batch"], doc["sizes"][0])
    y = torch.tensor(doc["labels"], dtype=torch.long)
    vhat, _loss, _dldy, v, eps = T.PCInfer(model, nn.CrossEntropyLoss(), x, y, run["variant"],
                                          eta=run["eta"], n=run["n"])
    return {
        "variant": run["variant"], "eta": run["eta"], "n": run["n"],
        "vhat": [flat(a) for a in vhat], "v": [flat(a) for a in v],
        "epsilon": [flat(a) for a in eps],
        "dW": [flat(block[0].weight.grad) for block in model],
        "db": [flat(block[0].bias.grad) for block in model],
    }


def differences(a_layers, b_layers):
    """(largest absolute, largest relative, note) over layers; relative per layer is
    max|a - b| / max|b|. A layer set on one side only is noted."""
    abs_max, rel_max, notes = 0.0, 0.0, []
    for l, (a, b) in enumerate(zip(a_layers, b_layers)):
        if a is None or b is None:
            if (a is None) != (b is None):
                notes.append(f"layer {l}: {'ours' if a is None else 'theirs'} unset")
            continue
        d = max((abs(p - q) for p, q in zip(a, b)), default=0.0)
        scale = max((abs(q) for q in b), default=0.0)
        abs_max = max(abs_max, d)
        if scale > 0:
            rel_max = max(rel_max, d / scale)
        elif d > 0:
            rel_max = float("inf")
    if len(a_layers) != len(b_layers):
        notes.append(f"{len(a_layers)} layers ours, {len(b_layers)} theirs")
    return abs_max, rel_max, "; ".join(notes)


def main():
    args = parse()
    torch.set_default_dtype(torch.float64)
    T = load_torch2pc(args.torch2pc, args.mirror)
    doc = ours(args)
    print(f"network {doc['sizes']}, batch {doc['batch']}, seed {doc['seed']}, "
          f"cross-entropy (mean), float64, torch {torch.__version__}")
    print("| run | quantity | max abs diff | max rel diff | note |")
    print("|---|---|---|---|---|")
    fixture_runs = []
    for run in doc["runs"]:
        their = theirs(T, doc, run)
        fixture_runs.append(their)
        name = run["variant"] if run["variant"] == "Exact" else \
            f"{run['variant']} eta={run['eta']:g} n={run['n']}"
        rows = [("vhat", doc["vhat"], their["vhat"])] + \
            [(q, run[q], their[q]) for q in ("v", "epsilon", "dW", "db")]
        for q, a, b in rows:
            d_abs, d_rel, note = differences(a, b)
            print(f"| {name} | {q} | {d_abs:.1e} | {d_rel:.1e} | {note} |")
    if args.fixture:
        fixture = {
            "command": "scripts/torch2pc_compare.py --sizes {} --batch {} --seed {} --eta {} "
                       "--n {} --fixture ...".format(args.sizes, args.batch, args.seed,
                                                     args.eta, args.n),
            "note": "inputs (weights row-major out x in, x batch x width, labels) from "
                    "examples/torch2pc_compare.rs; vhat and runs are Torch2PC's PCInfer "
                    f"(RobertRosenbaum/Torch2PC TorchSeq2PC.py, torch {torch.__version__}, "
                    "float64, nn.CrossEntropyLoss()); v/epsilon null where Torch2PC leaves "
                    "them None",
            "sizes": doc["sizes"], "batch": doc["batch"], "weights": doc["weights"],
            "biases": doc["biases"], "x": doc["x"], "labels": doc["labels"],
            "vhat": fixture_runs[0]["vhat"],
            "runs": [{k: r[k] for k in ("variant", "eta", "n", "v", "epsilon", "dW", "db")}
                     for r in fixture_runs],
        }
        with open(args.fixture, "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")
        print(f"wrote {args.fixture}")


if __name__ == "__main__":
    main()

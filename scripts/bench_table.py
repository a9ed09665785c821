#!/usr/bin/env python3
"""Print the benchmark table: our runtimes side by side (one run, interleaved per workload)
next to the PyTorch / NumPy medians of shared/bench/RESULTS.md, with ratios."""
import json
import re
import sys


def reference(results_md):
    """(framework, variant, cfg, threads) -> ms from the RESULTS.md training table (relu)."""
    table = {}
    try:
        text = open(results_md).read()
    except OSError:
        return table
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and cells[3] == "relu" and re.match(r"^\d+$", cells[4] or ""):
            try:
                table[(cells[0], cells[1], cells[2], int(cells[4]))] = float(cells[6])
            except ValueError:
                pass
    return table


def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
    ref = reference(sys.argv[2] if len(sys.argv) > 2 else "../shared/bench/RESULTS.md")
    names = []
    for r in rows:
        if r["name"] not in names:
            names.append(r["name"])
    runtimes = ["native", "wasm-node", "wasm-chromium"]
    print("| workload | nnz | " + " | ".join(f"{rt} ms/step" for rt in runtimes)
          + " | wasm/native | torch eager 1thr (cited) | torch eager_opt 1thr (cited) | numpy 1thr (cited) | speed-up vs torch eager (chromium) | GFLOP/s chromium |")
    print("|" + "---|" * 12)
    for name in names:
        by = {r["runtime"]: r for r in rows if r["name"] == name}
        ms = {rt: by[rt]["ms_per_step"] if rt in by else None for rt in runtimes}
        fmt = lambda v: "-" if v is None else f"{v:.1f}"
        torch_eager = ref.get(("torch", "eager", name, 1))
        torch_opt = ref.get(("torch", "eager_opt", name, 1))
        numpy = ref.get(("numpy", "handwritten-bptt", name, 1))
        wasm = ms["wasm-chromium"]
        ratio = fmt(wasm / ms["native"]) if wasm and ms["native"] else "-"
        speed = f"{torch_eager / wasm:.1f}x (eager_opt {torch_opt / wasm:.1f}x)" if wasm and torch_eager and torch_opt else "-"
        gf = f"{by['wasm-chromium']['gflops']:.1f}" if "wasm-chromium" in by else "-"
        nnz = next(iter(by.values()))["nnz"]
        print(f"| {name} | {nnz} | {fmt(ms['native'])} | {fmt(ms['wasm-node'])} | {fmt(wasm)} | {ratio} | "
              f"{fmt(torch_eager)} | {fmt(torch_opt)} | {fmt(numpy)} | {speed} | {gf} |")
    native = {r["name"]: r["ms_per_step"] for r in rows if r["runtime"] == "wasm-chromium"}
    if "n1024_sp5" in native and "n1024_dense" in native:
        print(f"\nN=1024: 5 % density is {native['n1024_dense'] / native['n1024_sp5']:.1f}x faster than dense (wasm, Chromium).")


if __name__ == "__main__":
    main()

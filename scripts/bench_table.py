#!/usr/bin/env python3
"""The benchmark table of scripts/bench.sh, from ONE run's target/bench-results.jsonl.

  python3 scripts/bench_table.py target/bench-results.jsonl [--stat min]
      markdown table: ms per training step per runtime, peers, and ratios. Every ratio
      divides two rows of this file (same run, same machine); nothing is cited.
      --stat min uses each row's fastest repetition instead of the median (the least
      disturbed figure when other jobs share the cores).
  python3 scripts/bench_table.py --convert RUNTIME WORKERS  < peer.jsonl  > rows.jsonl
      turn bench_jax.py / bench_torch.py rows ({cfg, variant, ms_median, ...}) into ours
      ({runtime, name, workers, ms_per_step, ...}).
"""
import json
import os
import sys
import time

OURS = ["native", "native-fma", "wasm-node", "wasm-node-fma", "wasm-chromium", "wasm-chromium-fma"]


def convert(runtime, workers):
    for line in sys.stdin:
        if not line.strip().startswith("{"):
            continue
        r = json.loads(line)
        print(json.dumps({
            "runtime": runtime, "name": r["cfg"], "workers": int(workers),
            "ms_per_step": r["ms_median"], "min_ms": r["ms_min"], "max_ms": r["ms_max"],
            "variant": r.get("variant"), "version": r.get("jax") or r.get("torch"),
            "loadavg1": r.get("loadavg1"),
        }))


def cpu_model():
    """The `model name` line of /proc/cpuinfo, with the FMA/AVX flags that matter here."""
    model, flags = "unknown CPU", []
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and model == "unknown CPU":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                have = line.split(":", 1)[1].split()
                flags = [f for f in ("fma", "avx2", "avx512f") if f in have]
    except OSError:
        pass
    return f"{model} ({', '.join(flags) or 'no FMA'})"


STAT = "ms_per_step"


def best(rows, runtime, name, workers):
    """Fastest row (over variants) of one runtime/workload/thread count, or None."""
    ms = [r[STAT] for r in rows
          if r["runtime"] == runtime and r["name"] == name and r.get("workers", 1) == workers]
    return min(ms) if ms else None


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--convert":
        convert(sys.argv[2], sys.argv[3])
        return
    global STAT
    if "--stat" in sys.argv:
        STAT = {"min": "min_ms", "median": "ms_per_step"}[sys.argv[sys.argv.index("--stat") + 1]]
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
    names = []
    for r in rows:
        if r["name"] not in names:
            names.append(r["name"])
    peer_threads = sorted({r["workers"] for r in rows if r["runtime"] in ("jax", "torch")})
    versions = sorted({f"{r['runtime']} {r['version']}" for r in rows if r.get("version")})
    print(f"{time.strftime('%Y-%m-%d')}, {cpu_model()}, {os.cpu_count()} logical CPUs; "
          f"ms per training step ({'fastest repetition' if STAT == 'min_ms' else 'median'}), one run, interleaved per workload"
          + (f"; peers: {', '.join(versions)}" if versions else "") + ".")
    loads = [r["loadavg1"] for r in rows if isinstance(r.get("loadavg1"), (int, float))]
    if loads:
        print(f"1-minute load average at the peer rows: {min(loads):.1f}–{max(loads):.1f} "
              f"(other jobs sharing the {os.cpu_count()} CPUs inflate every row).")
    print()
    peers = [(rt, t) for rt in ("jax", "torch") for t in peer_threads
             if any(r["runtime"] == rt and r["workers"] == t for r in rows)]
    head = ["workload", "nnz"] + OURS + [f"{rt} {t} thr" for rt, t in peers]
    if any(rt == "jax" and t == 1 for rt, t in peers):
        head += ["JAX 1 thr ÷ chromium", "JAX 1 thr ÷ chromium-fma"]
    head += ["chromium-fma ÷ native-fma", "chromium ÷ native"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    fmt = lambda v: "-" if v is None else f"{v:.1f}"
    ratio = lambda a, b: "-" if a is None or b is None else f"{a / b:.2f}×"
    for name in names:
        nnz = next((r["nnz"] for r in rows if r["name"] == name and "nnz" in r), "-")
        ours = {rt: best(rows, rt, name, 1) for rt in OURS}
        cells = [name, str(nnz)] + [fmt(ours[rt]) for rt in OURS]
        cells += [fmt(best(rows, rt, name, t)) for rt, t in peers]
        if any(rt == "jax" and t == 1 for rt, t in peers):
            jax1 = best(rows, "jax", name, 1)
            cells += [ratio(jax1, ours["wasm-chromium"]), ratio(jax1, ours["wasm-chromium-fma"])]
        cells += [ratio(ours["wasm-chromium-fma"], ours["native-fma"]),
                  ratio(ours["wasm-chromium"], ours["native"])]
        print("| " + " | ".join(cells) + " |")
    print("\nJAX ÷ ours > 1: ours is faster. Peers run with the reference data of gen_data.py;"
          " wasm with statistically identical synthetic data (same shapes and nnz model).")
    dp = [r for r in rows if r["runtime"] == "chromium-dp"]
    if dp:
        counts = sorted({r["workers"] for r in dp})
        print("\nData-parallel training in Chromium (Web Workers, train.shards = "
              f"{dp[0].get('shards')}; the weights are the same for every worker count):\n")
        head = ["workload"] + [f"{c} worker{'s' if c > 1 else ''}" for c in counts]
        head += [f"{c} ÷ {counts[0]}" for c in counts[1:]]
        jax_all = [t for rt, t in peers if rt == "jax" and t > 1]
        if jax_all and len(counts) > 1:
            head += [f"JAX {jax_all[-1]} thr ÷ {counts[-1]} workers"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for name in [n for n in names if any(r["name"] == n for r in dp)]:
            ms = {c: best(dp, "chromium-dp", name, c) for c in counts}
            cells = [name] + [fmt(ms[c]) for c in counts]
            cells += [ratio(ms[counts[0]], ms[c]) for c in counts[1:]]
            if jax_all and len(counts) > 1:
                cells += [ratio(best(rows, "jax", name, jax_all[-1]), ms[counts[-1]])]
            print("| " + " | ".join(cells) + " |")
        print("(k ÷ 1 > 1: k workers are faster than one.)")
    flavours = sorted({f"{r['runtime']}={r['flavour']}" for r in rows if r.get("flavour")})
    if flavours:
        print("Kernel flavours: " + ", ".join(flavours) + ".")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The reservoir speed table of issue #22, in one run: a ridge readout on UNITS units ×
# STEPS Mackey-Glass steps (reservoirpy's README ESN: lr 0.3, sr 1.25, densities 0.1,
# ridge 1e-6, 100 warm-up states discarded), timed
#   1. natively: `srnn train --steps 1 --eval-every 1 --eval-trials 1` (release build),
#   2. in the page's wasm: the same run description through `Simulator` in node
#      (benches/reservoir_speed.mjs; www/pkg from scripts/build-web.sh),
#   3. reservoirpy (NumPy): Reservoir + Ridge on the same sizes and series,
# and prints the table. Each side: build (weights, spectral radius), fit (states of every
# step + the ridge solve), eval (one more pass over the series). Then the phase profile of
# one ridge step (lab::reservoir_profile: trial, states pass, gather, X Xᵀ, solve, loss
# after the fit, the trainer's own step) natively (the release `reservoir` bench,
# `--profile`), in node and in headless Chromium (`profileReservoir`,
# scripts/bench-wasm.mjs), as a second table; the 1-minute load average is printed first.
#   bash scripts/reservoir-speed.sh [UNITS] [STEPS]
# (`limits.memory_mb` — 4096 in the page, wasm's maximum, 16384 natively — is kept from
# the first runs, when the construction-time check budgeted a 64-trial evaluation at
# once; evaluations are now simulated in chunks, and 1000 × 10 000 fits the page's
# default 1 GiB too.)
# Environment: SRNN (default target/release/srnn, built if missing), PKG (default
# www/pkg), BEFORE_PKG (optional: another build's www/ folder, e.g. www/pkg-before, timed
# through the same Simulator in the same run as a "before" row), BENCH_BIN (default the
# newest target/release/deps/reservoir-*, built by `cargo bench --bench reservoir
# --no-run` if missing), PHASES=0 to skip the phase profiles, PYTHON (default python3
# with reservoirpy installed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
units="${1:-1000}"
steps="${2:-10000}"
srnn="${SRNN:-target/release/srnn}"
pkg="${PKG:-www/pkg}"
python="${PYTHON:-python3}"
[ -x "$srnn" ] || cargo build --release --bin srnn
[ -f "$pkg/sparse_rnn_lab_bg.wasm" ] || bash scripts/build-web.sh baseline
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/run.json" <<JSON
{"reservoir": {"units": $units, "lr": 0.3, "sr": 1.25, "input_scaling": 1.0,
               "rc_connectivity": 0.1, "input_connectivity": 0.1, "bias_scaling": 0.0,
               "seed": 1},
 "task": {"id": "mackey-glass", "n_steps": $steps, "warmup": 0, "start": 0,
          "series_steps": $((steps + 1))},
 "train": {"batch_size": 1, "seed": 1},
 "limits": {"memory_mb": 4096},
 "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-6, "warmup": 100}}
JSON
# natively the memory limit may exceed wasm's 4 GiB
sed 's/"memory_mb": 4096/"memory_mb": 16384/' "$work/run.json" > "$work/native.json"
now_ms() { date +%s%3N; }
t0=$(now_ms)
"$srnn" train --config "$work/native.json" --steps 1 --eval-every 1 --eval-trials 1 -q > "$work/native.jsonl"
t1=$(now_ms)
native_ms=$((t1 - t0))
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
wasm="$(node benches/reservoir_speed.mjs "$work/run.json" --pkg "$pkg")"
before='{}'
if [ -n "${BEFORE_PKG:-}" ]; then
  before="$(node benches/reservoir_speed.mjs "$work/run.json" --pkg "$BEFORE_PKG")"
fi
peer="$("$python" - "$units" "$steps" <<'PY'
import json, sys, time
import numpy as np
from reservoirpy.datasets import mackey_glass
from reservoirpy.nodes import Reservoir, Ridge
units, steps = int(sys.argv[1]), int(sys.argv[2])
x = mackey_glass(steps + 1, history=np.full(17, 1.2)).reshape(-1, 1)
t0 = time.perf_counter()
r = Reservoir(units, lr=0.3, sr=1.25, input_scaling=1.0, rc_connectivity=0.1,
              input_connectivity=0.1, seed=1)
r.initialize(x[:1])
t1 = time.perf_counter()
states = r.run(x[:steps])
Ridge(ridge=1e-6, fit_bias=False).fit(states[100:], x[101 : steps + 1])
t2 = time.perf_counter()
r.reset()
r.run(x[:steps])
t3 = time.perf_counter()
ms = lambda a, b: (b - a) * 1e3
print(json.dumps({"build_ms": ms(t0, t1), "fit_ms": ms(t1, t2), "eval_ms": ms(t2, t3),
                  "total_ms": ms(t0, t3)}))
PY
)"
echo "load average at the start: $load_at_start; after the three sides: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u +%FT%TZ)"
echo "native srnn (whole process): $(cat "$work/native.jsonl" | tail -1)"
echo "wasm: $wasm"
[ -n "${BEFORE_PKG:-}" ] && echo "wasm before ($BEFORE_PKG): $before"
echo "reservoirpy: $peer"
node -e '
const [units, steps, nativeMs, wasm, peer, before] = process.argv.slice(1);
const w = JSON.parse(wasm), p = JSON.parse(peer);
const f = (v) => (v === undefined ? "—" : v.toFixed(0));
console.log(`\n| ${units} units × ${steps} steps | build (ms) | states + ridge fit (ms) | one more pass (ms) | total (ms) |`);
console.log("|---|---|---|---|---|");
console.log(`| native (srnn train, release, whole process) | — | — | — | ${nativeMs} |`);
if (w.refused) console.log(`| page wasm (node, Simulator) | refused: ${w.refused} | | | |`); else
console.log(`| page wasm (node, Simulator) | ${f(w.build_ms)} | ${f(w.fit_ms)} | ${f(w.eval_ms)} | ${f(w.total_ms)} |`);
const b = JSON.parse(before);
if (b.fit_ms !== undefined) console.log(`| page wasm before (${process.env.BEFORE_PKG}) | ${f(b.build_ms)} | ${f(b.fit_ms)} | ${f(b.eval_ms)} | ${f(b.total_ms)} |`);
console.log(`| reservoirpy ${"(NumPy)"} | ${f(p.build_ms)} | ${f(p.fit_ms)} | ${f(p.eval_ms)} | ${f(p.total_ms)} |`);
' "$units" "$steps" "$native_ms" "$wasm" "$peer" "$before"
[ "${PHASES:-1}" = 0 ] && exit 0

# the phase profile of one ridge step, natively, in node and in Chromium
bench_bin="${BENCH_BIN:-}"
if [ -z "$bench_bin" ]; then
  bench_bin="$(ls -t target/release/deps/reservoir-* 2>/dev/null | grep -v '\.d$' | head -1 || true)"
  if [ -z "$bench_bin" ]; then
    cargo bench --bench reservoir --no-run
    bench_bin="$(ls -t target/release/deps/reservoir-* | grep -v '\.d$' | head -1)"
  fi
fi
echo
echo "phase profiles: load average $(cut -d' ' -f1-3 /proc/loadavg); native $bench_bin, wasm $pkg"
"$bench_bin" --profile "$work/run.json" > "$work/native-phases.json"
BENCH_PKG="${pkg#www/}" node scripts/bench-wasm.mjs node-reservoir "$work/run.json" > "$work/node-phases.json"
BENCH_PKG="${pkg#www/}" node scripts/bench-wasm.mjs chromium-reservoir "$work/run.json" > "$work/chromium-phases.json"
echo "load average after the profiles: $(cut -d' ' -f1-3 /proc/loadavg)"
for side in native node chromium; do echo "$side phases: $(cat "$work/$side-phases.json")"; done
node -e '
const [units, steps, ...files] = process.argv.slice(1);
const sides = files.map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
console.log(`\n| one ridge step, ${units} units × ${steps} steps (ms) | native | wasm node | wasm Chromium | Chromium ÷ native |`);
console.log("|---|---|---|---|---|");
for (const [i, row] of sides[0].rows.entries()) {
  const ms = sides.map((s) => s.rows[i].ms);
  console.log(`| ${row.phase} | ${ms.map((v) => v.toFixed(0)).join(" | ")} | ${(ms[2] / Math.max(ms[0], 1e-9)).toFixed(2)} |`);
}
' "$units" "$steps" "$work/native-phases.json" "$work/node-phases.json" "$work/chromium-phases.json"

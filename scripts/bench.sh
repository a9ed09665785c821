#!/usr/bin/env bash
# Training-step benchmark of the standard workload (shared/bench/README.md), side by side:
# native (this CPU, SSE2 baseline build like the wasm SIMD128 one), wasm in node and wasm in
# headless Chromium, interleaved per workload, plus the PyTorch/NumPy figures of
# ../shared/bench/RESULTS.md (cited, same machine type) and the ratios.
#   bash scripts/bench.sh                 # all workloads
#   bash scripts/bench.sh n256_sp10       # some
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
source scripts/lib.sh
ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_node
ensure_chromium
ensure_node_modules
bash scripts/build-web.sh >/dev/null
workloads=("$@")
if [ ${#workloads[@]} -eq 0 ]; then
  workloads=(n256_dense n256_sp10 n1024_sp5 n1024_dense n4096_k64)
fi
if ensure_bench_data; then export BENCH_DATA="$ROOT/target/bench-data"; fi
cargo bench --bench training --no-run >/dev/null 2>&1
results=target/bench-results.jsonl
: > "$results"
for w in "${workloads[@]}"; do
  echo "== $w" >&2
  cargo bench --bench training -- "$w" --json 2>/dev/null | grep '^{' >> "$results"
  node scripts/bench-wasm.mjs node "$w" >> "$results"
  node scripts/bench-wasm.mjs chromium "$w" >> "$results"
done
python3 scripts/bench_table.py "$results" ../shared/bench/RESULTS.md
echo "bench wall time: $(( $(date +%s) - start )) s"

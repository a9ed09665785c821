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
ensure_wasm_toolchain
ensure_npm_packages
build_wasm_pkg
workloads=("$@")
if [ ${#workloads[@]} -eq 0 ]; then
  workloads=(n256_dense n256_sp10 n1024_sp5 n1024_dense n4096_k64)
fi
data_root=target/bench-data
if python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy >/dev/null 2>&1; then
  if [ -f ../shared/bench/gen_data.py ] && [ ! -f "$data_root/n256_dense/meta.json" ]; then
    python3 ../shared/bench/gen_data.py "$data_root" >/dev/null
  fi
fi
[ -f "$data_root/n256_dense/meta.json" ] && export BENCH_DATA="$PWD/$data_root"
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

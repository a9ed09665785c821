#!/usr/bin/env bash
# Training-step benchmark of the standard workload (shared/bench/README.md), side by side
# in ONE run, interleaved per workload (the 2-core machine is shared, so timings drift;
# interleaving keeps each workload's rows comparable):
#   native (default build = flavour "baseline", and a `+fma` build = flavour "fma"),
#   wasm in node and in headless Chromium, each as the SIMD128 build (www/pkg) and the
#   relaxed-SIMD FMA build (www/pkg-relaxed), and data-parallel training in Chromium
#   over 1 and `nproc` Web Workers (n256_sp10, n1024_sp5, n4096_k64),
#   with --peers: JAX (jit + lax.scan, dense W·M) on 1 thread (taskset -c 0) and on all
#   threads, from a venv under target/; with --peers=all also PyTorch (eager, eager_opt,
#   jit; 1 thread and all threads).
# Rows go to target/bench-results.jsonl ({runtime, name, workers, ms_per_step, ...}); the
# table and every ratio in it come from that file only.
#   bash scripts/bench.sh                          # ours only, all workloads
#   bash scripts/bench.sh --peers n256_sp10        # + JAX
#   bash scripts/bench.sh --peers=all              # + JAX + PyTorch (~3.5 GB venv)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
source scripts/lib.sh
peers=none
workloads=()
for arg in "$@"; do
  case "$arg" in
    --peers | --peers=jax) peers=jax ;;
    --peers=all) peers=all ;;
    --*) echo "bench.sh: unknown option '$arg' (allowed: --peers, --peers=jax, --peers=all)" >&2; exit 2 ;;
    *) workloads+=("$arg") ;;
  esac
done
if [ ${#workloads[@]} -eq 0 ]; then
  workloads=(n256_dense n256_sp10 n1024_sp5 n1024_dense n4096_k64)
fi
ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_node
ensure_chromium
ensure_node_modules
bash scripts/build-web.sh >/dev/null
peer_python=""
if [ "$peers" != none ]; then
  peer_python="$(ensure_peer_venv "$peers")"
  if [ ! -f target/bench-data/n1024_dense/meta.json ]; then
    "$peer_python" ../shared/bench/gen_data.py target/bench-data >/dev/null
  fi
fi
if ensure_bench_data; then export BENCH_DATA="$ROOT/target/bench-data"; fi
cargo bench --bench training --no-run >/dev/null 2>&1
fma_flags="-C target-feature=+fma"
RUSTFLAGS="$fma_flags" cargo bench --bench training --no-run --target-dir target/fma >/dev/null 2>&1
relaxed_node=(node --experimental-wasm-relaxed-simd)
threads="$(nproc)"
results=target/bench-results.jsonl
peer_raw=target/bench-peers-raw.jsonl
: > "$results"
: > "$peer_raw"

# peer_run RUNTIME WORKERS CMD...: run a peer script, convert its rows to ours.
peer_run() {
  local runtime="$1" workers="$2"
  shift 2
  "$@" --out "$peer_raw" 2>/dev/null | grep '^{' \
    | python3 scripts/bench_table.py --convert "$runtime" "$workers" >> "$results" \
    || echo "bench.sh: $runtime ($workers threads) failed on $w" >&2
}

for w in "${workloads[@]}"; do
  echo "== $w" >&2
  cargo bench --bench training -- "$w" --json 2>/dev/null | grep '^{' >> "$results"
  node scripts/bench-wasm.mjs chromium "$w" >> "$results"
  if [ -n "$peer_python" ] && [ -f "target/bench-data/$w/meta.json" ]; then
    peer_run jax 1 taskset -c 0 "$peer_python" ../shared/bench/bench_jax.py --cfg "$w" \
      --variant dense --data target/bench-data
  fi
  RUSTFLAGS="$fma_flags" cargo bench --bench training --target-dir target/fma -- "$w" --json \
    2>/dev/null | grep '^{' >> "$results"
  node scripts/bench-wasm.mjs chromium-fma "$w" >> "$results"
  node scripts/bench-wasm.mjs node "$w" >> "$results"
  "${relaxed_node[@]}" scripts/bench-wasm.mjs node-fma "$w" >> "$results"
  if [ -n "$peer_python" ] && [ -f "target/bench-data/$w/meta.json" ]; then
    XLA_FLAGS=--xla_cpu_multi_thread_eigen=true \
      peer_run jax "$threads" "$peer_python" ../shared/bench/bench_jax.py --cfg "$w" \
      --variant dense --data target/bench-data
    if [ "$peers" = all ]; then
      for t in 1 "$threads"; do
        peer_run torch "$t" "$peer_python" ../shared/bench/bench_torch.py --cfg "$w" \
          --threads "$t" --variant eager,eager_opt,jit --data target/bench-data
      done
    fi
  fi
done
# data-parallel training over Web Workers (1 and 2 workers, one page) on the workloads
# the issue names, as run descriptions of the same shapes (scripts/bench-wasm.mjs dpRun)
dp=()
for w in "${workloads[@]}"; do
  case "$w" in n256_sp10 | n1024_sp5 | n4096_k64) dp+=("$w") ;; esac
done
if [ ${#dp[@]} -gt 0 ]; then
  echo "== data-parallel: ${dp[*]}" >&2
  node scripts/bench-wasm.mjs chromium-dp "${dp[@]}" 1 "$threads" >> "$results"
fi
python3 scripts/bench_table.py "$results"
echo
echo "Same run, each row's fastest repetition:"
python3 scripts/bench_table.py "$results" --stat min | grep '^|'
echo "bench wall time: $(( $(date +%s) - start )) s"

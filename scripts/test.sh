#!/usr/bin/env bash
# Everything CI checks, in order, stopping at the first failure:
#   fmt, clippy (native and wasm32), native tests, the NumPy .npz round trip, sweep shards
#   under GNU parallel, wasm tests in Node, wasm tests in headless Chromium, the page
#   build, the browser smoke test, the npm package (built, loaded cross-origin, installed
#   from its tarball), the Python package (wheel, pytest, the notebook widget in JupyterLab,
#   an MkDocs site with the widget) and the demo site served alone.
# Installs what is missing first (wasm32 target, the exact wasm-bindgen-cli of Cargo.lock,
# node, Debian chromium + chromium-driver, playwright-core, numpy, GNU parallel). Prints a summary table.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
START=$SECONDS

say "installing what is missing"
ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_node
ensure_chromium
ensure_node_modules
ensure_numpy
ensure_parallel
ensure_python_venv >/dev/null
ensure_esbuild >/dev/null
echo "tools ready after $((SECONDS - START)) s: $(wasm-bindgen --version), node $(node --version), $(/usr/bin/chromium --version 2>/dev/null)"

ROWS=()
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

summary() {
  printf '\n%-34s %8s %8s %8s  %s\n' "runner" "passed" "failed" "seconds" "result"
  printf '%-34s %8s %8s %8s  %s\n' "------" "------" "------" "-------" "------"
  local row
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name passed failed seconds result <<<"$row"
    printf '%-34s %8s %8s %8s  %s\n' "$name" "$passed" "$failed" "$seconds" "$result"
  done
  local total_passed=0 total_failed=0
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name passed failed seconds result <<<"$row"
    [[ "$passed" =~ ^[0-9]+$ ]] && total_passed=$((total_passed + passed))
    [[ "$failed" =~ ^[0-9]+$ ]] && total_failed=$((total_failed + failed))
  done
  printf '\nscripts/test.sh wall time: %d s\n' "$((SECONDS - START))"
  printf 'total: %d passed, %d failed\n' "$total_passed" "$total_failed"
}

# step NAME COUNT-KIND COMMAND...: run, record the counts (cargo = sum of "test result"
# lines, plain = the last "name: P passed, F failed" line, none = no counts), stop on failure.
step() {
  local name="$1" kind="$2" started=$SECONDS result=ok passed=- failed=-
  shift 2
  say "$name: $*"
  if ! "$@" 2>&1 | tee "$LOG"; then
    result=FAILED
  fi
  case "$kind" in
    cargo)
      passed=$(grep -E '^test result:' "$LOG" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
      failed=$(grep -E '^test result:' "$LOG" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
      ;;
    plain)
      passed=$(sed -nE 's/^[a-z-]+: ([0-9]+) passed, ([0-9]+) failed$/\1/p' "$LOG" | tail -n 1)
      failed=$(sed -nE 's/^[a-z-]+: ([0-9]+) passed, ([0-9]+) failed$/\2/p' "$LOG" | tail -n 1)
      ;;
  esac
  ROWS+=("$name|${passed:--}|${failed:--}|$((SECONDS - started))|$result")
  if [ "$result" != ok ]; then
    summary
    echo "FAILED at: $name" >&2
    exit 1
  fi
}

export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/scripts/webdriver.json"

step "cargo fmt --check" none cargo fmt --check
step "clippy (native, all targets)" none cargo clippy --all-targets -- -D warnings
step "clippy (wasm32, lib + tests)" none \
  cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
step "cargo test (native)" cargo cargo test
# the srnn binary `cargo test` just built (test profile, target/debug/srnn; a no-op rebuild)
step "determinism, FMA flavour (native +fma)" cargo \
  env RUSTFLAGS="-C target-feature=+fma" CARGO_TARGET_DIR=target/fma \
  cargo test --release --test determinism
step "srnn binary" none cargo build --profile test --bin srnn
step "npz round trip (numpy)" plain python3 tests/python/test_npz.py target/debug/srnn
step "sweep shards under GNU parallel" plain bash tests/sched/parallel.sh target/debug/srnn
step "reference workload data (numpy)" none ensure_bench_data
step "reference workload vs NumPy/PyTorch" cargo \
  env BENCH_DATA="$ROOT/target/bench-data" cargo test --test reference_workload -- --ignored
step "wasm tests in Node" cargo cargo test --target wasm32-unknown-unknown --test wasm_node --test wasm_node_runs --test wasm_claims
step "hostile inputs in Node" cargo cargo test --target wasm32-unknown-unknown --test wasm_hostile
step "wasm tests in Node, FMA flavour (+relaxed-simd)" cargo \
  env NODE_ARGS=--experimental-wasm-relaxed-simd \
  RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" CARGO_TARGET_DIR=target/relaxed \
  cargo test --target wasm32-unknown-unknown --test wasm_node --test wasm_node_runs
step "wasm tests in headless Chromium" cargo \
  cargo test --target wasm32-unknown-unknown --test wasm_browser
step "page build (www/pkg)" none bash scripts/build-web.sh
step "page claims = CLI claims (quick groups, native vs www/pkg, bit for bit)" plain \
  node tests/smoke/claims-parity.mjs --bin target/debug/srnn
step "browser smoke test" plain node tests/smoke/smoke.mjs
step "run library: two tabs, reload, dead worker, reset, 30 MB model" plain node tests/smoke/runs.mjs
step "npm package (scripts/package.sh)" none bash scripts/package.sh
step "npm package: cross-origin, tarball" plain node tests/smoke/web-package.mjs
step "python wheel + widget bundle (maturin, no LTO)" none bash scripts/python-wheel.sh fast
step "python API (pytest; bit-identical to srnn train)" plain \
  env SRNN_BIN="$ROOT/target/debug/srnn" target/py-venv/bin/python -m pytest -q -p no:cacheprovider python/tests
step "notebook widget in JupyterLab (headless Chromium)" plain \
  target/py-venv/bin/python python/tests/jupyter/jupyter_widget.py "$ROOT"
step "MkDocs site embedding the widget (headless Chromium)" plain \
  node python/tests/docs/mkdocs_widget.mjs target/py-venv/bin/python target/npm/package
step "data-parallel workers (1/2/4 bit-identical)" plain node tests/smoke/data-parallel.mjs
step "long runs in the page (criterion, reload resume, Yang preset)" plain node tests/smoke/long-run.mjs
step "reservoir preset in the page (ridge fit, prediction vs target)" plain node tests/smoke/reservoir.mjs
step "demo site dist/ served alone" plain bash scripts/test-site.sh
step "fuzz model/config/task parsing (${FUZZ_SECONDS:-30} s per target)" plain \
  env FUZZ_SECONDS="${FUZZ_SECONDS:-30}" bash scripts/fuzz.sh
summary

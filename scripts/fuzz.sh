#!/usr/bin/env bash
# Bounded fuzzing of everything that parses user input (the cargo-fuzz targets in fuzz/):
#   model_file      persist::load_model on arbitrary UTF-8 / mutated saved models
#   network_config  JSON -> NetworkConfig -> validate -> Network::new (small networks)
#   task_options    (id, JSON options) -> tasks::registry::build_task -> one trial, scored
#   run_config      run description -> session::parse_run under a 64 MiB memory budget ->
#                   trainer of its rule -> one training step, one evaluation
#
# Usage: scripts/fuzz.sh [target ...]      (default: all four)
# Environment:
#   FUZZ_SECONDS   seconds of fuzzing per target (default 60)
#   FUZZ_RSS_MB    libFuzzer -rss_limit_mb, memory of one process (default 2048)
#   FUZZ_TIMEOUT   libFuzzer -timeout, seconds one input may take (default 20)
#   CARGO_TARGET_DIR  honoured as usual (default: ./target)
#
# Runs on the stable toolchain: cargo-fuzz with `--sanitizer none` passes only stable
# codegen flags (SanitizerCoverage via -Cpasses=sancov-module, -Cllvm-args), so no
# nightly and no RUSTC_BOOTSTRAP are needed. Without AddressSanitizer, memory errors in
# unsafe code would go unseen (the crate has none in these paths); panics, aborts,
# overflows (debug assertions are on), timeouts and oversized allocations are caught.
#
# Prints the executions per target and exits non-zero if any target crashed; the
# crashing input is in fuzz/artifacts/<target>/ (reproduce with
# `cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>`).
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    TARGETS=(model_file network_config task_options run_config)
fi

now() { date +%s; }

# 1. cargo-fuzz, exact version, installed once per machine.
t0=$(now)
if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION"
    # Its own target dir, so the install does not touch the project's build cache.
    CARGO_TARGET_DIR="$TARGET_DIR/cargo-fuzz-install" \
        cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked --quiet
fi
t1=$(now)

# 2. Build all targets (release, debug assertions, coverage instrumentation).
cargo fuzz build --sanitizer none
t2=$(now)

# 3. Run each target for FUZZ_SECONDS. The committed seeds (fuzz/corpus/<target>) are
#    read only; new corpus entries go to a scratch dir under the target dir.
failed=()
summary=()
for target in "${TARGETS[@]}"; do
    work="$TARGET_DIR/fuzz-corpus/$target"
    log="$TARGET_DIR/fuzz-logs/$target.log"
    mkdir -p "$work" "$(dirname "$log")"
    echo "fuzz: $target for ${FUZZ_SECONDS}s"
    status=0
    cargo fuzz run --sanitizer none "$target" "$work" "fuzz/corpus/$target" -- \
        -max_total_time="$FUZZ_SECONDS" \
        -dict=fuzz/dict/json.dict \
        -rss_limit_mb="$FUZZ_RSS_MB" \
        -timeout="$FUZZ_TIMEOUT" \
        -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        summary+=("$target: FAILED (exit $status) after ${execs:-?} executions")
        echo "fuzz: $target FAILED (exit $status); the report from $log:"
        # Drop progress lines and backtrace frames; the full log stays in $log.
        grep -v -E -e '^#[0-9]+' -e 'NEW_FUNC' -e '^ +[0-9]+: ' -e '^ +at ' -e '^stat::' \
            -e '^(INFO|WARNING):' "$log" | tail -n 30
        echo "fuzz: reproduce with: cargo fuzz run -s none $target fuzz/artifacts/$target/<file>"
    else
        summary+=("$target: ${execs:-?} executions, coverage ${cov:-?} edges")
    fi
done
t3=$(now)

echo "fuzz: summary (install $((t1 - t0))s, build $((t2 - t1))s, run $((t3 - t2))s)"
for line in "${summary[@]}"; do
    echo "  $line"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]} (inputs in fuzz/artifacts/)"
fi
# Plain closing line (targets, not inputs), for CI logs.
echo "fuzz: $((${#TARGETS[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]

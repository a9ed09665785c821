#!/usr/bin/env bash
# Build the page's wasm module: release wasm32 library -> www/pkg/ (wasm-bindgen --target web).
# Needs the wasm32 target and wasm-bindgen-cli (scripts/demo.sh and scripts/test.sh install them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir www/pkg \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/sparse_rnn_lab.wasm"
echo "built www/pkg ($(du -k www/pkg/sparse_rnn_lab_bg.wasm | cut -f1) KiB of wasm)"

#!/usr/bin/env bash
# Build the page's wasm modules (release wasm32 library, wasm-bindgen --target web):
#   www/pkg/          SIMD128 build, flavour "baseline" (the fallback every engine runs)
#   www/pkg-relaxed/  +relaxed-simd build whose kernels use f32x4.relaxed_madd (flavour
#                     "fma" on FMA hardware); www/flavour.js picks it when the engine
#                     validates relaxed SIMD and fuses its multiply-add.
# The relaxed build has its own target dir (its RUSTFLAGS would otherwise force a rebuild
# of the default one each time). Needs the wasm32 target and wasm-bindgen-cli
# (scripts/demo.sh and scripts/test.sh install them).
#   bash scripts/build-web.sh            # both
#   bash scripts/build-web.sh baseline   # only www/pkg
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
target_dir="${CARGO_TARGET_DIR:-target}"
which_builds="${1:-all}"

cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir www/pkg \
  "$target_dir/wasm32-unknown-unknown/release/sparse_rnn_lab.wasm"
echo "built www/pkg ($(du -k www/pkg/sparse_rnn_lab_bg.wasm | cut -f1) KiB of wasm)"

if [ "$which_builds" != "baseline" ]; then
  # RUSTFLAGS replaces .cargo/config.toml's target rustflags, so repeat +simd128 here.
  RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
    cargo build --release --target wasm32-unknown-unknown --lib --target-dir "$target_dir/relaxed"
  wasm-bindgen --target web --out-dir www/pkg-relaxed \
    "$target_dir/relaxed/wasm32-unknown-unknown/release/sparse_rnn_lab.wasm"
  echo "built www/pkg-relaxed ($(du -k www/pkg-relaxed/sparse_rnn_lab_bg.wasm | cut -f1) KiB of wasm)"
fi

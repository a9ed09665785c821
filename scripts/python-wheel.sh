#!/usr/bin/env bash
# Build the Python package `sparse-rnn-lab` (python/: PyO3 + maturin, abi3 for CPython
# >= 3.9) with the notebook widget's bundle inside, and install it into target/py-venv:
#   bash scripts/python-wheel.sh [release|fast]
# release (default): `maturin build --release` (LTO, as the main crate's release);
# fast: the `fast` profile (no LTO, 16 codegen units) for the tests. The bundle
# (python/pysrc/sparse_rnn_lab/static/lab.js: www/widget.js and its worker with the wasm
# inlined as base64) needs www/pkg (scripts/build-web.sh). Prints sizes and times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
profile="${1:-release}"
python="$(ensure_python_venv)"
tools="$(ensure_esbuild)"
[ -f www/pkg/sparse_rnn_lab_bg.wasm ] || bash scripts/build-web.sh
node python/widget/build.mjs "$tools" python/pysrc/sparse_rnn_lab/static/lab.js
rm -f target/wheels/sparse_rnn_lab-*.whl
started=$SECONDS
if [ "$profile" = release ]; then
  (cd python && "$(dirname "$python")/maturin" build --release --quiet -o "$ROOT/target/wheels")
else
  (cd python && "$(dirname "$python")/maturin" build --profile "$profile" --quiet -o "$ROOT/target/wheels")
fi
wheel="$(ls target/wheels/sparse_rnn_lab-*.whl)"
echo "wheel $wheel: $(du -k "$wheel" | cut -f1) KiB, built in $((SECONDS - started)) s ($profile profile)"
"$(dirname "$python")/pip" install --quiet --no-deps --force-reinstall "$wheel"

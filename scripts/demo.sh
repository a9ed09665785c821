#!/usr/bin/env bash
# Build the page and serve it: bash scripts/demo.sh [port]   (default 8080)
# Installs what is missing (wasm32 target, the exact wasm-bindgen-cli of Cargo.lock, node),
# builds www/pkg, then serves the repository root on http://127.0.0.1:<port>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
START=$SECONDS
PORT="${1:-8080}"
ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_node
say "building the page"
bash scripts/build-web.sh
say "ready after $((SECONDS - START)) s: open http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec node scripts/serve.mjs "$PORT" "$ROOT"

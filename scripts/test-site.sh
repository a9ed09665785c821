#!/usr/bin/env bash
# Test the hosted demo as a static host would serve it: write the site (scripts/build-site.sh)
# into a fresh temp folder away from the repository and run the browser smoke test
# against that folder alone (it prints `smoke-dist: P passed, F failed`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
bash scripts/build-site.sh "$site/site"
node tests/smoke/smoke.mjs --root "$site/site" --label smoke-dist

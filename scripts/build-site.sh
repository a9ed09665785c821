#!/usr/bin/env bash
# Write the hosted demo: one self-contained static folder, dist/ (or $1), that any static
# host serves as it is (GitHub Pages, Netlify, an S3 bucket):
#   dist/index.html          the lab page
#   dist/www/embed.html      the widget example (three widgets)
#   dist/www/*.js, style.css the page's and the widget's modules
#   dist/www/pkg*/           the wasm module(s)
#   dist/www/img/, data/     the gallery's figures, native results the page draws
# Relative paths only: fails when an HTML file refers to an absolute path or another host.
# Builds www/pkg first when it is missing (scripts/build-web.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -f www/pkg/sparse_rnn_lab_bg.wasm ] || bash scripts/build-web.sh

OUT="${1:-dist}"
rm -rf "$OUT"
mkdir -p "$OUT/www"
cp index.html "$OUT/"
cp www/*.js www/style.css www/embed.html "$OUT/www/"
# the gallery's figures (tests/smoke/screenshot.mjs --thumbs www/img), when there are any
if [ -d www/img ]; then cp -r www/img "$OUT/www/"; fi
# native results the page draws beside its own runs (a page sweep's `native` figure)
if [ -d www/data ]; then cp -r www/data "$OUT/www/"; fi
for dir in www/pkg*/; do
  name="$(basename "$dir")"
  mkdir -p "$OUT/www/$name"
  cp "$dir"/*.js "$dir"/*.wasm "$OUT/www/$name/"
done
touch "$OUT/.nojekyll" # GitHub Pages: serve the folder as it is

# relative paths only (a comment may name a CDN; an attribute may not)
if grep -nE '(src|href)="(/|https?:)' "$OUT"/index.html "$OUT"/www/*.html; then
  echo "build-site: the files above refer to absolute paths; the site must use relative ones" >&2
  exit 1
fi
echo "wrote $OUT/ ($(du -sk "$OUT" | cut -f1) KiB, $(find "$OUT" -type f | wc -l) files)"

#!/usr/bin/env bash
# Build the npm package `sparse-rnn-lab` and pack it:
#   target/npm/package/   package.json, README.md, index.js + index.d.ts (the ES-module
#                         entry: the wasm-bindgen API and loadWasm), pkg*/ (the wasm-bindgen
#                         module, its .d.ts types and the .wasm), widget.js and the modules
#                         it and its worker import
#   target/npm/sparse-rnn-lab-<version>.tgz   (npm pack)
# Builds www/pkg first when it is missing (scripts/build-web.sh). Fails when a copied module
# imports a file the package does not hold.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -f www/pkg/sparse_rnn_lab_bg.wasm ] || bash scripts/build-web.sh

OUT=target/npm
PKG="$OUT/package"
rm -rf "$PKG" "$OUT"/sparse-rnn-lab-*.tgz
mkdir -p "$PKG"
version="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
license="$(awk -F'"' '/^license = / { print $2; exit }' Cargo.toml)"
description="$(awk -F'"' '/^description = / { print $2; exit }' Cargo.toml)"

# every wasm build (pkg/, and any other flavour.js may pick), without wasm-bindgen's extras
for dir in www/pkg*/; do
  name="$(basename "$dir")"
  mkdir -p "$PKG/$name"
  cp "$dir"/*.js "$dir"/*.d.ts "$dir"/*.wasm "$PKG/$name/"
done
MODULES=(widget worker long-run-driver trainer-client protocol rpc spawn wasm flavour state presets pool pool-worker data-parallel dp-worker errors)
for module in "${MODULES[@]}"; do cp "www/$module.js" "$PKG/"; done

cat > "$PKG/index.js" <<'JS'
// The ES-module entry of sparse-rnn-lab: the wasm-bindgen API (Simulator, taskCatalog,
// runSweepPoint, ...; call the default export `init()` or `initSync({module})` first) and
// `loadWasm()`, which picks the best build for this browser and initialises it once.
export * from './pkg/sparse_rnn_lab.js';
export { default } from './pkg/sparse_rnn_lab.js';
export { loadWasm } from './wasm.js';
JS
cat > "$PKG/index.d.ts" <<'TS'
export * from './pkg/sparse_rnn_lab.js';
export { default } from './pkg/sparse_rnn_lab.js';
/** The initialised wasm module (the best build for this browser), loaded once. */
export function loadWasm(): Promise<typeof import('./pkg/sparse_rnn_lab.js')>;
TS

cat > "$PKG/package.json" <<JSON
{
  "name": "sparse-rnn-lab",
  "version": "$version",
  "description": "$description",
  "license": "$license",
  "type": "module",
  "main": "./index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": { "types": "./index.d.ts", "default": "./index.js" },
    "./widget.js": "./widget.js",
    "./pkg/*": "./pkg/*",
    "./*.js": "./*.js",
    "./package.json": "./package.json"
  },
  "sideEffects": ["./widget.js"],
  "keywords": ["rnn", "sparse", "neuroscience", "webassembly", "wasm", "web-component"]
}
JSON

cat > "$PKG/README.md" <<MD
# sparse-rnn-lab $version

Build, train and dissect small sparse recurrent neural networks in the browser
(Rust + WebAssembly, training in a Web Worker).

    npm install sparse-rnn-lab

The embeddable trainer, from a CDN or your own static host (it works cross-origin; the
host must send \`Access-Control-Allow-Origin\`):

    <script type="module" src="https://cdn.jsdelivr.net/npm/sparse-rnn-lab@$version/widget.js"></script>
    <srnn-widget preset="jarne" steps="300" plots="trial,loss" autoplay></srnn-widget>

Attributes: \`preset\`, \`config\` (a run description as JSON) or \`hash\`; \`plots\`,
\`controls\`, \`autoplay\`, \`steps\`. Events \`ready\`, \`progress\`, \`done\`, \`error\`;
methods \`train()\`, \`pause()\`, \`reset()\`, \`saveModel()\`. The library itself:

    import { loadWasm } from 'sparse-rnn-lab';
    const { Simulator } = await loadWasm();
    const sim = new Simulator({ task: { id: 'jl-xor' }, network: { n_neurons: 50 } });
    sim.trainSteps(100);

In Node: \`import { initSync, Simulator } from 'sparse-rnn-lab'\` and
\`initSync({ module: readFileSync(<path of pkg/sparse_rnn_lab_bg.wasm>) })\`.
Types: \`index.d.ts\` (the wasm-bindgen declarations).
MD

# every relative import of a copied module must be in the package
missing=0
for file in "$PKG"/*.js; do
  for ref in $(grep -oE "(from |import\(|new URL\()'\./[^']+'" "$file" | grep -oE "\./[^']+"); do
    if [ ! -e "$PKG/${ref#./}" ]; then
      echo "package: $(basename "$file") imports $ref, which the package does not hold" >&2
      missing=1
    fi
  done
done
[ "$missing" -eq 0 ]

(cd "$OUT" && npm pack --silent ./package >/dev/null)
tarball="$(ls "$OUT"/sparse-rnn-lab-"$version".tgz)"
echo "packed $tarball ($(du -k "$tarball" | cut -f1) KiB; $(tar tzf "$tarball" | wc -l) files)"

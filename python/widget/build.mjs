// Build the notebook widget's single ES module (anywidget's `_esm`):
//   node python/widget/build.mjs <esbuild package dir> <out.js>
// 1. dp-worker.js and worker.js (www/, unchanged) are bundled into source strings, with
//    www/wasm.js and www/spawn.js swapped for wasm-inline.js and spawn-inline.js;
// 2. lab.js (which imports www/widget.js) is bundled with those strings and the wasm of
//    www/pkg/ as base64 in `globalThis.__SRNN_WASM_B64`.
// Prints the sizes. Needs www/pkg (scripts/build-web.sh).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [toolsDir, outFile] = process.argv.slice(2);
if (!toolsDir || !outFile) throw new Error('usage: node build.mjs <esbuild package dir> <out.js>');
const esbuild = createRequire(path.resolve(toolsDir, 'package.json'))('esbuild');
const here = path.dirname(fileURLToPath(import.meta.url));
const www = path.resolve(here, '../../www');

/** Swap www's loaders for the inline ones and serve the worker sources as a module. */
function inline(sources) {
  return {
    name: 'srnn-inline',
    setup(build) {
      build.onResolve({ filter: /^\.\/(wasm|spawn)\.js$/ }, (args) => {
        if (path.resolve(args.resolveDir) !== www) return undefined;
        const file = args.path === './wasm.js' ? 'wasm-inline.js' : 'spawn-inline.js';
        return { path: path.join(here, file) };
      });
      build.onResolve({ filter: /^srnn-inline:worker-sources$/ }, () => ({ path: 'worker-sources', namespace: 'srnn-inline' }));
      build.onLoad({ filter: /.*/, namespace: 'srnn-inline' }, () => ({
        contents: `export const sources = ${JSON.stringify(sources)};`,
        loader: 'js',
      }));
    },
  };
}

async function bundle(entry, sources) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    target: 'es2022',
    logLevel: 'warning',
    plugins: [inline(sources)],
    // anywidget imports the bundle from a blob: URL, which cannot be the base of a relative
    // URL (`new URL('./worker.js', import.meta.url)` would throw); only file names are used
    define: { 'import.meta.url': '"file:///sparse-rnn-lab/"' },
  });
  return result.outputFiles[0].text;
}

const dpWorker = await bundle(path.join(www, 'dp-worker.js'), {});
const worker = await bundle(path.join(www, 'worker.js'), { 'dp-worker.js': dpWorker });
const main = await bundle(path.join(here, 'lab.js'), { 'worker.js': worker });
const wasm = readFileSync(path.join(www, 'pkg', 'sparse_rnn_lab_bg.wasm'));
const out = `globalThis.__SRNN_WASM_B64 ??= ${JSON.stringify(wasm.toString('base64'))};\n${main}`;
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, out);
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`widget bundle ${outFile}: ${kib(out.length)} (wasm ${kib(wasm.length)} as base64 ${kib(Math.ceil(wasm.length / 3) * 4)}, worker ${kib(worker.length)}, page code ${kib(main.length - worker.length)})`);

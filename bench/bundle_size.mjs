// Bundle size: the shipped browser file dist/webtorch.min.js (the bundle minified by terser at
// build time, wasm embedded as base64; what `exports` gives browsers) gzipped (level 9) and
// brotli-compressed, beside the readable dist/webtorch.js that Node and Deno load and the workerd
// bundle (JS and the separate .wasm). Run after `npm run build`:
//   node bench/bundle_size.mjs           prints the sizes
//   node bench/bundle_size.mjs --write   also rewrites the "Bundle size" block of bench/RESULTS.md
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_GZ = 150 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b).length;

function measure(file) {
  const b = readFileSync(path.join(ROOT, file));
  return { file, raw: b.length, gz: gz(b), br: br(b) };
}

const browser = measure('dist/webtorch.min.js');
const rows = [browser, measure('dist/webtorch.js')];
for (const f of ['dist/webtorch.gpu.min.js', 'dist/webtorch.relaxed.min.js', 'dist/webtorch.onnx.min.js', 'dist/webtorch.workerd.js', 'dist/webtorch.wasm']) if (existsSync(path.join(ROOT, f))) rows.push(measure(f));

const ok = browser.gz <= TARGET_GZ;
const md = [
  '<!-- bundle-size:start (written by `node bench/bundle_size.mjs --write`) -->',
  '## Bundle size',
  '',
  `Command: \`npm run build && node bench/bundle_size.mjs --write\`; dist/webtorch.min.js minified at build time by terser ${JSON.parse(readFileSync(path.join(ROOT, 'node_modules/terser/package.json'), 'utf8')).version} (rollup.config.mjs), gzip level 9, brotli default. Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`,
  '',
  '| file | as shipped | gzip | brotli |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.file} | ${kb(r.raw)} | ${kb(r.gz)} | ${kb(r.br)} |`),
  '',
  `- **Shipped browser file dist/webtorch.min.js, wasm included: ${kb(browser.gz)} gzipped** (target ≤ ${kb(TARGET_GZ)}: ${ok ? 'met' : 'NOT met'}). ` +
    'It is what `exports` gives browsers and bundlers (the `browser` condition) and what a page loads with `<script type="module">`; the kernels are embedded as base64, which gzip mostly recovers. ' +
    'Node and Deno load the readable dist/webtorch.js (same code, unminified).',
  '- The workerd bundle (dist/webtorch.workerd.js) leaves the bytes out and imports dist/webtorch.wasm as a precompiled module; its download is the two files together.',
  '<!-- bundle-size:end -->',
].join('\n');

console.log(md);
if (process.argv.includes('--write')) {
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const old = readFileSync(file, 'utf8');
  const re = /<!-- bundle-size:start[\s\S]*?<!-- bundle-size:end -->/;
  const next = re.test(old) ? old.replace(re, md) : old.replace(/\n*$/, '\n\n') + md + '\n';
  writeFileSync(file, next);
  console.log('wrote bench/RESULTS.md');
}
if (!ok) process.exitCode = 1;

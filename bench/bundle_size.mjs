// Bundle size: the browser bundle dist/webtorch.js (wasm embedded as base64) minified with esbuild
// and gzipped (level 9), plus the workerd bundle (JS and the separate .wasm). Run after
// `npm run build`:
//   node bench/bundle_size.mjs           prints the sizes
//   node bench/bundle_size.mjs --write   also rewrites the "Bundle size" block of bench/RESULTS.md
// esbuild is a dev dependency only for this measurement; the package ships unminified ESM.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { transform } from 'esbuild';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_GZ = 150 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b).length;

async function measureJs(file) {
  const src = readFileSync(path.join(ROOT, file), 'utf8');
  const { code } = await transform(src, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
  const min = Buffer.from(code);
  return { file, raw: Buffer.byteLength(src), min: min.length, gz: gz(min), br: br(min) };
}

const browser = await measureJs('dist/webtorch.js');
const rows = [browser];
if (existsSync(path.join(ROOT, 'dist/webtorch.workerd.js'))) rows.push(await measureJs('dist/webtorch.workerd.js'));
const wasmPath = path.join(ROOT, 'dist/webtorch.wasm');
if (existsSync(wasmPath)) {
  const w = readFileSync(wasmPath);
  rows.push({ file: 'dist/webtorch.wasm', raw: w.length, min: w.length, gz: gz(w), br: br(w) });
}

const ok = browser.gz <= TARGET_GZ;
const md = [
  '<!-- bundle-size:start (written by `node bench/bundle_size.mjs --write`) -->',
  '## Bundle size',
  '',
  `Command: \`npm run build && node bench/bundle_size.mjs --write\`; minified with esbuild ${(await import('esbuild')).version}, gzip level 9, brotli default. Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`,
  '',
  '| file | raw | minified | min+gzip | min+brotli |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.file} | ${kb(r.raw)} | ${r.file.endsWith('.wasm') ? '—' : kb(r.min)} | ${kb(r.gz)} | ${kb(r.br)} |`),
  '',
  `- **Browser bundle, wasm included: ${kb(browser.gz)} min+gzip** (target ≤ ${kb(TARGET_GZ)}: ${ok ? 'met' : 'NOT met'}). ` +
    'dist/webtorch.js is the single file that Node, Deno and browsers load; the kernels are embedded as base64, which gzip mostly recovers.',
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

// Bundles the compiled facade (tsc output in build/out/tsc) into one ESM file, dist/webtorch.js,
// with the wasm bytes embedded, so the package loads in any runtime with no file access. The same
// bundle minified by esbuild, dist/webtorch.min.js, is what `exports` gives browsers and what a
// page loads directly (`<script type="module">`, CDNs); Node and Deno get the readable one.
//
// A second bundle, dist/webtorch.workerd.js, is for edge workers (workerd / Cloudflare Workers),
// which forbid compiling wasm from bytes: there the kernel module is imported as a precompiled
// module from './webtorch.wasm' (copied beside it), and the embedded bytes are left out; it runs the
// SIMD128 kernels only (no relaxed-SIMD GEMM add-on).
import { copyFileSync, mkdirSync } from 'node:fs';
import { transform } from 'esbuild';

/**
 * Output plugin: the chunk minified by esbuild (whitespace, syntax, local identifiers). Class
 * names are kept, as module and optimizer reprs and dataset folders (MNIST/raw) read them: each
 * top-level class (`class X {`, or `let X$1 = class X {` where rollup renamed it) gets a static block that sets its `name` before minification renames it
 * (esbuild's keepNames would do this for every function too, about 7 KB gzipped more).
 */
const minify = {
  name: 'webtorch-esbuild-minify',
  async renderChunk(code) {
    let classes = 0;
    const named = code.replace(/^((?:let [\w$]+ = )?class ([\w$]+)(?: extends [^{\n]+)? \{)$/gm, (_, head, name) => {
      classes++;
      return `${head} static { __webtorchClassName(this, ${JSON.stringify(name.replace(/\$\d+$/, ''))}); }`;
    }) + '\nfunction __webtorchClassName(c, name) { Object.defineProperty(c, "name", { value: name }); }\n';
    if (classes < 50) throw new Error(`minify: found ${classes} top-level classes in the bundle, expected the library's ~100`);
    const out = await transform(named, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
    return { code: out.code, map: null };
  },
};

const shared = {
  input: 'build/out/tsc/ts/index.js',
  // platform modules are imported lazily, only where a file system exists
  external: [/^node:/],
  onwarn(w, warn) { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); },
};

const workerdWasm = {
  name: 'webtorch-workerd-wasm',
  resolveId(id, importer) {
    if (id === './webtorch.wasm') return { id, external: true };
    if (importer && /wasm_source\.js$/.test(id) && /[\\/]backend[\\/]/.test(importer)) return '\0webtorch-wasm-source';
    return null;
  },
  load(id) {
    if (id !== '\0webtorch-wasm-source') return null;
    // baseline only: the relaxed-SIMD GEMM add-on would be a second module import, and the
    // package check (test/runtime/run.mjs) allows the bundle only './webtorch.wasm'
    return "import wasmModule from './webtorch.wasm';\nexport function wasmSource() { return wasmModule; }\nexport function relaxedSource() { return null; }\n";
  },
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    copyFileSync('build/out/webtorch.wasm', 'dist/webtorch.wasm');
  },
};

export default [
  { ...shared, output: [
    { file: 'dist/webtorch.js', format: 'es', sourcemap: false },
    { file: 'dist/webtorch.min.js', format: 'es', sourcemap: false, plugins: [minify] },
  ] },
  { ...shared, output: { file: 'dist/webtorch.workerd.js', format: 'es', sourcemap: false }, plugins: [workerdWasm] },
];

// Bundles the compiled facade (tsc output in build/out/tsc) into one ESM file, dist/webtorch.js,
// with the wasm bytes embedded, so the package loads in any runtime with no file access. The same
// code minified by terser, dist/webtorch.min.js, is what `exports` gives browsers and what a page
// loads directly (`<script type="module">`, CDNs); Node and Deno get the readable one. In the
// browser build the webgpu backend (gpu/: kernels and WGSL) is a second file,
// dist/webtorch.gpu.min.js, that `await torch.webgpu.init()` imports: pages that stay on the CPU
// never download it.
//
// A second bundle, dist/webtorch.workerd.js, is for edge workers (workerd / Cloudflare Workers),
// which forbid compiling wasm from bytes: there the kernel module is imported as a precompiled
// module from './webtorch.wasm' (copied beside it), and the embedded bytes are left out; it runs the
// SIMD128 kernels only (no relaxed-SIMD GEMM add-on).
import { copyFileSync, mkdirSync } from 'node:fs';
import { minify as terser } from 'terser';

/**
 * Output plugin: each chunk minified by terser (two compress passes, mangled locals). Class
 * names are kept, as module and optimizer reprs and dataset folders (MNIST/raw) read them: each
 * top-level class (`class X {`, or `let X$1 = class X {` where rollup renamed it) gets a static block that sets its `name` before minification renames it
 * (keeping every function name instead would cost about 7 KB gzipped more).
 */
const minify = {
  name: 'webtorch-terser-minify',
  async renderChunk(code, chunk) {
    let classes = 0;
    const named = code.replace(/^((?:let [\w$]+ = )?class ([\w$]+)(?: extends [^{\n]+)? \{)$/gm, (_, head, name) => {
      classes++;
      return `${head} static { __webtorchClassName(this, ${JSON.stringify(name.replace(/\$\d+$/, ''))}); }`;
    }) + '\nfunction __webtorchClassName(c, name) { Object.defineProperty(c, "name", { value: name }); }\n';
    if (chunk.isEntry && classes < 50) throw new Error(`minify: found ${classes} top-level classes in the bundle, expected the library's ~100`);
    const out = await terser(named, { module: true, ecma: 2022, compress: { passes: 2 }, format: { comments: false } });
    return { code: out.code, map: null };
  },
};

/** The browser build's chunks: the webgpu backend (gpu/, but for the device runtime the facade imports) and the rest. */
const gpuChunk = (id) => (/[\\/]gpu[\\/]/.test(id) && !/[\\/]gpu[\\/](runtime|adapter)\.js$/.test(id) ? 'gpu' : 'webtorch');

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
  // Node and Deno: one readable file (the webgpu backend inlined)
  { ...shared, output: { file: 'dist/webtorch.js', format: 'es', sourcemap: false, inlineDynamicImports: true } },
  // browsers: the minified entry, and the webgpu backend as a chunk beside it that
  // torch.webgpu.init() imports, so pages that stay on the CPU never load it
  // ('allow-extension': the entry may also export what the gpu chunk imports from it, so the
  // modules both use stay in the entry rather than in a third, shared chunk)
  { ...shared, preserveEntrySignatures: 'allow-extension', output: { dir: 'dist', entryFileNames: 'webtorch.min.js', chunkFileNames: 'webtorch.gpu.min.js', format: 'es', sourcemap: false, plugins: [minify], manualChunks: gpuChunk } },
  { ...shared, output: { file: 'dist/webtorch.workerd.js', format: 'es', sourcemap: false, inlineDynamicImports: true }, plugins: [workerdWasm] },
];

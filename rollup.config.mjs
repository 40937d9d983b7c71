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
 * Output plugin: each chunk minified by terser (two compress passes, mangled locals; statements
 * are not joined into comma sequences, which leaves gzip more repeats: 0.2 KB smaller; strings are
 * single-quoted, a few dozen bytes smaller). In the main file, values and single-use functions are
 * not inlined where they are used either (reduce_vars off: 1.5 KB more text, 0.2-0.3 KB less
 * gzipped, and the embedded kernel string stays where it is declared, see below; the smaller
 * chunks come out larger without it, so they keep it). Class
 * names are kept (terser's keep_classnames), as module and optimizer reprs and dataset folders
 * (MNIST/raw) read them; rollup keeps a renamed class's own name (`let X$1 = class X {`).
 * Keeping every function name instead would cost about 7 KB gzipped more.
 *
 * The chunk that embeds the kernel module (build/out/wasm_bytes.js) gets its base64 string first:
 * the declaration, a constant string, moves to the top of the chunk. zlib ends a deflate block
 * every 16K symbols, wherever the content changes, and a block that mixes base64 with code codes
 * both with one Huffman table; at the top of the file the blob fills whole blocks, a short tail
 * aside, instead of spilling into two mixed ones (0.5 KB smaller gzipped, and 0.3 to 1.4 KB for
 * any blob size from 24 to 48 KB). It needs reduce_vars off, which would otherwise inline the
 * string into its one use: the minified file is checked to start with it.
 */
const WASM_BLOB = /^const WASM_DEFLATED(?:\$\d+)? = "[A-Za-z0-9+/=]*";\n/m;
const minify = {
  name: 'webtorch-terser-minify',
  async renderChunk(code, chunk) {
    const blob = chunk.moduleIds.some((id) => /[\\/]wasm_bytes\.js$/.test(id)) && code.match(WASM_BLOB);
    if (blob === null) throw new Error('webtorch-terser-minify: no `const WASM_DEFLATED = "...";` line in the chunk of wasm_bytes.js');
    if (blob) code = blob[0] + code.slice(0, blob.index) + code.slice(blob.index + blob[0].length);
    const compress = { passes: 2, sequences: false, reduce_vars: chunk.name !== 'webtorch' };
    const out = await terser(code, { module: true, ecma: 2022, keep_classnames: true, compress, format: { comments: false, quote_style: 1 } });
    if (blob && !/^const [\w$]+='[A-Za-z0-9+/=]{64}/.test(out.code)) throw new Error(`webtorch-terser-minify: ${chunk.fileName} does not start with the kernel module's base64`);
    return { code: out.code, map: null };
  },
};

/**
 * The chunks of the Node and browser builds: 'threads' (the worker pool, imported only when more
 * than one thread is wanted and can run), 'heap' (the kernel heap's allocator, imported only where
 * the kernel memory is shared), 'relaxed' (the relaxed-SIMD GEMM add-on, imported only where
 * the runtime validates relaxed SIMD), 'onnx' (torch.onnx.export's tracer maps, ONNX schema and
 * encoder, imported by the first export; ts/onnx/hook.js and index.js stay in the main file), 'vision' (webtorch/vision: ts/vision/ and the image
 * decoder) and 'gpu' (gpu/: the webgpu runtime and backend, which torch.webgpu.init() imports)
 * import from 'webtorch', the main entry, which holds everything else; so the main file carries
 * neither, and nothing is bundled twice.
 */
const chunkOf = (id) => {
  if (/[\\/]ts[\\/](vision[\\/]|platform[\\/]image\.js$)/.test(id)) return 'vision';
  if (/[\\/]gpu[\\/]/.test(id)) return 'gpu';
  if (/[\\/]wasm_relaxed_bytes\.js$/.test(id)) return 'relaxed';
  if (/[\\/](wasm_winograd_bytes|backend[\\/]wasm[\\/]winograd)\.js$/.test(id)) return 'winograd';
  if (/[\\/]backend[\\/]wasm[\\/]thread_pool\.js$/.test(id)) return 'threads';
  if (/[\\/]backend[\\/]wasm[\\/]heap\.js$/.test(id)) return 'heap';
  if (/[\\/]ts[\\/]onnx[\\/](?!hook\.js$|index\.js$)/.test(id)) return 'onnx';
  return 'webtorch';
};
const entries = { webtorch: 'build/out/tsc/ts/index.js', vision: 'build/out/tsc/ts/vision/index.js' };
// ('allow-extension': an entry may also export what the other chunks import from it, so the
// modules they share stay in the main entry rather than in a third, shared chunk)
const split = { input: entries, preserveEntrySignatures: 'allow-extension' };

/**
 * The AssemblyScript sources in ts/ops/pointwise_table.ts (`f`, `i`, `simd`, `vec`) are build inputs:
 * build/gen-pointwise.mjs compiles them into the wasm, and at run time only their presence is
 * read (`def.i`: an int32 kernel exists). Its WGSL expressions (`w`, `wi`) are read by the webgpu
 * kernels from their generated copy (gpu/wgsl/generated/pointwise_wgsl.ts, in the webgpu chunk),
 * so the main file need not carry them either (1 KB gzipped). The bundles keep the rows and
 * replace those strings by 1. The same for the optimizer table's `update` text (ts/optim/optim_table.ts:
 * build input, and read at run time only by the webgpu kernels, from gpu/wgsl/generated/optim_updates.ts).
 */
const kernelSourcesOut = {
  name: 'webtorch-strip-kernel-sources',
  transform(code, id) {
    // the optimizer table's update text: build input and webgpu input (gpu/wgsl/generated/optim_updates.ts)
    if (/[\\/]optim[\\/]optim_table\.js$/.test(id)) {
      const out = code.replace(/\bupdate: *(`(?:[^`\\]|\\.)*`|[A-Z_]+ *\+ *`(?:[^`\\]|\\.)*`)/g, 'update: 1');
      if (/\bupdate:(?! *1\b)/.test(out)) throw new Error('strip-kernel-sources: an update of optim_table.js has a form this transform does not strip');
      return { code: out, map: null };
    }
    if (!/[\\/]ops[\\/]pointwise_table\.js$/.test(id)) return null;
    let n = 0;
    const out = code.replace(/\b(f|i|simd|vec|w|wi): *('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)/g, (_, k) => { n++; return `${k}: 1`; });
    if (n < 50) throw new Error(`strip-kernel-sources: found ${n} kernel sources in pointwise_table.js, expected about 100`);
    return { code: out, map: null };
  },
};

const shared = {
  input: 'build/out/tsc/ts/index.js',
  plugins: [kernelSourcesOut],
  // platform modules are imported lazily, only where a file system exists
  external: [/^node:/, /^protobufjs\//], // protobufjs: torch.onnx.export's optional peer dependency
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
    return "import wasmModule from './webtorch.wasm';\nexport function wasmSource() { return wasmModule; }\nexport async function relaxedSource() { return null; }\nexport async function winogradSource() { return null; }\n";
  },
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    copyFileSync('build/out/webtorch.wasm', 'dist/webtorch.wasm');
  },
};

export default [
  // Node and Deno: readable dist/webtorch.js, dist/vision.js and dist/webtorch.gpu.js
  { ...shared, ...split, output: { dir: 'dist', entryFileNames: '[name].js', chunkFileNames: 'webtorch.[name].js', format: 'es', sourcemap: false, manualChunks: chunkOf } },
  // browsers: the same files minified; torch.webgpu.init() imports the gpu chunk, so pages that
  // stay on the CPU never load it
  { ...shared, ...split, output: { dir: 'dist', entryFileNames: '[name].min.js', chunkFileNames: 'webtorch.[name].min.js', format: 'es', sourcemap: false, plugins: [minify], manualChunks: chunkOf } },
  { ...shared, output: { file: 'dist/webtorch.workerd.js', format: 'es', sourcemap: false, inlineDynamicImports: true }, plugins: [kernelSourcesOut, workerdWasm] },
];

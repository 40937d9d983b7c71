// Bundles the compiled facade (tsc output in build/out/tsc) into one ESM file, dist/webtorch.js,
// with the wasm bytes embedded, so the package loads in any runtime with no file access.
export default {
  input: 'build/out/tsc/ts/index.js',
  output: { file: 'dist/webtorch.js', format: 'es', sourcemap: false },
  // platform modules are imported lazily, only where a file system exists
  external: [/^node:/],
  onwarn(w, warn) { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); },
};

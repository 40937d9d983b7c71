// The kernel modules import their linear memory (asconfig.json: importMemory, at most 65536 pages),
// so the runtime creates one WebAssembly.Memory and every instance (the main module, the
// relaxed-SIMD add-on, and each worker thread's copy: ts/backend/wasm/thread_pool.ts) shares it.
// Where threads can exist, that memory is shared (backed by a SharedArrayBuffer): the modules are
// built with an ordinary memory import, and sharedImport() flips the import's limits flag to
// "shared" in the bytes before compiling, so the same build serves both cases.

export const MAX_PAGES = 65536;

/** Threads can run here: SharedArrayBuffer exists and, in a browser, the page is cross-origin isolated. */
export function threadsAvailable(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const g = globalThis as any;
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (typeof g.crossOriginIsolated === 'boolean' && !g.crossOriginIsolated) return false;
  // Node, Bun and Deno have worker threads; browsers and Deno have Worker; workerd has neither
  return typeof g.Worker === 'function' || typeof g.process?.versions?.node === 'string';
}

function leb(b: Uint8Array, p: number): [number, number] {
  let v = 0, shift = 0;
  for (;;) {
    const x = b[p++];
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(x & 0x80)) return [v, p];
  }
}

/**
 * Finds the memory import of a module's bytes: the offset of its limits flag byte and its initial
 * page count. Throws when the module imports no memory (a build that does not match this runtime).
 */
export function memoryImport(bytes: Uint8Array): { flagAt: number; initial: number } {
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p];
    const [size, body] = leb(bytes, p + 1);
    if (id === 2) {
      let [count, q] = leb(bytes, body);
      for (; count > 0; count--) {
        let len: number;
        [len, q] = leb(bytes, q); q += len; // module name
        [len, q] = leb(bytes, q); q += len; // field name
        const kind = bytes[q++];
        if (kind === 2) return { flagAt: q, initial: leb(bytes, q + 1)[0] };
        if (kind === 0) q = leb(bytes, q)[1]; // function: type index
        else if (kind === 1) { q++; q = leb(bytes, bytes[q++] & 1 ? leb(bytes, q)[1] : q)[1]; } // table
        else if (kind === 3) q += 2; // global: valtype, mutability
        else break;
      }
    }
    p = body + size;
  }
  throw new Error('webtorch: the kernel module imports no memory (rebuild with npm run build:wasm)');
}

/** A copy of `bytes` whose memory import is shared (its limits must carry a maximum: flag 1 -> 3). */
export function sharedImport(bytes: Uint8Array): Uint8Array {
  const { flagAt } = memoryImport(bytes);
  if (bytes[flagAt] !== 1) throw new Error('webtorch: the kernel module\'s memory import has no maximum, so it cannot be shared');
  const out = bytes.slice();
  out[flagAt] = 3;
  return out;
}

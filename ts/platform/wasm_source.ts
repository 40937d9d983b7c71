// Where the kernel module comes from. By default: the wasm bytes embedded (deflated, base64) in the bundle,
// compiled at load time; this works in Node, Deno, Bun and browsers with no file access.
//
// Edge workers (workerd) forbid compiling wasm from bytes at run time. Their bundle
// (dist/webtorch.workerd.js, see rollup.config.mjs) replaces this module with one whose
// wasmSource() returns the precompiled WebAssembly.Module imported from './webtorch.wasm'.
//
// relaxedSource() loads the optional relaxed-SIMD GEMM add-on (assembly/relaxed.ts) from a chunk of
// its own (dist/webtorch.relaxed*.js), which ts/backend/wasm/variant.ts asks for only where the
// runtime supports relaxed SIMD: the main browser file does not carry it. winogradSource() loads the
// Winograd convolution add-on (assembly/winograd.ts) likewise, everywhere but edge workers.
import { WASM_DEFLATED, WASM_SIZE } from '../../build/out/wasm_bytes.js';
import { inflateRaw } from './inflate.js';

function decodeBase64(s: string): Uint8Array {
  if (typeof atob === 'function') {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return new Uint8Array((globalThis as any).Buffer.from(s, 'base64'));
}

/** Module bytes embedded deflated (build/build-wasm.mjs) and base64-encoded. */
function embedded(b64: string, size: number, name: string): Uint8Array {
  return inflateRaw(decodeBase64(b64), size, (msg) => { throw new Error(`webtorch: the embedded ${name} is damaged: ${msg}`); });
}

/** The kernel module: its bytes, or an already compiled module. */
export function wasmSource(): Uint8Array | WebAssembly.Module {
  return embedded(WASM_DEFLATED, WASM_SIZE, 'webtorch.wasm');
}

/** The relaxed-SIMD GEMM add-on: its bytes, a compiled module, or null where the bundle has none. */
export async function relaxedSource(): Promise<Uint8Array | WebAssembly.Module | null> {
  const { WASM_RELAXED_DEFLATED, WASM_RELAXED_SIZE } = await import('../../build/out/wasm_relaxed_bytes.js');
  return embedded(WASM_RELAXED_DEFLATED, WASM_RELAXED_SIZE, 'webtorch_relaxed.wasm');
}

/** The Winograd convolution add-on: its bytes, or null where the bundle has none. */
export async function winogradSource(): Promise<Uint8Array | null> {
  const { WASM_WINOGRAD_DEFLATED, WASM_WINOGRAD_SIZE } = await import('../../build/out/wasm_winograd_bytes.js');
  return embedded(WASM_WINOGRAD_DEFLATED, WASM_WINOGRAD_SIZE, 'webtorch_winograd.wasm');
}

// Which build of the GEMM kernels runs: the SIMD128 baseline that every runtime has, or the
// relaxed-SIMD add-on (assembly/relaxed.ts: fused multiply-add 6-row micro-kernels, importing the
// main module's memory). The add-on is used only where the runtime validates it AND its
// relaxed_probe() export computes a*b+c correctly (Node 20 behind --experimental-wasm-relaxed-simd
// has given wrong results for a relaxed op), and where WEBTORCH_WASM is not 'simd128'.
// Relaxed FMA is implementation-defined (fused or not), so results match the baseline only within
// float tolerance, not bit for bit.

export type WasmVariant = 'simd128' | 'relaxed-simd';

/** The exports the add-on provides in place of the main module's (f32 only: float64 GEMM stays on
 *  the baseline, which keeps the add-on at ~3.4 KB min+gzip in the bundle). */
export const RELAXED_EXPORTS = ['gemm_f32', 'gemm_f32_workspace'] as const;

/** WEBTORCH_WASM from the environment (Node/Bun process.env, Deno.env) or globalThis; '' when unset. */
export function wasmVariantSetting(): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const g = globalThis as any;
  if (typeof g.WEBTORCH_WASM === 'string') return g.WEBTORCH_WASM;
  try {
    const v = g.process?.env?.WEBTORCH_WASM;
    if (typeof v === 'string') return v;
  } catch { /* no environment access */ }
  try {
    const v = g.Deno?.env?.get?.('WEBTORCH_WASM');
    if (typeof v === 'string') return v;
  } catch { /* Deno without --allow-env */ }
  return '';
}

type AddOn = Uint8Array | WebAssembly.Module;

/**
 * A module of one function, (v128, v128, v128) -> f32x4.relaxed_madd: it validates exactly where
 * relaxed SIMD exists, so the add-on's own chunk is loaded only there.
 */
export const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // local.get 0 1 2; f32x4.relaxed_madd
]);

export interface VariantOptions {
  /** the add-on (bytes or compiled module), or its loader; null where the bundle ships none (workerd) */
  relaxed: AddOn | (() => Promise<AddOn | null>) | null;
  /** the main module's memory, imported by the add-on */
  memory: WebAssembly.Memory;
  /** WEBTORCH_WASM: 'simd128' forces the baseline */
  setting?: string;
  /** feature test (default WebAssembly.validate) */
  validate?: (bytes: BufferSource) => boolean;
  /** instantiation (default WebAssembly.instantiate) */
  instantiate?: (src: Uint8Array | WebAssembly.Module, imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>;
}

export interface VariantChoice {
  variant: WasmVariant;
  /** the add-on's exports to use in place of the main module's (relaxed only) */
  exports: Record<string, unknown> | null;
  /** the add-on that was instantiated (relaxed only), for worker threads to instantiate again */
  source?: AddOn;
  /** why the baseline was picked, when it was */
  reason?: string;
}

async function defaultInstantiate(src: Uint8Array | WebAssembly.Module, imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  if (src instanceof WebAssembly.Module) return WebAssembly.instantiate(src, imports);
  return (await WebAssembly.instantiate(src as BufferSource, imports)).instance;
}

/** Picks the kernel variant; never throws (any failure means the baseline). */
export async function pickVariant(o: VariantOptions): Promise<VariantChoice> {
  const setting = (o.setting ?? wasmVariantSetting()).toLowerCase();
  if (setting === 'simd128' || setting === 'baseline') return { variant: 'simd128', exports: null, reason: `WEBTORCH_WASM=${setting}` };
  if (!o.relaxed) return { variant: 'simd128', exports: null, reason: 'no relaxed-SIMD module in this bundle' };
  try {
    const validate = o.validate ?? ((b: BufferSource) => WebAssembly.validate(b));
    let addOn: AddOn | null;
    if (typeof o.relaxed === 'function') {
      if (!validate(RELAXED_PROBE)) return { variant: 'simd128', exports: null, reason: 'relaxed SIMD does not validate' };
      addOn = await o.relaxed();
      if (!addOn) return { variant: 'simd128', exports: null, reason: 'no relaxed-SIMD module in this bundle' };
    } else addOn = o.relaxed;
    if (!(addOn instanceof WebAssembly.Module) && !validate(addOn as BufferSource)) {
      return { variant: 'simd128', exports: null, reason: 'relaxed SIMD does not validate' };
    }
    const inst = await (o.instantiate ?? defaultInstantiate)(addOn, {
      env: {
        memory: o.memory,
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`webtorch: internal kernel abort at ${line}:${col}`);
        },
      },
    });
    const ex = inst.exports as Record<string, unknown>;
    if (typeof ex.relaxed_probe !== 'function' || (ex.relaxed_probe as () => number)() !== 1) {
      return { variant: 'simd128', exports: null, reason: 'relaxed_madd probe failed' };
    }
    for (const name of RELAXED_EXPORTS) {
      if (typeof ex[name] !== 'function') return { variant: 'simd128', exports: null, reason: `relaxed module lacks ${name}` };
    }
    return { variant: 'relaxed-simd', exports: ex, source: addOn };
  } catch (e) {
    return { variant: 'simd128', exports: null, reason: `relaxed module failed to load: ${(e as Error).message}` };
  }
}

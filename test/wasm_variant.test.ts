// The relaxed-SIMD GEMM add-on is picked only where it validates and its probe passes
// (ts/backend/wasm/variant.ts); otherwise, or with WEBTORCH_WASM=simd128, the SIMD128 baseline.
import { describe, it, expect } from 'vitest';
import { pickVariant, RELAXED_PROBE } from '../ts/backend/wasm/variant.js';
import { relaxedSource } from '../ts/platform/wasm_source.js';
import * as torch from '../ts/index.js';

const memory = () => new WebAssembly.Memory({ initial: 1 });
const fakeInstance = (probe: number) => async () => ({
  exports: { relaxed_probe: () => probe, gemm_f32() {}, gemm_f32_workspace() {}, gemm_f64() {}, gemm_f64_workspace() {} },
} as unknown as WebAssembly.Instance);

describe('wasm kernel variant selection', () => {
  it('picks the baseline when WebAssembly.validate rejects the relaxed module', async () => {
    let instantiated = false;
    const c = await pickVariant({
      relaxed: new Uint8Array([0, 97, 115, 109]), memory: memory(), setting: '',
      validate: () => false, instantiate: async () => { instantiated = true; throw new Error('unreachable'); },
    });
    expect(c.variant).toBe('simd128');
    expect(c.exports).toBeNull();
    expect(c.reason).toMatch(/does not validate/);
    expect(instantiated).toBe(false);
  });

  it('picks the baseline when the relaxed_madd probe gives wrong results', async () => {
    const c = await pickVariant({ relaxed: new Uint8Array(8), memory: memory(), setting: '', validate: () => true, instantiate: fakeInstance(0) });
    expect(c.variant).toBe('simd128');
    expect(c.reason).toMatch(/probe/);
  });

  it('picks the baseline when instantiation throws, or the bundle has no relaxed module', async () => {
    const c = await pickVariant({ relaxed: new Uint8Array(8), memory: memory(), setting: '', validate: () => true, instantiate: async () => { throw new Error('boom'); } });
    expect(c.variant).toBe('simd128');
    expect(c.reason).toMatch(/boom/);
    expect((await pickVariant({ relaxed: null, memory: memory(), setting: '' })).variant).toBe('simd128');
  });

  it('WEBTORCH_WASM=simd128 forces the baseline', async () => {
    const c = await pickVariant({ relaxed: new Uint8Array(8), memory: memory(), setting: 'simd128', validate: () => true, instantiate: fakeInstance(1) });
    expect(c.variant).toBe('simd128');
  });

  it('picks relaxed-simd when validation and the probe pass', async () => {
    const c = await pickVariant({ relaxed: new Uint8Array(8), memory: memory(), setting: '', validate: () => true, instantiate: fakeInstance(1) });
    expect(c.variant).toBe('relaxed-simd');
    expect(typeof c.exports?.gemm_f32).toBe('function');
  });

  it('loads the add-on\'s chunk only where the relaxed_madd probe module validates and the setting allows it', async () => {
    let loads = 0;
    const loader = async () => { loads++; return new Uint8Array(8); };
    expect((await pickVariant({ relaxed: loader, memory: memory(), setting: '', validate: () => false })).reason).toBe('relaxed SIMD does not validate');
    expect((await pickVariant({ relaxed: loader, memory: memory(), setting: 'simd128', validate: () => true })).variant).toBe('simd128');
    expect(loads).toBe(0);
    const c = await pickVariant({ relaxed: loader, memory: memory(), setting: '', validate: () => true, instantiate: fakeInstance(1) });
    expect(c.variant).toBe('relaxed-simd');
    expect(loads).toBe(1);
    expect((await pickVariant({ relaxed: async () => null, memory: memory(), setting: '', validate: () => true })).variant).toBe('simd128');
    // the probe module is valid wasm exactly where the real add-on is
    expect(WebAssembly.validate(RELAXED_PROBE)).toBe(WebAssembly.validate((await relaxedSource()) as Uint8Array));
  });

  it('the real add-on: relaxed where this runtime validates it, and torch.backends.wasm.variant agrees', async () => {
    const bytes = (await relaxedSource()) as Uint8Array;
    const supported = WebAssembly.validate(bytes);
    const c = await pickVariant({ relaxed: bytes, memory: memory(), setting: '' });
    expect(c.variant).toBe(supported ? 'relaxed-simd' : 'simd128');
    expect(['simd128', 'relaxed-simd']).toContain(torch.backends.wasm.variant);
  });
});

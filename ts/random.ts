// Random numbers: a counter-based generator (splitmix64 over seed + counter, in wasm). A draw
// of n values uses counters [offset, offset + n) and advances the offset, so a seed gives the
// same stream on every runtime. Documented in the README ("Random numbers").
import { Tensor } from './tensor.js';
import type { DType } from './dtype.js';
import { ITEMSIZE, arrayFor } from './dtype.js';
import { numel } from './shape.js';
import { K, alloc, take, scratch } from './backend/cpu.js';

export class Generator {
  private seed = 67280421310721n;
  private offset = 0n;
  manual_seed(seed: number | bigint): this {
    this.seed = BigInt.asUintN(64, BigInt(seed));
    this.offset = 0n;
    return this;
  }
  initial_seed(): number { return Number(this.seed); }
  seed_(): number { return this.manual_seed(BigInt(Date.now()) * 2654435761n).initial_seed(); }
  get_state(): { seed: bigint; offset: bigint } { return { seed: this.seed, offset: this.offset }; }
  set_state(s: { seed: bigint; offset: bigint }): void { this.seed = s.seed; this.offset = s.offset; }
  /** reserves n counters and returns [key, first counter] */
  _take(n: number): [bigint, bigint] {
    const c = this.offset;
    this.offset += BigInt(n);
    return [this.seed, c];
  }
}

export const default_generator = new Generator();
export function manual_seed(seed: number | bigint): Generator { return default_generator.manual_seed(seed); }
export function seed(): number { return default_generator.seed_(); }
export function initial_seed(): number { return default_generator.initial_seed(); }

export type RandomKind = 'uniform' | 'normal' | 'int' | 'bernoulli';

/** A new tensor of random values: uniform [a, b), normal(a, b), integers [a, b), or bernoulli(a). */
export function randomFill(kind: RandomKind, shape: readonly number[], dtype: DType, a: number, b: number, gen: Generator = default_generator): Tensor {
  const n = numel(shape);
  if (n === 0) return Tensor._fromData(arrayFor(dtype, 0), dtype, shape);
  const f64 = dtype === 'float64';
  const data = scratch(() => {
    if (kind === 'int') {
      const p = alloc(n * 4);
      const [key, ctr] = gen._take(n);
      K.rand_int_i32(key, ctr, p, n, a, b);
      const t = take(p, 'int32', n);
      return dtype === 'int32' ? t : Tensor._fromData(t, 'int32', shape).to(dtype).dataSync();
    }
    const kd: DType = f64 ? 'float64' : 'float32';
    const p = alloc(n * ITEMSIZE[kd]);
    const [key, ctr] = gen._take(kind === 'normal' ? n + (n & 1) : n);
    if (kind === 'normal') K[f64 ? 'rand_normal_f64' : 'rand_normal_f32'](key, ctr, p, n, a, b);
    else K[f64 ? 'rand_uniform_f64' : 'rand_uniform_f32'](key, ctr, p, n, 0, 1);
    const u = take(p, kd, n);
    if (kind === 'uniform' && (a !== 0 || b !== 1)) {
      return Tensor._fromData(u, kd, shape).mul(b - a).add(a).to(dtype).dataSync();
    }
    if (kind === 'bernoulli') return Tensor._fromData(u, kd, shape).lt(a).to(dtype).dataSync();
    return u;
  });
  return Tensor._fromData(data, dtype, shape);
}

export function randpermData(n: number, gen: Generator = default_generator): Int32Array {
  return scratch(() => {
    const p = alloc(n * 4);
    const [key, ctr] = gen._take(n);
    K.rand_perm_i32(key, ctr, p, n);
    return take(p, 'int32', n) as Int32Array;
  });
}

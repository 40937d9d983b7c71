// Random numbers: a counter-based generator (splitmix64 over seed + counter). A draw of n values
// uses counters [offset, offset + n) and advances the offset, so a seed gives the same stream on
// every runtime and device: the backends make the values from (key, counter) alone
// (ts/backend/kernels/random.ts). Documented in the README ("Random numbers").
import { Tensor } from './tensor.js';
import type { DType } from './dtype.js';
import { numel } from './shape.js';
import type { DeviceType } from './backend/storage.js';
import { viewOf } from './backend/view.js';
import { backendNamed } from './backend/dispatch.js';
import type { RandomKind } from './backend/kernels/random.js';

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

export type { RandomKind };

/**
 * A new tensor of random values: uniform [a, b), normal(a, b), integers [a, b), or bernoulli(a),
 * made on `device` (the CPU unless given).
 */
export function randomFill(kind: RandomKind, shape: readonly number[], dtype: DType, a: number, b: number,
  gen: Generator = default_generator, device: DeviceType = 'cpu'): Tensor {
  const n = numel(shape);
  const [key, counter] = gen._take(kind === 'normal' ? n + (n & 1) : n);
  return new Tensor(backendNamed(device).random(kind, n, dtype, a, b, key, counter), shape);
}

/** A random permutation of 0..n-1 as host values (samplers and randperm). */
export function randpermData(n: number, gen: Generator = default_generator): Int32Array {
  const [key, counter] = gen._take(n);
  const cpu = backendNamed('cpu');
  const s = cpu.randperm(n, key, counter);
  try { return cpu.readSync(viewOf(s, [n]), 'randperm') as Int32Array; } finally { s.free(); }
}

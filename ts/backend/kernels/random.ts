// Random numbers from the counter-based generator (ts/random.ts keeps the seed and the offset):
// value i of a draw is a function of (key, counter + i) alone, so every backend makes the same
// stream.
import type { DType } from '../../dtype.js';
import type { Storage } from '../storage.js';

/**
 * uniform [a, b), normal(mean a, std b), integers [a, b), bernoulli(p = a), or dropout(p = a): the
 * scaled keep-mask of dropout, exactly `uniform(0, 1) >= a` as the dtype divided by (1 - a) (the
 * same values as rand(..).ge(a).to(dtype).div(1 - a), made in one pass; float dtypes only).
 */
export type RandomKind = 'uniform' | 'normal' | 'int' | 'bernoulli' | 'dropout';

export interface RandomKernels {
  /**
   * A new contiguous storage of `n` values of `dtype` drawn with `key` from counters `counter`
   * onwards (n of them; normal uses n rounded up to even, a Box-Muller pair each).
   */
  random(kind: RandomKind, n: number, dtype: DType, a: number, b: number, key: bigint, counter: bigint): Storage;
  /** A random permutation of 0..n-1 as a new int32 storage (Fisher-Yates over counters [counter, counter + n)). */
  randperm(n: number, key: bigint, counter: bigint): Storage;
}

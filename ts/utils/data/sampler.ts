// Samplers: which dataset indices a DataLoader visits, and in what order. Random samplers draw
// from a Generator (default: a seed taken from the global generator at the start of each
// iteration, as PyTorch does), so the same torch.manual_seed gives the same batches.
import { randpermData, randomFill, default_generator, Generator } from '../../random.js';
import { Tensor } from '../../tensor.js';
import { datasetLength } from './dataset.js';

export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  abstract get length(): number;
  __len__(): number { return this.length; }
}

/** The generator of one pass: the sampler's own, else a fresh one seeded from the global stream (as PyTorch does). */
function epochGenerator(gen: Generator | null | undefined): Generator {
  if (gen) return gen;
  const r = randomFill('int', [2], 'int32', 0, 2 ** 30, default_generator).dataSync();
  return new Generator().manual_seed((BigInt(r[0]) << 30n) | BigInt(r[1]));
}

export class SequentialSampler extends Sampler<number> {
  constructor(readonly data_source: unknown) { super(); }
  get length(): number { return datasetLength(this.data_source); }
  *[Symbol.iterator](): Iterator<number> { const n = this.length; for (let i = 0; i < n; i++) yield i; }
}

export interface RandomSamplerOptions { replacement?: boolean; num_samples?: number; generator?: Generator | null }

export class RandomSampler extends Sampler<number> {
  readonly replacement: boolean;
  private readonly _num: number | undefined;
  generator: Generator | null;
  constructor(readonly data_source: unknown, opts: RandomSamplerOptions = {}) {
    super();
    this.replacement = opts.replacement ?? false;
    this._num = opts.num_samples;
    this.generator = opts.generator ?? null;
    if (this._num !== undefined && (!Number.isInteger(this._num) || this._num <= 0)) throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${this._num}`);
  }
  get num_samples(): number { return this._num ?? datasetLength(this.data_source); }
  get length(): number { return this.num_samples; }
  *[Symbol.iterator](): Iterator<number> {
    const n = datasetLength(this.data_source), k = this.num_samples;
    const gen = epochGenerator(this.generator);
    if (this.replacement) {
      for (let done = 0; done < k; done += 32) {
        const m = Math.min(32, k - done);
        const r = randomFill('int', [m], 'int32', 0, n, gen).dataSync();
        for (let i = 0; i < m; i++) yield r[i];
      }
      return;
    }
    for (let done = 0; done < k; done += n) {
      const p = randpermData(n, gen);
      const m = Math.min(n, k - done);
      for (let i = 0; i < m; i++) yield p[i];
    }
  }
}

/** Samples the given indices in a random order, without replacement. */
export class SubsetRandomSampler extends Sampler<number> {
  generator: Generator | null;
  constructor(readonly indices: ArrayLike<number>, opts: { generator?: Generator | null } = {}) { super(); this.generator = opts.generator ?? null; }
  get length(): number { return this.indices.length; }
  *[Symbol.iterator](): Iterator<number> {
    const p = randpermData(this.indices.length, epochGenerator(this.generator));
    for (let i = 0; i < p.length; i++) yield this.indices[p[i]];
  }
}

/** Samples indices 0..len(weights)-1 with probabilities proportional to the weights. */
export class WeightedRandomSampler extends Sampler<number> {
  readonly weights: Float64Array;
  readonly num_samples: number;
  readonly replacement: boolean;
  generator: Generator | null;
  constructor(weights: ArrayLike<number> | Tensor, num_samples: number, opts: { replacement?: boolean; generator?: Generator | null } = {}) {
    super();
    if (!Number.isInteger(num_samples) || num_samples <= 0) throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${num_samples}`);
    const w = weights instanceof Tensor ? weights.dataSync() : weights;
    this.weights = Float64Array.from(w as ArrayLike<number>);
    if (this.weights.length === 0 || this.weights.some((x) => !(x >= 0) || !Number.isFinite(x))) throw new RangeError('weights must be a non-empty sequence of finite non-negative numbers');
    if (!this.weights.some((x) => x > 0)) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
    this.replacement = opts.replacement ?? true;
    this.generator = opts.generator ?? null;
    const positive = this.weights.filter((x) => x > 0).length;
    if (!this.replacement && num_samples > positive) throw new RangeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
    this.num_samples = num_samples;
  }
  get length(): number { return this.num_samples; }
  *[Symbol.iterator](): Iterator<number> {
    const gen = epochGenerator(this.generator);
    const w = this.weights, n = w.length, k = this.num_samples;
    const u = randomFill('uniform', [this.replacement ? k : n], 'float64', 0, 1, gen).dataSync();
    if (this.replacement) {
      const cdf = new Float64Array(n);
      let s = 0;
      for (let i = 0; i < n; i++) cdf[i] = s += w[i];
      for (let j = 0; j < k; j++) {
        const x = u[j] * s;
        let lo = 0, hi = n - 1;
        while (lo < hi) { const m = (lo + hi) >> 1; if (cdf[m] > x) hi = m; else lo = m + 1; }
        while (w[lo] === 0 && lo < n - 1) lo++;
        yield lo;
      }
      return;
    }
    // without replacement: the k largest keys log(u)/w (Efraimidis-Spirakis)
    const keys = Array.from({ length: n }, (_, i) => ({ i, key: w[i] > 0 ? Math.log(u[i]) / w[i] : -Infinity }));
    keys.sort((a, b) => b.key - a.key);
    for (let j = 0; j < k; j++) yield keys[j].i;
  }
}

/** Groups the indices of another sampler into lists of batch_size. */
export class BatchSampler extends Sampler<number[]> {
  readonly batch_size: number;
  readonly drop_last: boolean;
  constructor(readonly sampler: Iterable<number> & { length?: number }, batch_size: number | { batch_size: number; drop_last?: boolean }, drop_last = false) {
    super();
    if (typeof batch_size === 'object') { drop_last = batch_size.drop_last ?? false; batch_size = batch_size.batch_size; }
    if (!Number.isInteger(batch_size) || batch_size <= 0) throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${batch_size}`);
    this.batch_size = batch_size;
    this.drop_last = drop_last;
  }
  get length(): number {
    const n = datasetLength(this.sampler);
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batch_size) { yield batch; batch = []; }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }
}

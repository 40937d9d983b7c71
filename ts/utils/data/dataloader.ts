// DataLoader: batches of samples from a dataset, as torch.utils.data.DataLoader.
//
//   const loader = new DataLoader(dataset, { batch_size: 64, shuffle: true });
//   for await (const [data, target] of loader) { ... }   // always works
//   for (const [data, target] of loader) { ... }         // when the dataset is synchronous
//   loader.length                                        // len(loader): the number of batches
//
// Prefetching: when getitem returns Promises (data read from files, the network, ...), up to
// prefetch_factor batches are requested ahead, so their I/O overlaps the training step. A
// synchronous dataset gains nothing from it on one thread (and running it in between would move
// random draws of random transforms relative to the model's, making runs timing-dependent), so
// it is fetched when asked for; pass prefetch_factor to prepare its batches in idle time anyway.
// There are no worker processes: num_workers, pin_memory and friends are accepted and ignored.
import type { Generator } from '../../random.js';
import { type MaybePromise, datasetLength, getItem, isIterableDataset, readyOf, type MapDatasetLike, IterableDataset } from './dataset.js';
import { BatchSampler, RandomSampler, SequentialSampler } from './sampler.js';
import { default_collate, default_convert } from './collate.js';

export interface DataLoaderOptions<T = unknown, B = unknown> {
  /** samples per batch (default 1); null turns automatic batching off */
  batch_size?: number | null;
  /** reshuffle the data at every epoch (default false) */
  shuffle?: boolean;
  /** the order of dataset indices (mutually exclusive with shuffle) */
  sampler?: Iterable<number> & { length?: number };
  /** yields lists of indices, one per batch (mutually exclusive with batch_size, shuffle, sampler, drop_last) */
  batch_sampler?: Iterable<number[]> & { length?: number };
  /** drop the last incomplete batch (default false) */
  drop_last?: boolean;
  /** merges a list of samples into a batch (default: default_collate) */
  collate_fn?: (samples: T[]) => B;
  /** generator for the shuffle order (default: seeded from the global generator each epoch) */
  generator?: Generator | null;
  /** batches prepared ahead (default 2 for asynchronous datasets, 0 for synchronous ones) */
  prefetch_factor?: number;
  num_workers?: number;
  pin_memory?: boolean;
  persistent_workers?: boolean;
  timeout?: number;
}

type AnyDataset = MapDatasetLike | IterableDataset<unknown> | Iterable<unknown> | AsyncIterable<unknown>;

const isPromise = (x: unknown): x is Promise<unknown> => !!x && typeof (x as Promise<unknown>).then === 'function';

// A loop of `for await` over synchronous data never reaches the event loop (every await is a
// microtask), so FinalizationRegistry callbacks, which release the accounting of tensors the GC
// has collected, would never run and their bookkeeping would pile up over an epoch. The async
// iterator therefore lets the event loop turn now and then (at most every TURN_MS).
const TURN_MS = 20;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const setImmediate_ = (globalThis as any).setImmediate as ((f: () => void) => unknown) | undefined;
const turnEventLoop = (): Promise<void> => new Promise((r) => (setImmediate_ ? setImmediate_(r) : setTimeout(r, 0)));
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class DataLoader<T = unknown, B = any> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: AnyDataset;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: (Iterable<number> & { length?: number }) | null;
  readonly batch_sampler: (Iterable<number[]> & { length?: number }) | null;
  readonly collate_fn: (samples: T[]) => B;
  readonly generator: Generator | null;
  readonly prefetch_factor: number | undefined;
  private readonly iterable: boolean;

  constructor(dataset: AnyDataset, opts: DataLoaderOptions<T, B> = {}) {
    this.dataset = dataset;
    this.iterable = isIterableDataset(dataset);
    const batch_size = opts.batch_size === undefined ? 1 : opts.batch_size;
    const shuffle = opts.shuffle ?? false;
    const drop_last = opts.drop_last ?? false;
    this.generator = opts.generator ?? null;
    this.prefetch_factor = opts.prefetch_factor;
    if (this.prefetch_factor !== undefined && (!Number.isInteger(this.prefetch_factor) || this.prefetch_factor < 0)) throw new RangeError(`prefetch_factor must be a non-negative integer, got ${this.prefetch_factor}`);
    if (this.iterable) {
      if (shuffle) throw new TypeError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${shuffle}`);
      if (opts.sampler) throw new TypeError('DataLoader with IterableDataset: expected unspecified sampler option');
      if (opts.batch_sampler) throw new TypeError('DataLoader with IterableDataset: expected unspecified batch_sampler option');
    }
    if (opts.sampler && shuffle) throw new TypeError('sampler option is mutually exclusive with shuffle');
    if (opts.batch_sampler && (batch_size !== 1 || shuffle || opts.sampler || drop_last)) {
      throw new TypeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
    }
    if (batch_size === null && drop_last) throw new TypeError('batch_size=null option disables auto-batching and is mutually exclusive with drop_last');
    if (batch_size !== null && (!Number.isInteger(batch_size) || batch_size <= 0)) throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${batch_size}`);
    this.batch_size = opts.batch_sampler ? null : batch_size;
    this.drop_last = drop_last;
    if (this.iterable) {
      this.sampler = null;
      this.batch_sampler = null;
    } else {
      this.sampler = opts.sampler ?? (shuffle ? new RandomSampler(dataset, { generator: this.generator }) : new SequentialSampler(dataset));
      this.batch_sampler = opts.batch_sampler ?? (batch_size !== null ? new BatchSampler(this.sampler, batch_size, drop_last) : null);
    }
    this.collate_fn = opts.collate_fn ?? ((batch_size !== null || opts.batch_sampler) ? default_collate : default_convert) as (s: T[]) => B;
  }

  /** len(loader): the number of batches (samples when batching is off) */
  get length(): number {
    if (this.iterable) {
      const n = datasetLength(this.dataset);
      if (this.batch_size === null) return n;
      return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
    }
    if (this.batch_sampler) return datasetLength(this.batch_sampler);
    return datasetLength(this.sampler);
  }
  __len__(): number { return this.length; }

  /** The index lists of one epoch (a fresh shuffle each call). */
  private *indexBatches(): Generator_<number[] | number> {
    if (this.batch_sampler) yield* this.batch_sampler;
    else yield* this.sampler!;
  }

  private fetch(idx: number[] | number): MaybePromise<B> {
    const ds = this.dataset as MapDatasetLike<T>;
    if (typeof idx === 'number') {
      const s = getItem(ds, idx);
      return isPromise(s) ? s.then((v) => this.collate_fn(v as never)) : this.collate_fn(s as never);
    }
    const samples = idx.map((i) => getItem(ds, i));
    if (samples.some(isPromise)) return Promise.all(samples).then((s) => this.collate_fn(s as T[]));
    return this.collate_fn(samples as T[]);
  }

  /** Synchronous iteration; the dataset must be synchronous (getitem returns values, not Promises). */
  *[Symbol.iterator](): Iterator<B> {
    if (this.iterable) {
      const ds = this.dataset as Iterable<T>;
      if (typeof ds[Symbol.iterator] !== 'function') throw new TypeError('this IterableDataset is asynchronous: iterate the DataLoader with for await');
      yield* this.batchIterable(ds[Symbol.iterator]());
      return;
    }
    for (const idx of this.indexBatches()) {
      const b = this.fetch(idx);
      if (isPromise(b)) {
        b.catch(() => {});
        throw new TypeError('this dataset is asynchronous (getitem returned a Promise): iterate the DataLoader with for await');
      }
      yield b;
    }
  }

  private *batchIterable(it: Iterator<T>): Generator_<B> {
    if (this.batch_size === null) {
      for (let r = it.next(); !r.done; r = it.next()) yield this.collate_fn(r.value as never);
      return;
    }
    let batch: T[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      batch.push(r.value);
      if (batch.length === this.batch_size) { yield this.collate_fn(batch); batch = []; }
    }
    if (batch.length && !this.drop_last) yield this.collate_fn(batch);
  }

  /** Asynchronous iteration: works for every dataset, awaiting datasets that load asynchronously. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    await readyOf(this.dataset);
    if (this.iterable) {
      const ds = this.dataset as AsyncIterable<T> & Iterable<T>;
      if (typeof ds[Symbol.asyncIterator] !== 'function') { yield* this.batchIterable(ds[Symbol.iterator]()); return; }
      const it = ds[Symbol.asyncIterator]();
      let batch: T[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) {
        if (this.batch_size === null) { yield this.collate_fn(r.value as never); continue; }
        batch.push(r.value);
        if (batch.length === this.batch_size) { yield this.collate_fn(batch); batch = []; }
      }
      if (batch.length && !this.drop_last) yield this.collate_fn(batch);
      return;
    }
    const idxIt = this.indexBatches();
    const queue: MaybePromise<B>[] = [];
    let depth = this.prefetch_factor ?? 0;
    let decided = this.prefetch_factor !== undefined;
    let asyncData = false;
    const request = (): boolean => {
      const r = idxIt.next();
      if (r.done) return false;
      let b: MaybePromise<B>;
      if (decided && depth > 0 && !asyncData) {
        // prepare a synchronous dataset's batch ahead, when the event loop next turns
        const idx = r.value;
        b = new Promise<B>((res, rej) => setTimeout(() => { try { res(this.fetch(idx)); } catch (e) { rej(e); } }, 0));
      } else {
        b = this.fetch(r.value); // an asynchronous dataset starts its I/O now
        if (isPromise(b)) asyncData = true;
      }
      if (!decided) { decided = true; if (asyncData) depth = 2; }
      if (isPromise(b)) b.catch(() => {}); // rejections surface when the batch is awaited
      queue.push(b);
      return true;
    };
    if (!request()) return;
    let lastTurn = now();
    for (;;) {
      while (queue.length < depth + 1 && request());
      if (queue.length === 0) return;
      const b = await queue.shift()!;
      yield b;
      if (now() - lastTurn > TURN_MS) { await turnEventLoop(); lastTurn = now(); }
      if (queue.length === 0 && !request()) return;
    }
  }
}

type Generator_<T> = globalThis.Generator<T, void, unknown>;

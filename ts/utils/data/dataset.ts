// Datasets, as in torch.utils.data: map-style (length + getitem), iterable, and the wrappers
// TensorDataset, Subset, ConcatDataset and random_split.
//
// A map-style dataset is anything with a `length` and a `getitem(index)` method (PyTorch's
// __len__ and __getitem__; those names work too), including a plain array. getitem may return a
// Promise: such datasets work with `for await` over a DataLoader.
import type { Tensor } from '../../tensor.js';
import { randpermData, default_generator, Generator } from '../../random.js';

export type MaybePromise<T> = T | Promise<T>;

/** Anything a DataLoader accepts as a map-style dataset. */
export type MapDatasetLike<T = unknown> =
  | { readonly length: number; getitem(index: number): MaybePromise<T> }
  | { __len__(): number; __getitem__(index: number): MaybePromise<T> }
  | readonly T[];

/** Integer property keys ('0', '-1'): what `ds[i]` asks a Proxy for. */
const INDEX_KEY = /^-?(0|[1-9]\d*)$/;

/**
 * Makes `ds[i]` call `ds.getitem(i)` (PyTorch's `ds[i]`; negative `i` counts from the end where
 * the dataset's getitem allows it). The constructor returns this Proxy, so subclass fields,
 * #private ones included, are installed on it and methods run with it as `this`.
 */
const indexHandler: ProxyHandler<Dataset<unknown>> = {
  get(target, key, receiver) {
    if (typeof key === 'string' && INDEX_KEY.test(key) && !(key in target)) {
      return (Reflect.get(target, 'getitem', receiver) as (i: number) => unknown).call(receiver, Number(key));
    }
    return Reflect.get(target, key, receiver);
  },
};

/**
 * Base class of map-style datasets: implement `length` and `getitem(index)`. Instances answer
 * `ds[i]` (the same as `ds.getitem(i)`), `ds.length` and `len(ds)`.
 */
export abstract class Dataset<T = unknown> {
  /** ds[i]: the same as ds.getitem(i) */
  readonly [index: number]: MaybePromise<T>;
  constructor() {
    // eslint-disable-next-line no-constructor-return
    return new Proxy(this, indexHandler as ProxyHandler<this>);
  }
  abstract getitem(index: number): MaybePromise<T>;
  abstract get length(): number;
  __getitem__(index: number): MaybePromise<T> { return this.getitem(index); }
  __len__(): number { return this.length; }
  /** dataset_a.concat(dataset_b): PyTorch's `a + b` */
  concat(other: MapDatasetLike<T>): ConcatDataset<T> { return new ConcatDataset<T>([this, other]); }
  /** Resolves when the dataset can be indexed (datasets that load asynchronously override it). */
  ready(): Promise<this> { return Promise.resolve(this); }
}

/** Base class of iterable datasets: implement [Symbol.iterator] or [Symbol.asyncIterator]. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export abstract class IterableDataset<T = unknown> {
  /** type marker of the items (subclasses define [Symbol.iterator] or [Symbol.asyncIterator] yielding T) */
  declare readonly __item?: T;
}

export function isIterableDataset(ds: unknown): boolean {
  if (ds instanceof IterableDataset) return true;
  if (!ds || typeof ds !== 'object' || Array.isArray(ds)) return false;
  return !isMapDataset(ds) && (Symbol.iterator in ds || Symbol.asyncIterator in ds);
}

export function isMapDataset(ds: unknown): boolean {
  if (Array.isArray(ds)) return true;
  if (!ds || typeof ds !== 'object') return false;
  const d = ds as Record<string, unknown>;
  return typeof d.getitem === 'function' || typeof d.__getitem__ === 'function';
}

/** len(dataset) */
export function datasetLength(ds: unknown): number {
  const d = ds as { length?: number; __len__?: () => number; len?: () => number };
  if (typeof d.length === 'number') return d.length;
  // Dataset's own __len__ reads `length`; a subclass (or plain object) may define __len__ or len() instead
  if (typeof d.__len__ === 'function') { const n = d.__len__(); if (typeof n === 'number') return n; }
  if (typeof d.len === 'function') { const n = d.len(); if (typeof n === 'number') return n; }
  throw new TypeError('the dataset has no length (an iterable dataset, or an object without `length`)');
}

/** Python's len(ds): a dataset's length (`__len__()` or `length`). */
export function len(ds: unknown): number { return datasetLength(ds); }

/** dataset[index] */
export function getItem<T>(ds: MapDatasetLike<T>, index: number): MaybePromise<T> {
  if (Array.isArray(ds)) {
    const n = ds.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`index ${index} is out of range for a dataset of length ${n}`);
    return ds[i];
  }
  const d = ds as { getitem?: (i: number) => MaybePromise<T>; __getitem__?: (i: number) => MaybePromise<T> };
  if (typeof d.getitem === 'function') return d.getitem(index);
  if (typeof d.__getitem__ === 'function') return d.__getitem__(index);
  throw new TypeError('the dataset has no getitem(index) method');
}

function checkIndex(index: number, n: number): number {
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`index ${index} is out of range for a dataset of length ${n}`);
  return i;
}

/** Samples are the i-th slices of each tensor along the first dimension. */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly [index: number]: Tensor[];
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError('TensorDataset needs at least one tensor');
    const n = tensors[0].shape[0];
    if (tensors.some((t) => t.ndim === 0 || t.shape[0] !== n)) throw new RangeError('Size mismatch between tensors');
    this.tensors = tensors;
  }
  get length(): number { return this.tensors[0].shape[0]; }
  getitem(index: number): Tensor[] {
    const i = checkIndex(index, this.length);
    return this.tensors.map((t) => t.select(0, i));
  }
}

/** The dataset at the given indices. */
export class Subset<T = unknown> extends Dataset<T> {
  constructor(readonly dataset: MapDatasetLike<T>, readonly indices: ArrayLike<number>) { super(); }
  get length(): number { return this.indices.length; }
  getitem(index: number): MaybePromise<T> { return getItem(this.dataset, this.indices[checkIndex(index, this.indices.length)]); }
  override ready(): Promise<this> { return readyOf(this.dataset).then(() => this); }
}

/** Several datasets one after another. */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  readonly datasets: MapDatasetLike<T>[];
  private _cum: number[] | null = null;
  constructor(datasets: Iterable<MapDatasetLike<T>>) {
    super();
    this.datasets = [...datasets];
    if (this.datasets.length === 0) throw new RangeError('datasets should not be an empty iterable');
    for (const d of this.datasets) if (isIterableDataset(d)) throw new TypeError('ConcatDataset does not support IterableDataset');
  }
  /** cumulative sizes (computed on first use, so datasets that load asynchronously can be joined before they are ready) */
  get cumulative_sizes(): number[] {
    if (!this._cum) {
      let s = 0;
      this._cum = this.datasets.map((d) => (s += datasetLength(d)));
    }
    return this._cum;
  }
  get length(): number { const c = this.cumulative_sizes; return c[c.length - 1]; }
  getitem(index: number): MaybePromise<T> {
    const i = checkIndex(index, this.length);
    const c = this.cumulative_sizes;
    let lo = 0, hi = c.length - 1;
    while (lo < hi) { const m = (lo + hi) >> 1; if (c[m] > i) hi = m; else lo = m + 1; }
    return getItem(this.datasets[lo], lo === 0 ? i : i - c[lo - 1]);
  }
  override ready(): Promise<this> { return Promise.all(this.datasets.map(readyOf)).then(() => this); }
}

/** Awaits a dataset's ready() when it has one. */
export function readyOf(ds: unknown): Promise<unknown> {
  const r = (ds as { ready?: () => Promise<unknown> })?.ready;
  return typeof r === 'function' ? r.call(ds) : Promise.resolve(ds);
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths (or fractions that
 * sum to 1), using `generator` (default: the global generator).
 */
export function random_split<T>(dataset: MapDatasetLike<T>, lengths: number[], generator: Generator | { generator?: Generator } = default_generator): Subset<T>[] {
  const gen = generator instanceof Generator ? generator : generator.generator ?? default_generator;
  const n = datasetLength(dataset);
  let sizes = lengths;
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    for (const f of lengths) if (f < 0 || f > 1) throw new RangeError(`Fraction at index ${lengths.indexOf(f)} is not between 0 and 1`);
    sizes = lengths.map((f) => Math.floor(n * f));
    const rem = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rem; i++) sizes[i % sizes.length] += 1;
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) throw new RangeError('Sum of input lengths does not equal the length of the input dataset!');
  const perm = randpermData(n, gen);
  let off = 0;
  return sizes.map((len) => { const s = new Subset(dataset, perm.subarray(off, off + len)); off += len; return s; });
}

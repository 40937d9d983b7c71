import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

const { DataLoader, TensorDataset, Subset, ConcatDataset, Dataset, IterableDataset, random_split, default_collate,
  RandomSampler, SequentialSampler, BatchSampler, SubsetRandomSampler, WeightedRandomSampler } = torch.utils.data;

class Squares extends Dataset<[number, number]> {
  constructor(readonly n: number) { super(); }
  get length() { return this.n; }
  getitem(i: number): [number, number] { return [i, i * i]; }
}
class AsyncSquares extends Squares {
  calls = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override getitem(i: number): any { this.calls++; return new Promise((r) => setTimeout(() => r([i, i * i]), 1)); }
}
class Count extends IterableDataset<number> {
  constructor(readonly n: number) { super(); }
  *[Symbol.iterator]() { for (let i = 0; i < this.n; i++) yield i; }
}

const list = (t: torch.Tensor) => t.tolistSync();

describe('default_collate', () => {
  it('stacks tensors, numbers become tensors, tuples and objects element-wise', () => {
    const b = default_collate([[torch.ones(2, 3), 1, 0.5, true, 'a'], [torch.zeros(2, 3), 2, 1.5, false, 'b']]);
    expect(b[0].shape).toEqual([2, 2, 3]);
    expect(b[0].dtype).toBe('float32');
    expect(list(b[0].sum([1, 2]))).toEqual([6, 0]);
    expect(b[1].dtype).toBe('int32');
    expect(list(b[1])).toEqual([1, 2]);
    expect(b[2].dtype).toBe('float64');
    expect(list(b[2])).toEqual([0.5, 1.5]);
    expect(b[3].dtype).toBe('bool');
    expect(b[4]).toEqual(['a', 'b']);
    const o = default_collate([{ x: torch.tensor([1, 2]), y: { z: 3 } }, { x: torch.tensor([3, 4]), y: { z: 4 } }]);
    expect(list(o.x)).toEqual([[1, 2], [3, 4]]);
    expect(o.x.dtype).toBe('int32');
    expect(list(o.y.z)).toEqual([3, 4]);
    const m = default_collate([new Map([['k', 1]]), new Map([['k', 2]])]);
    expect(list(m.get('k'))).toEqual([1, 2]);
    const ta = default_collate([new Uint8Array([1, 2]), new Uint8Array([3, 4])]);
    expect(ta.dtype).toBe('uint8');
    expect(list(ta)).toEqual([[1, 2], [3, 4]]);
  });
  it('matches torch.stack on views and keeps autograd', () => {
    const x = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
    const views = [x.select(2, 1), x.select(2, 3)];
    expect(list(default_collate(views.slice(0, 2)))).toEqual(list(torch.stack(views.slice(0, 2))));
    const w = torch.ones(2, { requires_grad: true });
    const s = default_collate([w, w.mul(2)]);
    s.sum().backward();
    expect(list(w.grad!)).toEqual([3, 3]);
  });
  it('errors clearly', () => {
    expect(() => default_collate([[1, 2], [1]])).toThrow(/each element in list of batch should be of equal size/);
    expect(() => default_collate([null, null])).toThrow(/found null/);
    expect(() => default_collate([torch.ones(2), torch.ones(3)])).toThrow(/equal size/);
    expect(() => default_collate([1, 'a'])).toThrow(/sample 1 is string/);
    expect(() => default_collate([])).toThrow(/non-empty/);
  });
});

describe('datasets', () => {
  it('TensorDataset, Subset, ConcatDataset', () => {
    const x = torch.arange(10).reshape(5, 2), y = torch.arange(5);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(5);
    const [a, b] = ds.getitem(-1);
    expect(list(a)).toEqual([8, 9]);
    expect(b.itemSync()).toBe(4);
    expect(() => ds.getitem(5)).toThrow(/out of range/);
    expect(() => new TensorDataset(x, torch.arange(4))).toThrow(/Size mismatch/);
    const sub = new Subset(ds, [4, 0]);
    expect(sub.length).toBe(2);
    expect(list(sub.getitem(0)[0])).toEqual([8, 9]);
    const cat = new ConcatDataset([ds, new Squares(3), [7, 8]]);
    expect(cat.length).toBe(10);
    expect(cat.getitem(5)).toEqual([0, 0]);
    expect(cat.getitem(7)).toEqual([2, 4]);
    expect(cat.getitem(9)).toBe(8);
    expect(cat.getitem(-2)).toBe(7);
    expect(cat.cumulative_sizes).toEqual([5, 8, 10]);
    expect(new Squares(2).concat(new Squares(3)).length).toBe(5);
  });
  it('random_split is a seeded partition', () => {
    const ds = new Squares(10);
    const g = () => new torch.Generator().manual_seed(42);
    const [a, b] = random_split(ds, [7, 3], g());
    expect(a.length + b.length).toBe(10);
    const all = [...Array.from(a.indices), ...Array.from(b.indices)].sort((p, q) => p - q);
    expect(all).toEqual([...Array(10).keys()]);
    const [a2] = random_split(ds, [7, 3], { generator: g() });
    expect(Array.from(a2.indices)).toEqual(Array.from(a.indices));
    const fr = random_split(new Squares(11), [0.5, 0.3, 0.2], g());
    expect(fr.map((s) => s.length)).toEqual([6, 3, 2]);
    expect(() => random_split(ds, [5, 4])).toThrow(/Sum of input lengths/);
  });
});

describe('samplers', () => {
  it('Sequential, Random, Batch', () => {
    expect([...new SequentialSampler([5, 6, 7])]).toEqual([0, 1, 2]);
    const r = [...new RandomSampler(new Squares(20), { generator: new torch.Generator().manual_seed(1) })];
    expect([...r].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(r).not.toEqual([...Array(20).keys()]);
    const rr = [...new RandomSampler(new Squares(5), { replacement: true, num_samples: 50 })];
    expect(rr.length).toBe(50);
    expect(rr.every((i) => i >= 0 && i < 5)).toBe(true);
    expect([...new RandomSampler(new Squares(3), { num_samples: 7 })].length).toBe(7);
    const bs = new BatchSampler(new SequentialSampler(new Squares(10)), 4, false);
    expect([...bs]).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(bs.length).toBe(3);
    expect(new BatchSampler(new SequentialSampler(new Squares(10)), { batch_size: 4, drop_last: true }).length).toBe(2);
  });
  it('SubsetRandom and WeightedRandom', () => {
    const s = [...new SubsetRandomSampler([10, 20, 30])];
    expect(s.sort()).toEqual([10, 20, 30]);
    const g = new torch.Generator().manual_seed(0);
    const w = [...new WeightedRandomSampler([0, 1, 3, 0], 4000, { generator: g })];
    const c = [0, 0, 0, 0];
    w.forEach((i) => c[i]++);
    expect(c[0]).toBe(0);
    expect(c[3]).toBe(0);
    expect(c[2] / c[1]).toBeGreaterThan(2.5);
    expect(c[2] / c[1]).toBeLessThan(3.5);
    const nr = [...new WeightedRandomSampler(torch.tensor([1, 1, 1, 1, 0.001]), 4, { replacement: false })];
    expect(new Set(nr).size).toBe(4);
    expect(() => new WeightedRandomSampler([1, 0], 2, { replacement: false })).toThrow(/without replacement/);
  });
});

describe('DataLoader', () => {
  const x = torch.arange(20, { dtype: 'float32' }).reshape(10, 2), y = torch.arange(10);
  const ds = new TensorDataset(x, y);

  it('batches in order, drop_last, length', () => {
    const dl = new DataLoader(ds, { batch_size: 4 });
    expect(dl.length).toBe(3);
    const batches = [...dl];
    expect(batches.length).toBe(3);
    expect(batches[0][0].shape).toEqual([4, 2]);
    expect(list(batches[2][1])).toEqual([8, 9]);
    expect(new DataLoader(ds, { batch_size: 4, drop_last: true }).length).toBe(2);
    expect([...new DataLoader(ds, { batch_size: 4, drop_last: true })].length).toBe(2);
    expect(new DataLoader(ds).length).toBe(10);
    const nob = [...new DataLoader(new Squares(3), { batch_size: null })];
    expect(nob).toEqual([[0, 0], [1, 1], [2, 4]]);
  });

  it('same seed gives the same batches; each epoch reshuffles', () => {
    const order = (dl: InstanceType<typeof DataLoader>) => [...dl].map((b) => list(b[1]));
    torch.manual_seed(7);
    const dl = new DataLoader(ds, { batch_size: 3, shuffle: true });
    const e1 = order(dl), e2 = order(dl);
    torch.manual_seed(7);
    const dl2 = new DataLoader(ds, { batch_size: 3, shuffle: true });
    expect(order(dl2)).toEqual(e1);
    expect(order(dl2)).toEqual(e2);
    expect(e1).not.toEqual(e2);
    expect((e1 as number[][]).flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    // an explicit generator
    const gdl = (s: number) => new DataLoader(ds, { batch_size: 5, shuffle: true, generator: new torch.Generator().manual_seed(s) });
    expect(order(gdl(3))).toEqual(order(gdl(3)));
    expect(order(gdl(3))).not.toEqual(order(gdl(4)));
  });

  it('sampler, batch_sampler, collate_fn', () => {
    const dl = new DataLoader(ds, { batch_size: 2, sampler: [9, 8, 7] });
    expect([...dl].map((b) => list(b[1]))).toEqual([[9, 8], [7]]);
    const bdl = new DataLoader(ds, { batch_sampler: [[0, 5], [1]] });
    expect([...bdl].map((b) => list(b[1]))).toEqual([[0, 5], [1]]);
    expect(bdl.length).toBe(2);
    const cdl = new DataLoader(new Squares(4), { batch_size: 2, collate_fn: (s) => s.length });
    expect([...cdl]).toEqual([2, 2]);
    expect(() => new DataLoader(ds, { sampler: [0], shuffle: true })).toThrow(/mutually exclusive with shuffle/);
    expect(() => new DataLoader(ds, { batch_sampler: [[0]], batch_size: 2 })).toThrow(/mutually exclusive/);
    expect(() => new DataLoader(ds, { batch_size: 0 })).toThrow(/positive integer/);
    expect(() => new DataLoader(new Count(3), { shuffle: true })).toThrow(/IterableDataset/);
  });

  it('async iteration, including async datasets with prefetch', async () => {
    const out: number[][] = [];
    for await (const [i] of new DataLoader(ds, { batch_size: 4 })) out.push(list(i) as number[]);
    expect(out.length).toBe(3);
    const ads = new AsyncSquares(10);
    const dl = new DataLoader(ads, { batch_size: 3 });
    expect(() => [...dl]).toThrow(/asynchronous.*for await/);
    const got: number[][] = [];
    for await (const [i, sq] of dl) {
      got.push(list(i) as number[]);
      expect(list(sq)).toEqual((list(i) as number[]).map((v) => v * v));
      // the next batches are already requested while this step runs
      if (got.length === 1) expect(ads.calls).toBeGreaterThan(3);
    }
    expect(got).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    // a sync dataset with prefetch_factor still gives the same batches
    const p: number[][] = [];
    for await (const b of new DataLoader(new Squares(5), { batch_size: 2, prefetch_factor: 2 })) p.push(list(b[0]) as number[]);
    expect(p).toEqual([[0, 1], [2, 3], [4]]);
    // breaking early is fine
    for await (const _ of new DataLoader(ads, { batch_size: 2 })) break;
  });

  it('a for-await loop over synchronous data lets the event loop turn (finalizers can run)', async () => {
    class Slow extends Dataset<number> {
      get length() { return 40; }
      getitem(i: number) { const t = performance.now(); while (performance.now() - t < 2); return i; }
    }
    let fired = false;
    setTimeout(() => { fired = true; }, 0);
    let seenAt = -1, k = 0;
    for await (const _ of new DataLoader(new Slow(), { batch_size: 4 })) { if (fired && seenAt < 0) seenAt = k; k++; }
    expect(k).toBe(10);
    expect(seenAt).toBeGreaterThan(0);
    expect(seenAt).toBeLessThan(10);
  });

  it('iterable datasets', async () => {
    expect([...new DataLoader(new Count(5), { batch_size: 2 })].map(list)).toEqual([[0, 1], [2, 3], [4]]);
    expect([...new DataLoader(new Count(5), { batch_size: 2, drop_last: true })].map(list)).toEqual([[0, 1], [2, 3]]);
    const agen = { async *[Symbol.asyncIterator]() { yield 1; yield 2; yield 3; } };
    const r: unknown[] = [];
    for await (const b of new DataLoader(agen, { batch_size: 2 })) r.push(list(b));
    expect(r).toEqual([[1, 2], [3]]);
    expect(() => new DataLoader(new Count(5)).length).toThrow(/no length/);
  });

  it('arrays are datasets', () => {
    const dl = new DataLoader([{ a: 1 }, { a: 2 }, { a: 3 }], { batch_size: 2 });
    expect([...dl].map((b) => list(b.a))).toEqual([[1, 2], [3]]);
  });
});

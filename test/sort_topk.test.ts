// torch.sort / argsort / topk against PyTorch 1.13 (test/fixtures/sort_topk.json, recorded by
// test/fixtures/gen_sort_fixtures.py): values, indices and gradients for float32, float64 and
// int32 over several dims, descending, k, ties (stable order) and NaN (the largest value);
// float64 gradchecks; the [values, indices] pair with .values / .indices as max(dim) returns it;
// PyTorch's errors; a long row against JavaScript's own sort.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import { SORT_CASES, runSortCase } from './helpers/sort_topk.js';

describe('sort / argsort / topk match PyTorch (fixtures)', () => {
  for (const c of SORT_CASES) it(c.id, async () => { await runSortCase(c, 'cpu'); });
});

describe('sort / topk behaviour', () => {
  it('returns [values, indices], destructurable and by name, like max(dim)', () => {
    const x = torch.tensor([[3, 1, 2], [0, 5, 4]]);
    const [v, i] = x.sort();
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3, 0, 4, 5]);
    expect(Array.from(i.dataSync())).toEqual([1, 2, 0, 0, 2, 1]);
    const m = x.max(1);
    expect(Array.isArray(m) && Array.isArray(x.sort())).toBe(true);
    const t = x.topk(1, { dim: 1 });
    expect(Array.from(t.values.dataSync())).toEqual(Array.from(m.values.dataSync()));
    expect(Array.from(t.indices.dataSync())).toEqual(Array.from(m.indices.dataSync()));
  });

  it('takes PyTorch arguments positionally or by name', () => {
    const x = torch.tensor([[3, 1, 2], [0, 5, 4]]);
    const want = Array.from(torch.sort(x, 0, true).values.dataSync());
    expect(Array.from(torch.sort(x, { dim: 0, descending: true }).values.dataSync())).toEqual(want);
    expect(Array.from(x.sort(0, { descending: true, stable: true }).values.dataSync())).toEqual(want);
    expect(Array.from(x.argsort({ dim: 0, descending: true }).dataSync())).toEqual(Array.from(torch.sort(x, 0, true).indices.dataSync()));
    expect(Array.from(x.topk({ k: 2, largest: false }).values.dataSync())).toEqual([1, 2, 0, 4]);
    expect(Array.from(torch.topk(x, 2, 0, false, true).values.dataSync())).toEqual([0, 1, 2, 3, 5, 4]);
    expect(() => x.sort({ dims: 0 } as never)).toThrow("sort() got an unexpected keyword argument 'dims'");
  });

  it('a 0-d tensor sorts to itself with index 0; bool sorts false first', () => {
    const s = torch.sort(torch.tensor(2.5));
    expect(s.values.shape).toEqual([]);
    expect(s.values.itemSync()).toBe(2.5);
    expect(s.indices.itemSync()).toBe(0);
    const b = torch.sort(torch.tensor([true, false, true, false]));
    expect(b.values.dtype).toBe('bool');
    expect(Array.from(b.indices.dataSync())).toEqual([1, 3, 0, 2]);
    expect(Array.from(b.values.dataSync())).toEqual([0, 0, 1, 1]);
  });

  it('uint8 sorts by value (they sort as int32), bytes above 127 included', () => {
    const vals = [200, 3, 255, 0, 128, 3, 127];
    const x = torch.tensor(vals, { dtype: 'uint8' });
    const s = torch.sort(x, { descending: true, stable: true });
    expect(s.values.dtype).toBe('uint8');
    expect(Array.from(s.values.dataSync())).toEqual([...vals].sort((a, b) => b - a));
    expect(Array.from(s.indices.dataSync())).toEqual([2, 0, 4, 6, 1, 5, 3]);
    expect(Array.from(x.topk(2, 0, false).values.dataSync())).toEqual([0, 3]);
  });

  it('a long row with many ties agrees with JavaScript\'s stable sort, and strided input', () => {
    torch.manual_seed(3);
    const x = torch.randint(0, 50, [3000]).to('float64');
    const data = Array.from(x.dataSync());
    const order = data.map((_, i) => i).sort((a, b) => data[a] - data[b] || a - b);
    expect(Array.from(torch.argsort(x).dataSync())).toEqual(order);
    const desc = data.map((_, i) => i).sort((a, b) => data[b] - data[a] || a - b);
    expect(Array.from(torch.argsort(x, 0, true).dataSync())).toEqual(desc);
    const m = torch.randn([4, 5]).t(); // not contiguous
    expect(Array.from(m.sort(0).values.dataSync())).toEqual(Array.from(m.contiguous().sort(0).values.dataSync()));
  });

  it('topk with small k (one selection pass) and larger k (merge sort) both equal the stable sort\'s first k', () => {
    torch.manual_seed(4);
    const x = torch.randint(0, 20, [3, 300]).to('float32');
    x.index_put_([torch.tensor([0, 2], { dtype: 'int32' }), torch.tensor([5, 17], { dtype: 'int32' })], NaN);
    for (const largest of [true, false]) {
      const s = torch.sort(x, 1, largest);
      for (const k of [1, 7, 32, 33, 150, 300]) {
        const t = torch.topk(x, k, 1, largest);
        expect(Array.from(t.indices.dataSync()), `k ${k} largest ${largest}`).toEqual(Array.from(s.indices.narrow(1, 0, k).contiguous().dataSync()));
        expect(t.values.shape).toEqual([3, k]);
      }
      const c = torch.topk(x.t(), 9, 0, largest); // along dim 0 of a strided view
      expect(Array.from(c.indices.t().contiguous().dataSync())).toEqual(Array.from(s.indices.narrow(1, 0, 9).contiguous().dataSync()));
    }
  });

  it('gradcheck (float64): sort, topk, with duplicates absent', () => {
    const { gradcheck } = torch.autograd;
    const x = torch.randperm(12).to('float64').reshape([3, 4]).div(7).requires_grad_();
    expect(gradcheck((a) => torch.sort(a, 0, true).values, [x])).toBe(true);
    expect(gradcheck((a) => torch.topk(a, 2).values.mul(a.sum()), [x])).toBe(true);
  });

  it('raises PyTorch\'s errors', () => {
    const x = torch.randn([3, 4]);
    expect(() => torch.sort(x, 2)).toThrow('Dimension out of range (expected to be in range of [-2, 1], but got 2)');
    expect(() => torch.topk(x, 5)).toThrow('selected index k out of range');
    expect(() => torch.topk(x, -1)).toThrow('selected index k out of range');
    expect(() => torch.topk(x, 2, 3)).toThrow('Dimension out of range');
    expect(() => torch.topk(x, 2.5)).toThrow("topk(): argument 'k' must be int");
    expect(() => torch.sort([1, 2] as never)).toThrow();
  });
});

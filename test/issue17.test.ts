// Issue 17, "PyTorch programs run as written": advanced indexing, in-place activations, type(dtype),
// Dataset __len__, size by name, random fills with keywords, positional bias, tensor iteration,
// new_* and tolist on 0-d tensors. Expected values are PyTorch's (torch 1.13).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn } = torch;
const F = nn.functional;
const list = (t: Tensor | null) => t!.tolistSync() as number[];
const close = (a: number[], b: number[], tol = 1e-5) => { expect(a.length).toBe(b.length); a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol)); };

describe('in-place activations keep a valid graph', () => {
  it('leaky_relu(inplace) backward', () => {
    const x = torch.tensor([-2, -0.5, 1, 3], { requires_grad: true });
    const y = F.leaky_relu(x.add(0), 0.2, true);
    close(list(y), [-0.4, -0.1, 1, 3]);
    y.sum().backward();
    close(list(x.grad), [0.2, 0.2, 1, 1]);
  });
  it('elu(inplace) backward', () => {
    const x = torch.tensor([-2, -0.5, 1, 3], { requires_grad: true });
    const y = F.elu(x.add(0), 1, true);
    close(list(y), [-2, -0.5, 1, 3].map((v) => (v > 0 ? v : Math.expm1(v))));
    y.sum().backward();
    close(list(x.grad), [Math.exp(-2), Math.exp(-0.5), 1, 1]);
  });
  it('elu with alpha, not in place, matches', () => {
    const x = torch.tensor([-1.0, 2.5], { dtype: "float32", requires_grad: true });
    F.elu(x, { alpha: 2 }).sum().backward();
    close(list(x.grad), [2 * Math.exp(-1), 1]);
  });
  it('dropout(inplace) backward', () => {
    const x = torch.ones(100, { requires_grad: true });
    const y = F.dropout(x.add(0), 0.5, true, true);
    y.sum().backward();
    const g = list(x.grad), v = list(y);
    g.forEach((gi, i) => { expect([0, 2]).toContain(gi); expect(gi).toBe(v[i]); });
  });
  it('dropout2d(inplace) backward', () => {
    const x = torch.ones([2, 3, 4, 4], { requires_grad: true });
    const y = F.dropout2d(x.add(0), 0.5, true, true);
    y.sum().backward();
    expect(list(x.grad.flatten())).toEqual(list(y.flatten()));
  });
});

describe('type(dtype)', () => {
  it('no argument: the type string; with a dtype: converts', () => {
    const t = torch.tensor([1, 2]);
    expect(t.type()).toBe('torch.IntTensor');
    const f = t.type(torch.float32);
    expect(f.dtype).toBe('float32');
    expect(list(f)).toEqual([1, 2]);
    expect(t.type('torch.FloatTensor').dtype).toBe('float32');
    expect(t.type('torch.DoubleTensor').dtype).toBe('float64');
    expect(t.type('torch.IntTensor')).toBe(t);
  });
});

describe('Dataset with __len__', () => {
  it('DataLoader and samplers honour __len__ and len()', () => {
    class D extends torch.utils.data.Dataset<number> {
      __len__() { return 5; }
      getitem(i: number) { return i; }
    }
    expect(new torch.utils.data.DataLoader(new D() as never).length).toBe(5);
    expect(new torch.utils.data.DataLoader(new D() as never, { batch_size: 2 }).length).toBe(3);
    expect(new torch.utils.data.SequentialSampler(new D() as never).length).toBe(5);
    const plain = { __len__: () => 4, __getitem__: (i: number) => i };
    expect(new torch.utils.data.DataLoader(plain).length).toBe(4);
  });
});

describe('size by name', () => {
  it('zeros/ones/empty/rand/randn/randint/full take { size }', () => {
    expect(torch.zeros({ size: [2, 3] } as never).shape).toEqual([2, 3]);
    expect(torch.ones({ size: [2], dtype: 'float64' } as never).dtype).toBe('float64');
    expect(torch.empty({ size: [4] } as never).shape).toEqual([4]);
    expect(torch.rand({ size: [2, 2] } as never).shape).toEqual([2, 2]);
    expect(torch.randn({ size: [3] } as never).shape).toEqual([3]);
    const r = torch.randint(10, { size: [5] } as never);
    expect(r.shape).toEqual([5]);
    expect(torch.randint(3, 5, { size: [4] } as never).shape).toEqual([4]);
    const k = torch.randint({ low: 2, high: 4, size: [50] } as never);
    expect(list(k).every((v) => v >= 2 && v < 4)).toBe(true);
    expect(list(torch.full({ size: [2], fill_value: 7 } as never))).toEqual([7, 7]);
    expect(list(torch.full([2], { fill_value: 1.5 } as never))).toEqual([1.5, 1.5]);
  });
});

describe('random fills take keywords', () => {
  it('normal_, uniform_, bernoulli_, fill_', () => {
    const n = torch.zeros(1000).normal_({ mean: 0, std: 0.02 });
    const v = list(n);
    expect(v.every(Number.isFinite)).toBe(true);
    expect(Math.max(...v.map(Math.abs))).toBeLessThan(0.2);
    expect(list(torch.zeros(500).normal_(5, { std: 0.01 })).every((x) => Math.abs(x - 5) < 0.1)).toBe(true);
    const u = list(torch.zeros(500).uniform_({ from: 2, to: 3 }));
    expect(u.every((x) => x >= 2 && x <= 3)).toBe(true);
    expect(list(torch.zeros(500).uniform_(-1, { to: 0 })).every((x) => x >= -1 && x <= 0)).toBe(true);
    const b = list(torch.zeros(200).bernoulli_({ p: 1 }));
    expect(b.every((x) => x === 1)).toBe(true);
    expect(list(torch.zeros(2).fill_({ value: 3 } as never))).toEqual([3, 3]);
    expect(() => torch.zeros(2).normal_({ mu: 1 } as never)).toThrow(/unexpected keyword argument 'mu'/);
  });
});

describe('positional bias', () => {
  it('nn.Linear(3, 2, false) has no bias', () => {
    expect(new nn.Linear(3, 2, false).bias).toBeNull();
    expect(new nn.Linear(3, 2, true).bias).not.toBeNull();
    expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
    expect(new nn.Bilinear(3, 3, 2, false).bias).toBeNull();
    expect(new nn.Conv2d(1, 2, 3, 1, 0, 1, 1, false).bias).toBeNull();
  });
});

describe('everyday tensor API', () => {
  it('iterates over the first dimension', () => {
    const t = torch.arange(6).reshape(3, 2);
    const rows = [...t];
    expect(rows.length).toBe(3);
    expect(list(rows[1])).toEqual([2, 3]);
    let k = 0;
    for (const row of t) { expect(row.shape).toEqual([2]); k++; }
    expect(k).toBe(3);
    expect(() => [...torch.tensor(1)]).toThrow(TypeError);
    // gradients flow through the rows
    const x = torch.ones(2, 3, { requires_grad: true });
    let s = torch.tensor(0, { dtype: 'float32' });
    for (const [i, row] of [...x].entries()) s = s.add(row.sum().mul(i + 1));
    s.backward();
    expect(x.grad!.tolistSync()).toEqual([[1, 1, 1], [2, 2, 2]]);
    // an optimizer still refuses a bare tensor (not its rows)
    expect(() => new torch.optim.SGD(x as never, { lr: 0.1 })).toThrow('iterable of Tensors or dicts');
  });
  it('torch.tensor of a list of 0-dim tensors', () => {
    const a = torch.tensor([torch.tensor(1.5), torch.tensor(2)] as never);
    expect(a.dtype).toBe('float32');
    expect(list(a)).toEqual([1.5, 2]);
    const i = torch.tensor([torch.tensor(1), torch.tensor(2)] as never);
    expect(i.dtype).toBe('int32');
    expect(() => torch.tensor([torch.ones(2), torch.ones(2)] as never)).toThrow(/only one element tensors/);
  });
  it('new_zeros/new_ones/new_full/new_empty/new_tensor', () => {
    const x = torch.ones(2, { dtype: 'float64' });
    const z = x.new_zeros([2, 3]);
    expect(z.dtype).toBe('float64'); expect(z.shape).toEqual([2, 3]);
    expect(x.new_ones(4).shape).toEqual([4]);
    expect(x.new_ones(2, 2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(list(x.new_full([2], 7))).toEqual([7, 7]);
    expect(x.new_full([2], 7).dtype).toBe('float64');
    expect(x.new_empty([1]).dtype).toBe('float64');
    const nt = x.new_tensor([1, 2]);
    expect(nt.dtype).toBe('float64'); expect(list(nt)).toEqual([1, 2]);
  });
  it('tolist on a 0-dim tensor is a number', async () => {
    expect(torch.tensor(3.5).tolistSync()).toBe(3.5);
    expect(await torch.tensor(2).tolist()).toBe(2);
  });
});

// more cases (values and gradients checked against torch 1.13) are in test/fixtures/core_index.json (index/*)
describe('advanced indexing', () => {
  it('an index tensor picks rows (was: the whole tensor)', () => {
    expect(torch.arange(6).index(torch.tensor([0, 1])).shape).toEqual([2]);
    expect(list(torch.arange(6).index(torch.tensor([4, -1, 0])))).toEqual([4, 5, 0]);
    expect(list(torch.arange(6).index([1, 1]))).toEqual([1, 1]);
  });
  it("PyTorch's result shapes", () => {
    const x = torch.zeros(2, 3, 4);
    const s = (...it: unknown[]) => x.index(...(it as never[])).shape;
    expect(s(0, ':', [0, 1])).toEqual([3, 2]);
    expect(s([0, 1], ':', 0)).toEqual([2, 3]);
    expect(s(':', [0, 1], [1, 2])).toEqual([2, 2]);
    expect(s([0], ':', [1, 2])).toEqual([2, 3]);
    expect(s(null, [0, 1])).toEqual([1, 2, 3, 4]);
    expect(s('...', [0, 1])).toEqual([2, 3, 2]);
    expect(s(':', torch.tensor([[0, 1], [1, 2]]))).toEqual([2, 2, 2, 4]);
    expect(s(torch.zeros([2, 3], { dtype: 'bool' }))).toEqual([0, 4]);
    expect(s(':', torch.ones(3, { dtype: 'bool' }), '1:3')).toEqual([2, 3, 2]);
  });
  it("errors name the index, the dim and the size", () => {
    const x = torch.zeros(3, 4);
    expect(() => x.index(torch.tensor([3]))).toThrow('index 3 is out of bounds for dimension 0 with size 3');
    expect(() => x.index(':', [-5])).toThrow('index -5 is out of bounds for dimension 1 with size 4');
    expect(() => x.index(torch.ones(2, { dtype: 'bool' }))).toThrow(/The shape of the mask \[2\] at index 0 does not match/);
    expect(() => x.index([0], [0], [0])).toThrow('too many indices for tensor of dimension 2');
    expect(() => x.index(torch.tensor([0.5]))).toThrow(/tensors used as indices must be long, int, byte or bool/);
  });
  it('gradients sum over repeated indices', () => {
    const x = torch.tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32', requires_grad: true });
    x.index([0, 0, 2], ':').sum().backward();
    expect(list(x.grad!.flatten())).toEqual([2, 2, 0, 0, 1, 1]);
  });
  it('index_put_ (x[rows, cols] = v), accumulate, masks and gradients', () => {
    const x = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
    x.index_put_([':', [0, 2], [1, 3]], torch.tensor([[100, 200], [300, 400]], { dtype: 'float32' }));
    expect(list(x.flatten())).toEqual([0, 100, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200, 12, 300, 14, 15, 16, 17, 18, 19, 20, 21, 22, 400]);
    const y = torch.zeros(5);
    y.index_put_([torch.tensor([0, 0, 2])], torch.tensor([1, 2, 3], { dtype: 'float32' }), { accumulate: true });
    expect(list(y)).toEqual([3, 0, 3, 0, 0]);
    const z = torch.zeros(2, 3, 4);
    z.index_put_([[1, 0], ':', [3, 1]], torch.arange(6, { dtype: 'float32' }).reshape(2, 3));
    expect(list(z.flatten())).toEqual([0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    const w = torch.zeros(3, 2);
    w.index_put_([torch.tensor([true, false, true])], 5);
    expect(list(w.flatten())).toEqual([5, 5, 0, 0, 5, 5]);
    const a = torch.ones(4, { requires_grad: true }), v = torch.tensor([2, 3], { dtype: 'float32', requires_grad: true });
    const b = a.mul(1).index_put([torch.tensor([1, 3])], v);
    expect(list(b)).toEqual([1, 2, 1, 3]);
    b.mul(torch.tensor([1, 2, 3, 4], { dtype: 'float32' })).sum().backward();
    expect(list(a.grad)).toEqual([1, 0, 3, 0]);
    expect(list(v.grad)).toEqual([2, 4]);
  });
});

describe('pooling layers take every argument by name', () => {
  it('MaxPool2d / MaxPool1d / AvgPool2d / adaptive pools, positionally or by name', () => {
    const x = torch.arange(32, { dtype: 'float32' }).reshape(1, 2, 4, 4);
    const a = new torch.nn.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1 }).call(x) as Tensor;
    const b = new torch.nn.MaxPool2d(3, 2, 1).call(x) as Tensor;
    expect(a.tolistSync()).toEqual(b.tolistSync());
    expect(String(new torch.nn.MaxPool2d({ kernel_size: 2 }))).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    expect((new torch.nn.AvgPool2d({ kernel_size: 2, stride: 1 }).call(x) as Tensor).shape).toEqual([1, 2, 3, 3]);
    expect((new torch.nn.MaxPool1d({ kernel_size: 2 }).call(x.reshape(1, 2, 16)) as Tensor).shape).toEqual([1, 2, 8]);
    expect((new torch.nn.AdaptiveAvgPool2d({ output_size: [1, 2] }).call(x) as Tensor).shape).toEqual([1, 2, 1, 2]);
    const [y, idx] = new torch.nn.AdaptiveMaxPool2d({ output_size: 2, return_indices: true }).call(x) as Tensor[];
    expect([y.shape, idx.shape]).toEqual([[1, 2, 2, 2], [1, 2, 2, 2]]);
    expect(() => new torch.nn.MaxPool2d({ kernel_sizee: 2 } as never)).toThrow("MaxPool2d() got an unexpected keyword argument 'kernel_sizee'");
    expect(() => new torch.nn.MaxPool2d({ stride: 2 } as never)).toThrow("missing 1 required positional argument: 'kernel_size'");
  });
});

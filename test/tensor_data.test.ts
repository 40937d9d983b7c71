// `t.data` is PyTorch's `.data` (a view sharing storage, cut from the graph, whose in-place changes
// autograd does not see) and, called, webtorch's reader: `await t.data()`. Expected values are
// PyTorch 1.13's.
import { describe, it, expect } from 'vitest';
import { inspect } from 'node:util';
import * as torch from '../ts/index.js';

const { nn } = torch;
const list = (t: torch.Tensor | null) => t!.tolistSync() as number[];

describe('t.data as PyTorch has it', () => {
  it('shares storage and is cut from the graph', () => {
    const lin = new nn.Linear(3, 2);
    lin.bias!.data.fill_(0.01);
    expect(list(lin.bias)).toEqual([0.01, 0.01].map(Math.fround));
    const w = torch.randn([2, 3], { requires_grad: true });
    const y = w.mul(2);
    const d = y.data;
    expect(d).toBeInstanceOf(torch.Tensor);
    expect(d.requires_grad).toBe(false);
    expect(d.grad_fn).toBe(null);
    expect(d.is_leaf).toBe(true);
    expect(d.shape).toEqual([2, 3]);
    expect(d.dtype).toBe('float32');
    expect(lin.weight.data instanceof nn.Parameter).toBe(false);
    expect(list(d.data.data)).toEqual(list(y));
  });

  it('in-place changes through .data are hidden from the version check (PyTorch gives grad [4, 6])', () => {
    const w = torch.tensor([1, 2], { dtype: torch.float32, requires_grad: true });
    const y = w.mul(w).sum();
    w.data.add_(1);
    y.backward();
    expect(list(w.grad)).toEqual([4, 6]);
    // detach() shares the version counter, so the same change is an error there
    const v = torch.tensor([1, 2], { dtype: torch.float32, requires_grad: true });
    const z = v.mul(v).sum();
    v.detach().add_(1);
    expect(() => z.backward()).toThrow(/modified by an inplace operation/);
  });

  it('the manual SGD update of the old examples', () => {
    const p = torch.tensor([1, 2, 3], { dtype: torch.float32, requires_grad: true });
    p.mul(p).sum().backward();
    p.data.add_(p.grad!.data, { alpha: -0.1 });
    expect(list(p)).toEqual([0.8, 1.6, 2.4].map(Math.fround));
    expect(p.requires_grad).toBe(true);
    expect(p.is_leaf).toBe(true);
  });

  it('ops take it as a tensor', () => {
    for (const dtype of [torch.int32, torch.float32, torch.float64]) {
      const a = torch.tensor([1, 2, 3], { dtype });
      expect(list(torch.add(a.data, 1))).toEqual([2, 3, 4]);
      expect(list(torch.add(1, a.data))).toEqual([2, 3, 4]);
      expect(list(a.data.add(1))).toEqual([2, 3, 4]);
      expect(list(a.data.mul(a.data))).toEqual([1, 4, 9]);
      expect(list(torch.cat([a.data, a]))).toEqual([1, 2, 3, 1, 2, 3]);
      expect(list(torch.where(a.data.gt(1), a.data, torch.zeros_like(a)))).toEqual([0, 2, 3]);
    }
  });

  it('every kind of op gives what the tensor itself gives', () => {
    torch.manual_seed(0);
    const x = torch.randn([3, 4]), y = torch.randn([3, 4]), m = torch.randn([4, 2]);
    const same = (f: (a: torch.Tensor, b: torch.Tensor) => torch.Tensor) => expect(list(f(x.data, y.data))).toEqual(list(f(x, y)));
    same((a, b) => a.add(b, { alpha: 2 }));
    same((a, b) => a.sub(b).abs().sqrt());
    same((a, b) => torch.maximum(a, b));
    same((a) => a.matmul(m.data));
    same((a) => a.sum(1, true));
    same((a) => a.softmax(1));
    same((a) => a.t().contiguous());
    same((a) => a.reshape([2, 6]).index(torch.tensor([1, 0])));
    same((a, b) => a.clone().copy_(b));
    same((a, b) => a.clone().clamp_(b.data.min(), 0.5));
    same((a, b) => a.clone().masked_fill_(b.data.gt(0), 9));
    same((a) => torch.nn.functional.relu(a));
    same((a, b) => torch.stack([a, b]).mean(0));
  });

  it('prints as the tensor', () => {
    const a = torch.tensor([1.5, 2]);
    expect(inspect(a.data)).toBe(inspect(a));
    expect(String(a.data)).toBe(String(a));
  });

  it('t.data = src takes src\'s values, shape and dtype, keeping identity, flags and grad', () => {
    const p = new nn.Parameter(torch.ones(3));
    p.grad = torch.ones(3);
    const q = torch.zeros(2, { dtype: torch.float64 });
    p.data = q;
    expect(p.shape).toEqual([2]);
    expect(p.dtype).toBe('float64');
    expect(p.grad!.shape).toEqual([3]);
    expect(p.requires_grad).toBe(true);
    expect(p.is_leaf).toBe(true);
    expect(list(p)).toEqual([0, 0]);
    // storage is shared with q afterwards, as in PyTorch
    q.fill_(7);
    expect(list(p)).toEqual([7, 7]);
  });

  it('t.data = src errors as PyTorch', () => {
    const p = torch.zeros(2, { requires_grad: true });
    expect(() => { p.data = torch.ones(2, { dtype: torch.int32 }); }).toThrow('data set to a tensor that requires gradients must be floating point or complex dtype');
    expect(() => { (p as unknown as { data: unknown }).data = 5; }).toThrow('Variable data has to be a tensor, but got number');
  });
});

describe('t.data() reads the values', () => {
  it('a typed array, as before', async () => {
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 }).t();
    const v = await a.data();
    expect(v).toBeInstanceOf(Float32Array);
    expect([...v]).toEqual([1, 3, 2, 4]);
    expect(typeof a.data).toBe('function');
  });

  it('reading makes no tensor', async () => {
    const a = torch.tensor([1, 2]);
    const before = torch.memory().tensors;
    for (let i = 0; i < 10; i++) await a.data();
    expect(torch.memory().tensors).toBe(before);
  });

  it('a disposed tensor gives the use-after-dispose error', async () => {
    const a = torch.tensor([1, 2]);
    a.dispose();
    await expect(a.data()).rejects.toThrow(/has been disposed/);
    expect(() => a.data.add(1)).toThrow(/has been disposed/);
  });
});

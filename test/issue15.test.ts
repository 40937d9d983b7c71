// Issue 15 "Nothing silent, nothing lost": errors instead of silent results, and habits PyTorch users bring.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

describe('backward after a saved tensor was disposed', () => {
  const msg = (node: string) => new RegExp(`^${node}: a tensor saved for backward \\(shape \\[2, 3\\], float32\\) was disposed before backward`);
  it('names the node (saved input)', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const b = torch.randn([2, 3]);
    const loss = torch.mul(a, b).sum();
    b.dispose();
    expect(() => loss.backward()).toThrow(msg('MulBackward0'));
  });
  it('names the node when the saved tensor is a view of the disposed one (matmul, linear)', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const w = torch.randn([2, 3]);
    const loss = torch.matmul(a, w.t()).sum();
    w.dispose();
    expect(() => loss.backward()).toThrow(/Backward\d*: a tensor saved for backward \(shape \[3, 2\], float32\) was disposed/);
    const x = torch.randn([4, 3], { requires_grad: true });
    const lw = torch.randn([5, 3]);
    const l2 = torch.nn.functional.linear(x, lw).sum();
    lw.dispose();
    expect(() => l2.backward()).toThrow(/Backward\d*: a tensor saved for backward .* was disposed before backward/);
  });
  it('names the node for a disposed intermediate output (exp saves its result)', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const h = torch.exp(a);
    const loss = h.sum();
    h.dispose();
    expect(() => loss.backward()).toThrow(msg('ExpBackward0'));
  });
  it('a custom Function reading ctx.saved_tensors', () => {
    class Sq extends torch.autograd.Function {
      static forward(ctx: any, x: any) { ctx.save_for_backward(x); return x.mul(x); }
      static backward(ctx: any, g: any) { const [x] = ctx.saved_tensors; return g.mul(x).mul(2); }
    }
    const a = torch.randn([2, 3], { requires_grad: true });
    const h = a.mul(1);
    const loss = Sq.apply(h).sum();
    h.dispose();
    expect(() => loss.backward()).toThrow(msg('SqBackward'));
  });
  it('still works when nothing was disposed', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const w = torch.randn([2, 3]);
    torch.matmul(a, w.t()).sum().backward();
    expect(a.grad!.shape).toEqual([2, 3]);
  });
});

describe('negative indices raise PyTorch 1.13 errors (wasm)', () => {
  const x = torch.arange(12, { dtype: 'float32' }).reshape([3, 4]);
  const I = (v: number[] | number[][]) => torch.tensor(v as number[], { dtype: 'int32' });
  it('index_select: "index out of range in self" for -1 and for too large', () => {
    expect(() => torch.index_select(x, 0, I([-1]))).toThrow(/^index_select\(\): index -1 is out of bounds for dimension 0 with size 3 \(index out of range in self\)/);
    expect(() => x.index_select(1, I([0, 4]))).toThrow(/index out of range in self/);
    expect(torch.index_select(x, 0, I([2, 0])).tolistSync()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
  });
  it('gather: "index -1 is out of bounds for dimension d with size N"', () => {
    expect(() => torch.gather(x, 0, I([[-1, 0, 0, 0]]))).toThrow(/index -1 is out of bounds for dimension 0 with size 3/);
    expect(() => torch.gather(x, 1, I([[-1], [0], [0]]))).toThrow(/index -1 is out of bounds for dimension 1 with size 4/);
  });
  it('scatter and scatter_add reject -1', () => {
    expect(() => torch.zeros([3, 4]).scatter(0, I([[-1, 0, 0, 0]]), 1)).toThrow(/index -1 is out of bounds for dimension 0 with size 3/);
    expect(() => torch.zeros([3, 4]).scatter_add(0, I([[-1, 0, 0, 0]]), torch.ones([1, 4]))).toThrow(/index -1 is out of bounds for dimension 0 with size 3/);
  });
  it('embedding: "index out of range in self"', () => {
    expect(() => torch.nn.functional.embedding(I([-1]), x)).toThrow(/index out of range in self/);
    expect(() => torch.nn.functional.embedding(I([3]), x)).toThrow(/index out of range in self/);
  });
});

// Sparse COO tensors (ts/sparse): torch.sparse.mm / spmm outputs and the gradients of the dense
// operand and the values, coalesce, to_dense and to_sparse against PyTorch 1.13
// (test/fixtures/gen_sparse_fixtures.py), float64 gradchecks, and PyTorch's errors.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/sparse.json', import.meta.url), 'utf8'));
const close = (a: unknown, b: unknown, tol: number): void => {
  const fa = (a as number[]).flat(3) as number[], fb = (b as number[]).flat(3) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((x, i) => expect(Math.abs(x - fb[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(fb[i]))));
};

describe('sparse COO tensors', () => {
  it('sparse.mm, spmm and torch.mm: outputs and gradients (dense operand and values) match PyTorch', () => {
    for (const c of fx.mm) {
      const tol = c.dtype === 'float64' ? 1e-12 : 1e-5;
      const v = torch.tensor(c.values, { dtype: c.dtype, requires_grad: true });
      const d = torch.tensor(c.dense, { dtype: c.dtype, requires_grad: true });
      const s = torch.sparse_coo_tensor(torch.tensor(c.indices), v, c.size);
      expect(s.is_sparse).toBe(true);
      const o = torch.sparse.mm(s, d);
      o.backward(torch.tensor(c.grad_out, { dtype: c.dtype }));
      close(o.tolistSync(), c.out, tol);
      close(d.grad!.tolistSync(), c.grad_dense, tol);
      close(v.grad!.tolistSync(), c.grad_values, tol);
      close(s.to_dense().tolistSync(), c.to_dense, tol);
      close(torch.spmm(s, d).tolistSync(), c.out, tol);
      close(torch.mm(s, d).tolistSync(), c.out, tol);
      close(s.matmul(d).tolistSync(), c.out, tol);
    }
  });

  it('coalesce sorts the indices and sums duplicates; indices()/values() need it', () => {
    for (const c of fx.coalesce) {
      const s = torch.sparse_coo_tensor(torch.tensor(c.indices), torch.tensor(c.values, { dtype: 'float64' }), c.size);
      expect(s.is_coalesced()).toBe(false);
      expect(() => s.indices()).toThrow('Cannot get indices on an uncoalesced tensor, please call .coalesce() first');
      expect(() => s.values()).toThrow('Cannot get values on an uncoalesced tensor, please call .coalesce() first');
      const k = s.coalesce();
      expect(k.is_coalesced()).toBe(true);
      expect(k.indices().tolistSync()).toEqual(c.c_indices);
      close(k.values().tolistSync(), c.c_values, 1e-12);
      expect(s._indices().tolistSync()).toEqual(c.indices);
    }
  });

  it('to_sparse keeps the nonzero entries (all dims, or the first sparse_dim)', () => {
    for (const c of fx.to_sparse) {
      const s = torch.tensor(c.dense).to_sparse(c.sparse_dim);
      expect(s.is_coalesced()).toBe(c.is_coalesced);
      expect(s.indices().tolistSync()).toEqual(c.indices);
      expect(s.values().tolistSync()).toEqual(c.values);
      expect(s.to_dense().tolistSync()).toEqual(c.dense);
    }
    expect(torch.zeros(2).is_sparse).toBe(false);
  });

  it('float64 gradchecks through the dense operand and the values', () => {
    const idx = torch.tensor([[0, 1, 1, 2, 1], [1, 0, 2, 2, 0]]);
    const v = torch.tensor([0.5, -1.2, 0.3, 2.0, 0.7], { dtype: 'float64', requires_grad: true });
    const d = torch.tensor([[0.2, -0.4], [1.1, 0.3], [-0.6, 0.9]], { dtype: 'float64', requires_grad: true });
    expect(torch.autograd.gradcheck((vv: Tensor, dd: Tensor) => torch.sparse.mm(torch.sparse_coo_tensor(idx, vv, [3, 3]), dd), [v, d])).toBe(true);
    expect(torch.autograd.gradcheck((vv: Tensor) => torch.sparse_coo_tensor(idx, vv, [3, 3]).coalesce().values(), [v])).toBe(true);
  });

  it('bad input: PyTorch\'s errors', () => {
    const i = torch.tensor([[0, 1, 1], [2, 0, 2]]), v = torch.tensor([3, 4, 5], { dtype: 'float32' });
    const s = torch.sparse_coo_tensor(i, v, [2, 3]);
    expect(() => torch.sparse.mm(s, torch.randn(4, 2))).toThrow('addmm: Argument #3 (dense): Expected dim 0 size 3, got 4');
    expect(() => torch.spmm(s, torch.randn(4, 2))).toThrow('addmm: Argument #3 (dense): Expected dim 0 size 3, got 4');
    expect(() => torch.sparse.mm(s, torch.randn(3))).toThrow('Dimension out of range (expected to be in range of [-1, 0], but got 1)');
    expect(() => torch.sparse_coo_tensor(torch.tensor([0, 1]), v.narrow(0, 0, 2), [2, 3])).toThrow('indices must be sparse_dim x nnz, but got: [2]');
    expect(() => torch.sparse_coo_tensor(i, v.narrow(0, 0, 2), [2, 3])).toThrow('indices and values must have same nnz, but got nnz from indices: 3, nnz from values: 2');
    expect(() => torch.sparse_coo_tensor(i, v, [1, 3])).toThrow('size is inconsistent with indices: for dim 0, size is 1 but found index 1');
    expect(() => torch.sparse_coo_tensor(torch.tensor([[0, 1, -1], [2, 0, 2]]), v, [2, 3])).toThrow('found negative index -1 for dim 0');
    expect(() => torch.sparse.mm(torch.randn(2, 3) as never, s as never)).toThrow(/sparse matrix must be the first argument/);
    expect(() => torch.sparse_coo_tensor(i, v, [2, 3], { device: 'webgpu' })).toThrow('sparse_coo_tensor: sparse COO tensors are supported on the CPU (wasm) backend only, got device webgpu');
    // the size is inferred from the indices when not given
    expect(torch.sparse_coo_tensor(i, v).shape).toEqual([2, 3]);
  });
});

describe('sparse COO tensors: memory', () => {
  it('a GCN-style loop (construction, coalesce, spmm, backward) keeps live storages flat', () => {
    const w = torch.randn(4, 2, { requires_grad: true });
    const step = () => torch.scope(() => {
      const s = torch.sparse_coo_tensor(torch.tensor([[0, 1, 1, 3, 1], [2, 0, 2, 1, 0]]), torch.rand(5), [4, 4]).coalesce();
      const loss = torch.spmm(s, torch.mm(s.to_dense(), w)).sum();
      loss.backward();
      torch.no_grad(() => { w.sub_(w.grad!.mul(0.01)); w.grad!.zero_(); });
    });
    for (let i = 0; i < 5; i++) step();
    const before = torch.memory().tensors;
    for (let i = 0; i < 30; i++) step();
    expect(torch.memory().tensors).toBeLessThanOrEqual(before);
  });
});

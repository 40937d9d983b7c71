// Elementwise results keep their operands' layout when every operand shares one dense, permuted
// layout (ts/ops/pointwise.ts denseLayout), as PyTorch's TensorIterator does: x.t().exp() has
// x.t()'s strides. The kernel then runs over the storage in memory order. Strides below are
// PyTorch 1.13's (torch.randn(3, 4).t().exp().stride() == (1, 4), and so on).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

const vals = (t: torch.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);
const maxDiff = (a: torch.Tensor, b: torch.Tensor): number => Math.max(...vals(a).map((v, i) => Math.abs(v - vals(b)[i])));

describe('pointwise results follow a shared dense layout', () => {
  it('a transpose: unary, binary, with a number and with a 0-d tensor', () => {
    const base = torch.randn([3, 4]);
    const x = base.t(), xc = x.contiguous();
    expect(x.exp().stride()).toEqual([1, 4]);
    expect(x.add(x).stride()).toEqual([1, 4]);
    expect(x.mul(2).stride()).toEqual([1, 4]);
    expect(x.add(torch.tensor(1)).stride()).toEqual([1, 4]);
    expect(x.exp().is_contiguous()).toBe(false);
    expect(vals(x.exp())).toEqual(vals(xc.exp()));
    expect(vals(x.mul(x.add(1)))).toEqual(vals(xc.mul(xc.add(1))));
    expect(vals(x.sub(torch.tensor(0.5)))).toEqual(vals(xc.sub(0.5)));
    expect(vals(x.gt(0))).toEqual(vals(xc.gt(0)));
  });

  it('a permuted 3-d tensor with an offset, in float64 and int32', () => {
    for (const dtype of ['float64', 'int32'] as const) {
      const big = torch.arange(0, 48).to(dtype).reshape([2, 2, 3, 4]);
      const p = big.select(0, 1).permute([2, 0, 1]); // offset 24, strides [1, 12, 4]
      expect(p.stride()).toEqual([1, 12, 4]);
      const y = p.mul(p).add(p);
      expect(y.stride()).toEqual([1, 12, 4]);
      expect(vals(y)).toEqual(vals(p.contiguous().mul(p.contiguous()).add(p.contiguous())));
    }
  });

  it('mixed, overlapping or gapped layouts give contiguous results', () => {
    const x = torch.randn([3, 4]).t(), c = torch.randn([4, 3]);
    expect(x.add(c).is_contiguous()).toBe(true);
    expect(vals(x.add(c))).toEqual(vals(x.contiguous().add(c)));
    const e = torch.randn([3, 1]).expand([3, 4]);
    expect(e.add(e).stride()).toEqual([4, 1]);
    expect(vals(e.add(e))).toEqual(vals(e.contiguous().mul(2)));
    const s = torch.randn([4, 6]).slice(1, 0, 6, 2);
    expect(s.add(s).stride()).toEqual([3, 1]);
    expect(vals(s.add(s))).toEqual(vals(s.contiguous().mul(2)));
    // broadcasting against a vector: contiguous, as the layouts differ
    expect(x.add(torch.randn([3])).is_contiguous()).toBe(true);
  });

  it('gradients and views of such results', () => {
    const a = torch.randn([5, 7], { dtype: 'float64', requires_grad: true });
    const b = torch.randn([5, 7], { dtype: 'float64', requires_grad: true });
    const y = a.t().mul(b.t()).tanh();
    expect(y.stride()).toEqual([1, 7]);
    y.mul(torch.arange(0, 35).to('float64').reshape([7, 5])).sum().backward();
    const w = torch.arange(0, 35).to('float64').reshape([7, 5]).t();
    const t = a.detach().mul(b.detach()).tanh();
    const dy = w.mul(t.mul(t).neg().add(1));
    expect(maxDiff(a.grad!, dy.mul(b.detach()))).toBeLessThan(1e-12);
    expect(maxDiff(b.grad!, dy.mul(a.detach()))).toBeLessThan(1e-12);
    // reshape of a non-contiguous result copies; view raises as in PyTorch
    expect(vals(y.reshape([-1]))).toEqual(vals(y.contiguous().view([-1])));
    expect(() => y.view([-1])).toThrow(/view/);
  });
});

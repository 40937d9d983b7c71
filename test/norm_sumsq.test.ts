// torch.norm (p = 2) reduces with the backends' sum-of-squares kernel (reduce kind 'sumsq'), no
// squared copy of x: it must equal the square root of x * x summed, for every dims pattern the
// wasm driver splits into groups (adjacent, non-adjacent, all, none: a 0-d input), keepdim,
// float32 and float64, strided inputs, and the gradient.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const maxRel = (a: Tensor, b: Tensor): number => a.sub(b).abs().div(b.abs().add(1e-30)).max().itemSync() as number;

describe('norm through the sum-of-squares reduction', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: dims patterns, keepdim, strided input`, () => {
      const base = torch.randn([5, 6, 7, 33], { dtype });
      const tol = dtype === 'float64' ? 1e-14 : 1e-6;
      for (const x of [base, base.permute([3, 1, 0, 2]), base.slice(3, 1, 30, 2)]) {
        for (const dims of [[0], [3], [1, 2], [0, 2], [0, 1, 3], [0, 1, 2, 3]]) {
          for (const keepdim of [false, true]) {
            const want = x.mul(x).sum(dims, keepdim).sqrt();
            const got = torch.norm(x, 2, dims, keepdim);
            expect(got.shape).toEqual(want.shape);
            expect(maxRel(got, want), `[${x.shape}] dims [${dims}] keepdim ${keepdim}`).toBeLessThan(tol);
          }
        }
        expect(maxRel(x.norm(), x.mul(x).sum().sqrt())).toBeLessThan(tol);
      }
    });
  }

  it('a 0-d input squares too: norm(-3.5) is 3.5', () => {
    expect(torch.tensor(-3.5).norm().itemSync()).toBe(3.5);
    expect(torch.tensor(-3.5, { dtype: 'float64' }).norm(2, 0).itemSync()).toBe(3.5);
  });

  it('the gradient is x / norm', () => {
    const x = torch.randn([4, 9], { dtype: 'float64', requires_grad: true });
    torch.norm(x, 2, [1]).sum().backward();
    const want = x.detach().div(x.detach().mul(x.detach()).sum(1, true).sqrt());
    expect(maxRel(x.grad!, want)).toBeLessThan(1e-14);
  });
});

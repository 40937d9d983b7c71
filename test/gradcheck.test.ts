// Finite-difference gradient checks in float64 for every differentiable op, and second-order
// checks (gradgradcheck) for the elementwise ops, matmul, reductions and activations.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

torch.manual_seed(0);
const f64 = { dtype: 'float64' as const, requires_grad: true };
const r = (...s: number[]) => torch.randn(s, f64);
const pos = (...s: number[]) => torch.rand(s, { dtype: 'float64' }).add(0.5).requires_grad_();
/** values kept away from kinks (relu, abs, clamp, max ties) so finite differences are valid */
const away = (...s: number[]) => {
  const x = torch.randn(s, { dtype: 'float64' });
  return x.add(x.sign().mul(0.2)).requires_grad_();
};

type Case = [string, () => Tensor[], (...xs: Tensor[]) => Tensor | Tensor[], boolean?];
// name, inputs, fn, also gradgradcheck
const cases: Case[] = [
  ['add', () => [r(2, 3), r(3)], (a, b) => a.add(b, { alpha: 2 }), true],
  ['sub', () => [r(2, 3), r(2, 1)], (a, b) => a.sub(b), true],
  ['mul', () => [r(2, 3), r(1, 3)], (a, b) => a.mul(b), true],
  ['div', () => [r(2, 3), pos(2, 3)], (a, b) => a.div(b), true],
  ['pow_scalar', () => [pos(3, 2)], (a) => a.pow(2.5), true],
  ['pow_tensor', () => [pos(3), r(3)], (a, b) => a.pow(b), true],
  ['pow_scalar_base', () => [r(4)], (b) => torch.pow(2, b), true],
  ['neg', () => [r(4)], (a) => a.neg()],
  ['abs', () => [away(5)], (a) => a.abs()],
  ['reciprocal', () => [pos(4)], (a) => a.reciprocal(), true],
  ['exp', () => [r(2, 2)], (a) => a.exp(), true],
  ['log', () => [pos(4)], (a) => a.log(), true],
  ['log1p', () => [pos(4)], (a) => a.log1p(), true],
  ['expm1', () => [r(4)], (a) => a.expm1(), true],
  ['sqrt', () => [pos(4)], (a) => a.sqrt(), true],
  ['rsqrt', () => [pos(4)], (a) => a.rsqrt(), true],
  ['sin', () => [r(4)], (a) => a.sin(), true],
  ['cos', () => [r(4)], (a) => a.cos(), true],
  ['tanh', () => [r(4)], (a) => a.tanh(), true],
  ['sigmoid', () => [r(4)], (a) => a.sigmoid(), true],
  ['relu', () => [away(6)], (a) => a.relu(), true],
  ['gelu', () => [r(5)], (a) => torch.gelu(a), true],
  ['gelu_tanh', () => [r(5)], (a) => torch.gelu(a, { approximate: 'tanh' }), true],
  ['silu', () => [r(5)], (a) => torch.silu(a), true],
  ['softplus', () => [r(5)], (a) => torch.softplus(a, { beta: 2 }), true],
  ['erf', () => [r(5)], (a) => a.erf(), true],
  ['clamp', () => [away(6)], (a) => a.clamp(-0.5, 0.5)],
  ['clamp_tensor', () => [r(6), r(6).sub(1), r(6).add(1)], (a, lo, hi) => a.clamp(lo, hi)],
  ['minimum', () => [r(5), r(5)], (a, b) => torch.minimum(a, b)],
  ['maximum', () => [r(5), r(5)], (a, b) => torch.maximum(a, b)],
  ['where', () => [r(4), r(4)], (a, b) => torch.where(a.gt(0), a, b), true],
  ['masked_fill', () => [r(3, 4)], (a) => a.masked_fill(a.gt(0.5), 2)],
  ['sum', () => [r(2, 3, 4)], (a) => a.sum([0, 2]), true],
  ['sum_keepdim', () => [r(2, 3)], (a) => a.sum(1, true), true],
  ['mean', () => [r(2, 3)], (a) => a.mean(0), true],
  ['prod', () => [pos(2, 3)], (a) => a.prod(1), true],
  ['prod_with_zero', () => [torch.tensor([[1.5, 0, 2], [0.5, 3, 1]], f64)], (a) => a.prod(1)],
  ['max_dim', () => [r(3, 4)], (a) => a.max(1)[0], true],
  ['max_all', () => [r(3, 4)], (a) => a.max()],
  ['amax', () => [r(3, 4)], (a) => a.amax([0, 1])],
  ['min_dim', () => [r(3, 4)], (a) => a.min(0, true)[0]],
  ['var', () => [r(3, 4)], (a) => a.var(1), true],
  ['std', () => [r(3, 4)], (a) => a.std({ dim: 0, correction: 0 }), true],
  ['logsumexp', () => [r(3, 4)], (a) => a.logsumexp(1), true],
  ['norm', () => [r(3, 4)], (a) => a.norm(), true],
  ['norm_p1', () => [away(3, 4)], (a) => a.norm(1, 1)],
  ['cumsum', () => [r(3, 4)], (a) => a.cumsum(1), true],
  ['softmax', () => [r(3, 4)], (a) => a.softmax(1), true],
  ['log_softmax', () => [r(3, 4)], (a) => a.log_softmax(-1), true],
  ['matmul_2d', () => [r(3, 4), r(4, 2)], (a, b) => a.matmul(b), true],
  ['matmul_batched_bcast', () => [r(2, 1, 3, 4), r(5, 4, 2)], (a, b) => a.matmul(b), true],
  ['matmul_1d_2d', () => [r(4), r(4, 3)], (a, b) => a.matmul(b), true],
  ['mm_transposed', () => [r(4, 3), r(2, 4)], (a, b) => a.t().mm(b.t()), true],
  ['bmm', () => [r(2, 3, 4), r(2, 4, 5)], (a, b) => a.bmm(b), true],
  ['dot', () => [r(5), r(5)], (a, b) => a.dot(b), true],
  ['outer', () => [r(3), r(4)], (a, b) => a.outer(b), true],
  ['addmm', () => [r(3), r(2, 4), r(4, 3)], (i, a, b) => torch.addmm(i, a, b, { beta: 0.5, alpha: 2 }), true],
  ['view', () => [r(2, 6)], (a) => a.view(3, 4).mul(2), true],
  ['reshape_noncontig', () => [r(3, 4)], (a) => a.t().reshape(-1), true],
  ['permute', () => [r(2, 3, 4)], (a) => a.permute(2, 0, 1), true],
  ['transpose', () => [r(2, 3)], (a) => a.transpose(0, 1), true],
  ['squeeze_unsqueeze', () => [r(2, 1, 3)], (a) => a.squeeze(1).unsqueeze(0), true],
  ['expand', () => [r(3, 1)], (a) => a.expand(2, 3, 4), true],
  ['narrow', () => [r(5, 3)], (a) => a.narrow(0, 1, 3), true],
  ['select', () => [r(3, 4)], (a) => a.select(1, 2), true],
  ['slice_step', () => [r(7, 2)], (a) => a.index('1::2'), true],
  ['index_mixed', () => [r(3, 4, 5)], (a) => a.index(1, null, '...', '0:4:3'), true],
  ['flatten', () => [r(2, 3, 4)], (a) => a.flatten(1), true],
  ['clone', () => [r(3)], (a) => a.clone(), true],
  ['contiguous', () => [r(3, 2)], (a) => a.t().contiguous(), true],
  ['unbind', () => [r(3, 2)], (a) => a.unbind(0)[1], true],
  ['as_strided', () => [r(6)], (a) => a.as_strided([2, 2], [3, 1], 1), true],
  ['cat', () => [r(2, 3), r(1, 3)], (a, b) => torch.cat([a, b], 0), true],
  ['stack', () => [r(2, 3), r(2, 3)], (a, b) => torch.stack([a, b], 1), true],
  ['split', () => [r(5, 2)], (a) => a.split(2)[2], true],
  ['chunk', () => [r(2, 6)], (a) => a.chunk(3, 1)[1], true],
  ['index_select', () => [r(4, 3)], (a) => a.index_select(0, torch.tensor([3, 0, 3])), true],
  ['gather', () => [r(3, 4)], (a) => a.gather(1, torch.tensor([[0, 3], [1, 1], [2, 0]])), true],
  ['scatter', () => [r(3, 4), r(3, 2)], (a, s) => a.scatter(1, torch.tensor([[0, 3], [1, 2], [2, 0]]), s), true],
  ['scatter_add', () => [r(3, 4), r(3, 2)], (a, s) => a.scatter_add(1, torch.tensor([[0, 0], [1, 1], [2, 3]]), s), true],
  ['tril', () => [r(3, 4)], (a) => a.tril(1), true],
  ['triu', () => [r(3, 4)], (a) => a.triu(-1), true],
  ['flip', () => [r(3, 4)], (a) => a.flip(0, 1), true],
  ['repeat', () => [r(2, 3)], (a) => a.repeat(2, 1, 2), true],

  ['composite_mlp', () => [r(4, 3), r(3, 5), r(5)], (x, w, b) => x.matmul(w).add(b).tanh().sum(1).log_softmax(0), true],
  ['hardswish', () => [r(8).mul(3).detach().requires_grad_()], (a) => torch.nn.functional.hardswish(a), true],
  ['hardsigmoid', () => [r(8).mul(3).detach().requires_grad_()], (a) => torch.nn.functional.hardsigmoid(a), true],
];

describe('gradcheck (float64 finite differences)', () => {
  for (const [name, inputs, fn] of cases) {
    it(name, () => { expect(torch.autograd.gradcheck(fn, inputs())).toBe(true); });
  }
});

describe('gradgradcheck (double backward)', () => {
  for (const [name, inputs, fn, second] of cases) {
    if (!second) continue;
    it(name, () => { expect(torch.autograd.gradgradcheck(fn, inputs())).toBe(true); });
  }
});

describe('gradcheck through a float32 cast', () => {
  it('to(float32) and back, with float32-sized steps', () => {
    expect(torch.autograd.gradcheck((a: Tensor) => a.to('float32').to('float64').mul(a), [r(3)], { eps: 1e-3, atol: 1e-3, rtol: 1e-2 })).toBe(true);
  });
});

describe('gradcheck catches a wrong gradient', () => {
  class BadSquare extends torch.autograd.Function {
    static override forward(ctx: any, x: Tensor) { ctx.save_for_backward(x); return x.mul(x); }
    static override backward(ctx: any, g: Tensor) { const [x] = ctx.saved_tensors; return g.mul(x).mul(3); }
  }
  it('raises a Jacobian mismatch', () => {
    expect(() => torch.autograd.gradcheck((x: Tensor) => BadSquare.apply(x), [r(3)])).toThrow(/Jacobian mismatch/);
    expect(torch.autograd.gradcheck((x: Tensor) => BadSquare.apply(x), [r(3)], { raise_exception: false })).toBe(false);
  });
});

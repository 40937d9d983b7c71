// The issue-17 ops beyond their PyTorch fixtures (core_views/core_index/core_linalg and
// nn_functional/nn_modules hold the values and gradients): float64 gradchecks, PyTorch's errors,
// reprs, and dropout2d's 3-D behavior with its warning.
import { describe, it, expect, vi } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn } = torch;
const F = nn.functional;
const f64 = (...s: number[]) => torch.randn(s, { dtype: 'float64' }).requires_grad_();
const check = (fn: (...t: Tensor[]) => Tensor, ...xs: Tensor[]) => expect(torch.autograd.gradcheck(fn, xs)).toBe(true);

describe('gradchecks (float64)', () => {
  it('diagonal, diag_embed, diag', () => {
    check((x) => torch.diagonal(x, 1, 0, 2), f64(3, 2, 4));
    check((x) => torch.diag_embed(x, -1, 0, 2), f64(2, 3));
    check((x) => torch.diag(x, 1), f64(3));
    check((x) => torch.diag(x, -1), f64(3, 4));
  });
  it('einsum: contraction, diagonal, ellipsis broadcast, three operands', () => {
    check((a, b) => torch.einsum('bij,bjk->bik', a, b), f64(2, 3, 4), f64(2, 4, 2));
    check((a) => torch.einsum('iji->j', a), f64(3, 2, 3));
    check((a, b) => torch.einsum('...ij,...jk', a, b), f64(2, 1, 2, 3), f64(3, 3, 2));
    check((a, b, c) => torch.einsum('bn,anm,bm->ba', a, b, c), f64(2, 3), f64(2, 3, 2), f64(2, 2));
  });
  it('baddbmm, addbmm, take_along_dim, masked_select', () => {
    check((i, a, b) => torch.baddbmm(i, a, b, { beta: 0.5, alpha: 2 }), f64(2, 1, 3), f64(2, 2, 4), f64(2, 4, 3));
    check((i, a, b) => torch.addbmm(i, a, b), f64(2, 3), f64(3, 2, 4), f64(3, 4, 3));
    const idx = torch.tensor([[2, 0], [1, 1], [0, 2]]);
    check((x) => torch.take_along_dim(x, idx, 1), f64(3, 3));
    const m = torch.tensor([true, false, true]);
    check((x) => torch.masked_select(x, m), f64(2, 3));
  });
  it('cosine_similarity, pairwise_distance, triplet_margin_loss, pixel_shuffle', () => {
    check((a, b) => F.cosine_similarity(a, b), f64(3, 4), f64(3, 4));
    check((a, b) => F.pairwise_distance(a, b, 3), f64(3, 4), f64(3, 4));
    check((a, p, n) => F.triplet_margin_loss(a, p, n, { swap: true, margin: 5 }), f64(3, 4), f64(3, 4), f64(3, 4));
    check((x) => F.pixel_unshuffle(F.pixel_shuffle(x, 2).mul(3), 2), f64(1, 8, 2, 2));
  });
});

describe("PyTorch's errors", () => {
  const cases: [() => unknown, string][] = [
    [() => torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(4, 2)), 'einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3'],
    [() => torch.einsum('ij,jk', torch.ones(2, 3)), 'einsum(): fewer operands were provided than specified in the equation'],
    [() => torch.einsum('i.j', torch.ones(2, 3)), "einsum(): found '.' for operand 0 that is not part of any ellipsis"],
    [() => torch.einsum('ij->ii', torch.ones(2, 3)), 'einsum(): output subscript i appears more than once in the output'],
    [() => torch.einsum('ij->k', torch.ones(2, 3)), 'einsum(): output subscript k does not appear in the equation for any input operand'],
    [() => torch.einsum('ijk', torch.ones(2, 3)), 'einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given'],
    [() => torch.einsum('i1', torch.ones(2)), 'einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]'],
    [() => torch.einsum('ii', torch.ones(2, 3)), "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"],
    [() => torch.diagonal(torch.ones(3, 3), 0, 1, 1), 'diagonal dimensions cannot be identical 1, 1'],
    [() => torch.diagonal(torch.ones(3)), 'Dimension out of range (expected to be in range of [-1, 0], but got 1)'],
    [() => torch.diag(torch.ones(2, 2, 2)), 'matrix or a vector expected'],
    [() => F.pixel_shuffle(torch.ones(1, 5, 2, 2), 2), "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=5 is not divisible by 4"],
    [() => F.pixel_shuffle(torch.ones(5, 2), 2), 'pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)'],
    [() => F.pixel_unshuffle(torch.ones(1, 1, 5, 4), 2), 'pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2'],
    [() => torch.masked_select(torch.ones(2, 3), torch.ones(2, 3)), 'masked_select: expected BoolTensor or ByteTensor for mask'],
    [() => torch.masked_select(torch.ones(2, 3), torch.ones(4, { dtype: 'bool' })), 'masked_select'],
    [() => torch.take_along_dim(torch.ones(2, 3), torch.ones(2, 3), 1), 'torch.take_along_dim(): dtype of indices should be Long but got float32'],
    [() => torch.take_along_dim(torch.ones(2, 3), torch.ones(2, { dtype: 'int32' }), 1), 'torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1 dimensions for indices'],
    [() => torch.take_along_dim(torch.ones(2, 3), torch.tensor([[5]]), 1), 'index 5 is out of bounds for dimension 1 with size 3'],
    [() => torch.baddbmm(torch.ones(2, 3, 4), torch.ones(2, 3), torch.ones(2, 3, 4)), 'batch1 must be a 3D tensor'],
    [() => torch.baddbmm(torch.ones(2, 3, 4), torch.ones(2, 3, 5), torch.ones(2, 3, 4)), 'Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [2, 3].'],
    [() => torch.unique(torch.ones(2, 3), { dim: 2 }), 'Dimension out of range'],
    [() => F.triplet_margin_loss(torch.ones(2, 3), torch.ones(2, 3), torch.ones(3)), 'All inputs should have same dimension but got 2D, 2D and 1D inputs.'],
    [() => F.dropout2d(torch.ones(3), 0.5), 'Feature dropout requires at least 2 dimensions'],
  ];
  for (const [f, msg] of cases) it(msg.slice(0, 80), () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try { expect(f).toThrow(msg); } finally { warn.mockRestore(); }
  });
  it('a bad call leaves state intact: the next valid call is right', () => {
    expect(() => torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(4, 2))).toThrow();
    expect(torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(3, 2)).tolistSync()).toEqual([[3, 3], [3, 3]]);
  });
});

describe('value-shaped ops', () => {
  it('nonzero/unique/masked_select: NaN counts as non-zero; sorted unique with inverse and counts', () => {
    expect(torch.nonzero(torch.tensor([0, Number.NaN, 2])).tolistSync()).toEqual([[1], [2]]);
    const [v, inv, cnt] = torch.unique(torch.tensor([3, 1, 2, 3, 1]), { return_inverse: true, return_counts: true }) as Tensor[];
    expect([v.tolistSync(), inv.tolistSync(), cnt.tolistSync()]).toEqual([[1, 2, 3], [2, 0, 1, 2, 0], [2, 1, 2]]);
    expect((torch.nonzero(torch.tensor(3)) as Tensor).shape).toEqual([1, 0]);
  });
});

describe('layers', () => {
  it("reprs as PyTorch's", () => {
    expect(String(new nn.PixelShuffle(2))).toBe('PixelShuffle(upscale_factor=2)');
    expect(String(new nn.PixelUnshuffle({ downscale_factor: 3 }))).toBe('PixelUnshuffle(downscale_factor=3)');
    expect(String(new nn.Upsample({ scale_factor: 2 }))).toBe('Upsample(scale_factor=2.0, mode=nearest)');
    expect(String(new nn.Upsample([4, 5], null, 'bilinear'))).toBe('Upsample(size=(4, 5), mode=bilinear)');
    expect(String(new nn.UpsamplingNearest2d({ scale_factor: 2 }))).toBe('UpsamplingNearest2d(scale_factor=2.0, mode=nearest)');
    expect(String(new nn.UpsamplingBilinear2d(3))).toBe('UpsamplingBilinear2d(size=3, mode=bilinear)');
    expect(String(new nn.CosineSimilarity())).toBe('CosineSimilarity()');
    expect(String(new nn.PairwiseDistance())).toBe('PairwiseDistance()');
    expect(String(new nn.TripletMarginLoss({ margin: 0.5 }))).toBe('TripletMarginLoss()');
  });
  it('dropout2d on 3-D input: channel dropout over (N, C, L) with PyTorch\'s warning, once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      torch.manual_seed(0);
      const y = new nn.Dropout2d(0.5).call(torch.ones(4, 6, 5)) as Tensor;
      const v = y.tolistSync() as number[][][];
      for (const n of v) for (const c of n) expect(new Set(c).size, 'one value per (N, C) channel').toBe(1);
      new nn.Dropout2d(0.5).call(torch.ones(4, 6, 5));
      const msgs = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('Received a 3D input to dropout2d'));
      expect(msgs.length).toBeLessThanOrEqual(1);
    } finally { warn.mockRestore(); }
  });
});

describe('leak check', () => {
  it('the new ops and their backward release everything inside a scope, step after step', () => {
    const w = torch.randn(3, 4, { requires_grad: true });
    const step = () => torch.scope(() => {
      const x = torch.randn(2, 3, 4);
      const y = torch.einsum('bij,jk->bik', x, w.t()).sum()
        .add(torch.diagonal(w, 1).sum()).add(torch.diag_embed(w).sum())
        .add(torch.take_along_dim(w, torch.tensor([[0], [2], [1]]), 1).sum())
        .add(torch.baddbmm(torch.zeros(2, 3, 3), x, w.t().expand(2, 4, 3)).sum())
        .add(F.cosine_similarity(w, w.flip(0)).sum())
        .add(F.pixel_shuffle(w.reshape(1, 4, 3, 1), 2).sum())
        .add(torch.masked_select(w, w.gt(0)).sum());
      y.backward();
    });
    step();
    const before = torch.memory().tensors;
    for (let i = 0; i < 20; i++) step();
    expect(torch.memory().tensors).toBe(before);
  });
});

// The gradients of a 2-D product are made in their operand's layout (PyTorch's mm_mat1_backward /
// mm_mat2_backward): for linear's W.t(), (g.t() @ x).t(), so W.grad arrives contiguous and needs no
// transposing copy. Values against explicit products, contiguity, and gradcheck/gradgradcheck
// through the transposed paths of mm, addmm and linear.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

const close = (a: torch.Tensor, b: torch.Tensor): void => {
  const x = a.dataSync() as Float64Array, y = b.contiguous().dataSync() as Float64Array;
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(y[i])));
};

describe('mm/addmm/linear gradients in the operand layout', () => {
  it('W.t() as the second operand (linear) and as the first: values and contiguous W.grad', () => {
    const opts = { dtype: 'float64' as const };
    const x = torch.randn([5, 3], opts), W = torch.randn([4, 3], { ...opts, requires_grad: true }), b = torch.randn([4], opts);
    const g = torch.randn([5, 4], opts);
    torch.nn.functional.linear(x, W, b).backward(g);
    expect(W.grad!.is_contiguous()).toBe(true);
    close(W.grad!, g.t().mm(x));
    const V = torch.randn([6, 3], { ...opts, requires_grad: true }), y = torch.randn([6, 2], opts), h = torch.randn([3, 2], opts);
    torch.mm(V.t(), y).backward(h); // V.t() is the first operand: dV = (y @ h.t())
    expect(V.grad!.is_contiguous()).toBe(true);
    close(V.grad!, y.mm(h.t()));
    const P = torch.randn([4, 3], { ...opts, requires_grad: true }), q = torch.randn([5, 4], opts), k = torch.randn([5, 3], opts);
    torch.addmm(torch.zeros([5, 3], opts), q, P, { alpha: 2 }).backward(k);
    close(P.grad!, q.t().mm(k).mul(2));
  });

  it('gradcheck and gradgradcheck through transposed operands (float64)', () => {
    const { gradcheck, gradgradcheck } = torch.autograd;
    const o = { dtype: 'float64' as const, requires_grad: true };
    const a = torch.randn([4, 3], o), w = torch.randn([5, 3], o), w2 = torch.randn([4, 2], o), c = torch.randn([5], o);
    const f = (x: torch.Tensor, W: torch.Tensor, V: torch.Tensor, bias: torch.Tensor): torch.Tensor =>
      torch.addmm(bias, x, W.t(), { beta: 0.5, alpha: 1.5 }).add(torch.mm(V.t(), x).sum());
    expect(gradcheck(f, [a, w, w2, c])).toBe(true);
    expect(gradgradcheck(f, [a, w, w2, c])).toBe(true);
  });
});

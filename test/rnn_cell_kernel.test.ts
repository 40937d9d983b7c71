// The fused recurrent cell kernels (ts/nn/functional/rnn.ts over RnnKernels) against the gate math
// composed from tensor ops (the formula PyTorch's LSTMCell and GRUCell compute): forward, the
// kernel backward, the differentiable backward under create_graph, gradcheck and gradgradcheck,
// and the argument errors. nn.LSTM / nn.GRU against PyTorch itself: test/nn_rnn.test.ts.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { lstm_cell, gru_cell } from '../ts/nn/functional/rnn.js';

const { nn } = torch;

type DT = 'float32' | 'float64';

/** The reference: the composed gate math. */
function lstmRef(gi: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gi.add(gh).chunk(4, 1);
  const c2 = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(c2.tanh()), c2];
}
function gruRef(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [ir, iz, inn] = gi.chunk(3, 1), [hr, hz, hn] = gh.chunk(3, 1);
  const r = ir.add(hr).sigmoid(), z = iz.add(hz).sigmoid();
  const n = inn.add(r.mul(hn)).tanh();
  return h.sub(n).mul(z).add(n);
}

const close = (a: Tensor, b: Tensor, dt: DT, what: string): void => {
  const tol = dt === 'float64' ? 1e-12 : 2e-6;
  expect(a.shape, what).toEqual(b.shape);
  const d = a.sub(b).abs().max().itemSync() as number;
  expect(d, what).toBeLessThan(tol * 4);
};

/** Inputs scaled to reach the saturated ends of sigmoid and tanh too. */
const inputs = (B: number, H: number, k: number, dt: DT): Tensor[] =>
  [torch.randn([B, k * H], { dtype: dt }).mul(3), torch.randn([B, k * H], { dtype: dt }).mul(3), torch.randn([B, H], { dtype: dt })]
    .map((t) => t.requires_grad_());

function compare(fn: (a: Tensor, b: Tensor, s: Tensor) => Tensor[], ref: (a: Tensor, b: Tensor, s: Tensor) => Tensor[], k: number, dt: DT, B: number, H: number): void {
  const xs = inputs(B, H, k, dt);
  const ys = xs.map((t) => t.detach().requires_grad_());
  const out = fn(xs[0], xs[1], xs[2]), exp = ref(ys[0], ys[1], ys[2]);
  out.forEach((o, i) => close(o, exp[i], dt, `output ${i}`));
  // weights on every output, so that each output's gradient flows
  const ws = exp.map((e) => torch.randn(e.shape, { dtype: dt }));
  const loss = (os: Tensor[]) => os.map((o, i) => o.mul(ws[i]).sum()).reduce((a, b) => a.add(b));
  loss(out).backward(); loss(exp).backward();
  xs.forEach((x, i) => close(x.grad!, ys[i].grad!, dt, `grad ${i}`));
}

const lstmPair = (a: Tensor, b: Tensor, c: Tensor) => lstm_cell(a, b, c);
const gruOne = (a: Tensor, b: Tensor, h: Tensor) => [gru_cell(a, b, h)];

describe('fused LSTM and GRU cell kernels match the composed gate math', () => {
  for (const dt of ['float32', 'float64'] as DT[]) {
    // H 8: the f32x4 loop only; H 7: the f32x4 loop and a scalar tail; H 1: the tail only
    for (const [B, H] of [[3, 8], [2, 7], [1, 1]]) {
      it(`lstm_cell ${dt} B=${B} H=${H}`, () => compare(lstmPair, lstmRef, 4, dt, B, H));
      it(`gru_cell ${dt} B=${B} H=${H}`, () => compare(gruOne, (a, b, h) => [gruRef(a, b, h)], 3, dt, B, H));
    }
  }

  it('an empty batch', () => {
    const [h, c] = lstm_cell(torch.zeros([0, 8]), torch.zeros([0, 8]), torch.zeros([0, 2]));
    expect([h.shape, c.shape]).toEqual([[0, 2], [0, 2]]);
    expect(new nn.GRUCell(3, 2).forward(torch.zeros([0, 3])).shape).toEqual([0, 2]);
  });

  it('non-contiguous operands (transposed and offset views)', () => {
    const [B, H] = [3, 5];
    const gi = torch.randn([4 * H, B]).t(), gh = torch.randn([B + 1, 4 * H]).narrow(0, 1, B), c = torch.randn([H, B]).t();
    const [h, c2] = lstm_cell(gi, gh, c), [he, ce] = lstmRef(gi, gh, c);
    close(h, he, 'float32', 'h'); close(c2, ce, 'float32', 'c');
    const gi3 = torch.randn([3 * H, B]).t(), gh3 = torch.randn([3 * H, B]).t(), h0 = torch.randn([H, B]).t();
    close(gru_cell(gi3, gh3, h0), gruRef(gi3, gh3, h0), 'float32', 'gru');
  });

  it('only one output of lstm_cell used: the other gradient reads as zero', () => {
    const xs = inputs(2, 3, 4, 'float64'), ys = xs.map((t) => t.detach().requires_grad_());
    lstm_cell(xs[0], xs[1], xs[2])[0].sum().backward();
    lstmRef(ys[0], ys[1], ys[2])[0].sum().backward();
    xs.forEach((x, i) => close(x.grad!, ys[i].grad!, 'float64', `grad ${i}`));
  });

  it('create_graph: the backward differentiates again (gradgradcheck, float64)', () => {
    const { gradcheck, gradgradcheck } = torch.autograd;
    const l = inputs(2, 3, 4, 'float64'), g = inputs(2, 3, 3, 'float64');
    const lf = (a: Tensor, b: Tensor, c: Tensor) => { const [h, c2] = lstm_cell(a, b, c); return h.add(c2.mul(2)); };
    const gf = (a: Tensor, b: Tensor, h: Tensor) => gru_cell(a, b, h);
    expect(gradcheck(lf, l)).toBe(true);
    expect(gradcheck(gf, g)).toBe(true);
    expect(gradgradcheck(lf, l)).toBe(true);
    expect(gradgradcheck(gf, g)).toBe(true);
  });

  it('one node per step, named for the cell', () => {
    const [a, b, c] = inputs(2, 3, 4, 'float32');
    const [h, c2] = lstm_cell(a, b, c);
    expect(h.grad_fn!.name).toBe('ThnnFusedLstmCellBackward0');
    expect(c2.grad_fn).toBe(h.grad_fn);
    const [x, y, z] = inputs(2, 3, 3, 'float32');
    expect(gru_cell(x, y, z).grad_fn!.name).toBe('ThnnFusedGruCellBackward0');
  });
});

describe('cell kernel argument errors', () => {
  const r = (...s: number[]) => torch.randn(s);
  it('shapes, ranks, dtypes', () => {
    expect(() => lstm_cell(r(2, 12), r(2, 8), r(2, 3))).toThrow('lstm_cell: expected gh of size [2, 12] (4 gates for c of size [2, 3]), got [2, 8]');
    expect(() => lstm_cell(r(3, 12), r(3, 12), r(2, 3))).toThrow('lstm_cell: expected gi of size [2, 12] (4 gates for c of size [2, 3]), got [3, 12]');
    expect(() => gru_cell(r(2, 12), r(2, 9), r(2, 3))).toThrow('gru_cell: expected gi of size [2, 9] (3 gates for h of size [2, 3]), got [2, 12]');
    expect(() => gru_cell(r(2, 9), r(2, 9), r(3))).toThrow('gru_cell: expected h to be 2-D, got 1-D tensor of size [3]');
    expect(() => lstm_cell(r(2, 12), r(2, 12), r(2, 3).double())).toThrow('lstm_cell: expected gi, gh and c of one dtype, got float32, float32 and float64');
    expect(() => gru_cell(r(2, 9), r(2, 9), torch.zeros([2, 3], { dtype: 'int32' }))).toThrow('gru_cell: expected floating point tensors, got h of dtype int32');
    expect(() => lstm_cell(r(2, 12), 3 as unknown as Tensor, r(2, 3))).toThrow("lstm_cell(): argument 'gh' must be Tensor, not number");
  });
});

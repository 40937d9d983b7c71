// lstm_layer (ts/nn/functional/rnn.ts): one LSTM layer's recurrence as one graph node, whose
// backward makes weight_hh's gradient with one GEMM over all steps. Against the same recurrence
// composed from tensor ops step by step (what nn.LSTM computed before, and PyTorch's CPU LSTM
// without oneDNN): outputs, final states and all five gradients, both directions, with and
// without bias; gradcheck and gradgradcheck (the create_graph backward); nn.LSTM uses it when every
// step has the whole batch. nn.LSTM against PyTorch itself: test/nn_rnn.test.ts.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { lstm_layer } from '../ts/nn/functional/rnn.js';

type DT = 'float32' | 'float64';

/** The step-by-step reference, from tensor ops. */
function reference(gi: Tensor, whhT: Tensor, bhh: Tensor | null, h0: Tensor, c0: Tensor, reverse: boolean): Tensor[] {
  const B = h0.shape[0], T = gi.shape[0] / B;
  const hs: Tensor[] = new Array(T);
  let h = h0, c = c0;
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    let pre = gi.narrow(0, t * B, B).add(h.matmul(whhT));
    if (bhh) pre = pre.add(bhh);
    const [i, f, g, o] = pre.chunk(4, 1);
    c = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
    h = hs[t] = o.sigmoid().mul(c.tanh());
  }
  return [torch.cat(hs, 0), h, c];
}

function inputs(T: number, B: number, H: number, dt: DT, bias: boolean): (Tensor | null)[] {
  const r = (...s: number[]) => torch.randn(s, { dtype: dt }).requires_grad_();
  // whhT as nn.LSTM passes it: a transposed view of weight_hh [4H, H]
  const whh = torch.randn([4 * H, H], { dtype: dt }).mul(0.7).requires_grad_();
  return [r(T * B, 4 * H).mul(2).detach().requires_grad_(), whh, bias ? r(4 * H) : null, r(B, H), r(B, H)];
}

const maxDiff = (a: Tensor, b: Tensor): number => a.sub(b).abs().max().itemSync() as number;

describe('lstm_layer', () => {
  for (const dt of ['float64', 'float32'] as const) {
    for (const reverse of [false, true]) {
      for (const bias of [true, false]) {
        it(`${dt}, ${reverse ? 'reverse' : 'forward'}, ${bias ? 'bias' : 'no bias'}: outputs and gradients as the step-by-step recurrence`, () => {
          const [gi, whh, bhh, h0, c0] = inputs(5, 3, 4, dt, bias);
          const run = (f: typeof reference) => {
            for (const t of [gi, whh, bhh, h0, c0]) if (t) t.grad = null;
            const outs = f(gi!, whh!.t(), bhh, h0!, c0!, reverse);
            // weights on every output, final states included
            outs.map((o, i) => o.mul(torch.linspace(-1, 1 + i, o.numel(), { dtype: dt }).reshape(o.shape)).sum()).reduce((a, v) => a.add(v)).backward();
            return [...outs.map((o) => o.detach()), ...[gi, whh, bhh, h0, c0].filter((t) => t).map((t) => t!.grad!)];
          };
          const got = run(lstm_layer), want = run(reference);
          const tol = dt === 'float64' ? 1e-12 : 2e-5;
          got.forEach((g, i) => { expect(g.shape).toEqual(want[i].shape); expect(maxDiff(g, want[i]), `tensor ${i}`).toBeLessThan(tol); });
        });
      }
    }
  }

  it('gradcheck and gradgradcheck (float64), both directions', () => {
    const { gradcheck, gradgradcheck } = torch.autograd;
    for (const reverse of [false, true]) {
      const [gi, whh, bhh, h0, c0] = inputs(3, 2, 2, 'float64', true) as Tensor[];
      const f = (a: Tensor, w: Tensor, b: Tensor, h: Tensor, c: Tensor) => {
        const [o, hT, cT] = lstm_layer(a, w.t(), b, h, c, reverse);
        return o.sum(0).add(hT.mul(2).sum(0)).add(cT.mul(3).sum(0));
      };
      expect(gradcheck(f, [gi, whh, bhh, h0, c0])).toBe(true);
      expect(gradgradcheck(f, [gi, whh, bhh, h0, c0])).toBe(true);
      // the create_graph backward (recomputed with tensor ops) gives the kernel backward's values
      const xs = [gi, whh, bhh, h0, c0];
      const plain = torch.autograd.grad([f(gi, whh, bhh, h0, c0).sum()], xs);
      const graphed = torch.autograd.grad([f(gi, whh, bhh, h0, c0).sum()], xs, { create_graph: true });
      plain.forEach((g, i) => expect(maxDiff(g!, graphed[i]!.detach()), `input ${i}`).toBeLessThan(1e-12));
    }
  });

  it('nn.LSTM runs on it for whole-batch steps, and not for packed steps of falling size', () => {
    const lstm = new torch.nn.LSTM(3, 4, 1, { bidirectional: true });
    const names = (t: Tensor): string[] => {
      const seen: string[] = [], stack = [t.grad_fn];
      while (stack.length) {
        const n = stack.pop();
        if (!n || seen.length > 400) continue;
        seen.push(n.name);
        for (const e of n.next_functions) stack.push(e[0]);
      }
      return seen;
    };
    const [out] = lstm.forward(torch.randn([6, 2, 3]));
    const n1 = names(out as Tensor);
    expect(n1.filter((n) => n === 'MkldnnRnnLayerBackward0').length).toBe(2);
    expect(n1).not.toContain('ThnnFusedLstmCellBackward0');
    const packed = torch.nn.utils.rnn.pack_padded_sequence(torch.randn([6, 2, 3]), [6, 4]);
    const [pout] = lstm.forward(packed);
    expect(names((pout as { data: Tensor }).data)).toContain('ThnnFusedLstmCellBackward0');
  });
});

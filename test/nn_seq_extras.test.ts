// What sequence models need beside the recurrent layers (issue 16), against PyTorch 1.13
// (test/fixtures/nn_seq_extras.json, recorded by test/fixtures/gen_seq_extras_fixtures.py):
// nn.Embedding's padding_idx (its gradient row stays zero), Embedding.from_pretrained (freeze,
// padding_idx), truncated BPTT with the carried LSTM state cut by detach_(), and
// nn.init.orthogonal_ (orthonormal rows or columns times gain, for recurrent weights).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn } = torch;
interface TJ { dtype: string; shape: number[]; data: number[] }
const here = dirname(fileURLToPath(import.meta.url));
const FX = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_seq_extras.json'), 'utf8'));
const toT = (j: TJ): Tensor => torch.tensor(j.data, { dtype: j.dtype as 'float32' }).reshape(j.shape);
function close(a: Tensor | null, e: TJ, what: string): void {
  expect(a, what).toBeTruthy();
  expect(a!.shape, what).toEqual(e.shape);
  expect(a!.dtype, what).toBe(e.dtype);
  const tol = e.dtype === 'float64' ? 1e-10 : 1e-5;
  Array.from(a!.dataSync() as ArrayLike<number>).forEach((v, i) => {
    if (Math.abs(v - e.data[i]) > tol * (1 + Math.abs(e.data[i]))) throw new Error(`${what}[${i}]: got ${v}, PyTorch ${e.data[i]}`);
  });
}

describe('nn.Embedding padding_idx (PyTorch fixtures)', () => {
  for (const c of FX.embedding) {
    it(c.id, () => {
      const e = new nn.Embedding(6, 3, { padding_idx: c.padding_idx, dtype: c.weight.dtype });
      expect(e.padding_idx).toBe(c.stored_padding_idx);
      expect(Array.from(e.weight.select(0, c.stored_padding_idx).dataSync())).toEqual([0, 0, 0]);
      expect(e.toString()).toBe(c.repr);
      e.load_state_dict({ weight: toT(c.weight) });
      const idx = torch.tensor(c.input, { dtype: 'int32' }).reshape(c.input_shape);
      const y = e.forward(idx);
      close(y, c.out, 'out');
      y.mul(toT(c.go)).sum().backward();
      close(e.weight.grad, c.grad_weight, 'grad weight');
      expect(Array.from(e.weight.grad!.select(0, c.stored_padding_idx).dataSync()).every((v) => v === 0)).toBe(true);
    });
  }
});

describe('nn.Embedding.from_pretrained (PyTorch fixtures)', () => {
  for (const c of FX.pretrained.cases) {
    it(c.id, () => {
      const W = toT(FX.pretrained.W);
      const e = nn.Embedding.from_pretrained(W, c.kwargs);
      expect(e.weight.requires_grad).toBe(c.requires_grad);
      expect(e.toString()).toBe(c.repr);
      // the pretrained padding row is kept (PyTorch zeroes it only when it initializes the weight)
      close(e.weight, c.weight, 'weight');
      const y = e.forward(torch.tensor([0, 3, 0, 2], { dtype: 'int32' }));
      close(y, c.out, 'out');
      expect(y.requires_grad).toBe(c.requires_grad);
      if (c.grad_weight) {
        y.mul(toT(c.go)).sum().backward();
        close(e.weight.grad, c.grad_weight, 'grad weight');
      }
    });
  }
});

describe('truncated BPTT: the carried LSTM state cut with detach_()', () => {
  it('3 chunks, 2-layer LSTM, float64: losses and accumulated gradients follow PyTorch', () => {
    const T = FX.tbptt;
    const lstm = new nn.LSTM(2, 3, { num_layers: 2, dtype: 'float64' });
    lstm.load_state_dict(Object.fromEntries(Object.entries(T.state_dict as Record<string, TJ>).map(([k, v]) => [k, toT(v)])));
    const xs = toT(T.xs);
    let hidden: [Tensor, Tensor] | null = null;
    for (let k = 0; k < 3; k++) {
      const [o, h] = lstm.forward(xs.select(0, k), hidden) as [Tensor, [Tensor, Tensor]];
      const loss = o.pow(2).mean();
      loss.backward(); // with the graph of the previous chunk still attached this would backward through it
      for (const t of h) {
        expect(t.requires_grad).toBe(true);
        t.detach_();
        expect(t.requires_grad).toBe(false);
        expect(t.grad_fn).toBe(null);
      }
      hidden = h;
      expect(Math.abs((loss.itemSync() as number) - T.losses[k])).toBeLessThan(1e-12);
      for (const [n, p] of lstm.named_parameters()) close(p.grad, T.grads[k][n], `chunk ${k} grad ${n}`);
    }
    close(hidden![0], T.final_h[0], 'final h');
    close(hidden![1], T.final_h[1], 'final c');
  });

  it('without detach_ the second chunk reaches back into the first chunk\'s freed graph', () => {
    const lstm = new nn.LSTM(2, 3);
    const x = torch.randn([2, 4, 1, 2]);
    const [o1, h1] = lstm.forward(x.select(0, 0)) as [Tensor, [Tensor, Tensor]];
    o1.sum().backward();
    const [o2] = lstm.forward(x.select(0, 1), h1) as [Tensor, [Tensor, Tensor]];
    expect(() => o2.sum().backward()).toThrow(/backward through the graph a second time/);
  });
});

describe('nn.init.orthogonal_ for recurrent weights', () => {
  const gram = (w: Tensor): Tensor => {
    const f = w.reshape([w.shape[0], -1]);
    return f.shape[0] >= f.shape[1] ? f.t().matmul(f) : f.matmul(f.t());
  };
  it('an LSTM weight_hh (4H x H): orthonormal columns times gain, in float64', () => {
    const lstm = new nn.LSTM(3, 5, { dtype: 'float64' });
    const w = lstm.weight_hh_l0 as Tensor;
    torch.nn.init.orthogonal_(w, nn.init.calculate_gain('tanh'));
    const g = 5 / 3;
    expect(gram(w).sub(torch.eye(5, { dtype: 'float64' }).mul(g * g)).abs().max().itemSync()).toBeLessThan(1e-12);
    expect(w.requires_grad).toBe(true);
    expect(w.grad_fn).toBe(null);
  });
  it('a 3-D tensor is flattened after its first dim, as PyTorch does; a seed repeats it', () => {
    torch.manual_seed(1);
    const a = torch.nn.init.orthogonal_(torch.empty(2, 3, 4));
    expect(gram(a).sub(torch.eye(2)).abs().max().itemSync()).toBeLessThan(1e-5);
    torch.manual_seed(1);
    const b = torch.nn.init.orthogonal_(torch.empty(2, 3, 4));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => torch.nn.init.orthogonal_(torch.empty(3))).toThrow('Only tensors with 2 or more dimensions are supported');
  });
});

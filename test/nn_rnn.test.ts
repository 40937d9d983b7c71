// nn.RNN / LSTM / GRU and the cells against PyTorch 1.13 (test/fixtures/nn_rnn.json, recorded by
// test/fixtures/gen_rnn_fixtures.py): outputs, final states and the gradients of input, h0/c0
// and every parameter, float32 and float64; float64 gradchecks; PyTorch's input errors;
// state_dict keys and init; 300 SGD steps of an LSTM that follow PyTorch's losses.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { toT, stateDict, expectClose, expectLayout, type TJ } from './helpers/json_tensor.js';

const { nn } = torch;
interface Case {
  id: string; cls: string; args: number[]; kwargs: Record<string, unknown>; cell: boolean;
  state_dict: Record<string, TJ>; param_order: string[]; input: TJ; hx: TJ[] | null; outs: TJ[]; gos: TJ[];
  grad_input: TJ; grad_hx: TJ[] | null; grad_params: Record<string, TJ>; repr: string;
}
const here = dirname(fileURLToPath(import.meta.url));
const FX = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_rnn.json'), 'utf8')) as { cases: Case[]; train: Record<string, unknown> };

const sd = stateDict;
// the RNN fixtures' tolerances (tighter relative, in float64)
const close = (a: Tensor | null | undefined, e: TJ, what: string): void =>
  expectClose(a, e, what, e.dtype === 'float64' ? { atol: 1e-10, rtol: 1e-9 } : { atol: 2e-5, rtol: 1e-4 });
const make = (c: Case): torch.nn.Module => {
  const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[c.cls];
  return new Cls(...c.args, { ...c.kwargs, dtype: c.input.dtype });
};

describe('nn.RNN / LSTM / GRU and cells match PyTorch (fixtures)', () => {
  for (const c of FX.cases) {
    it(c.id, () => {
      const m = make(c);
      expectLayout(m, c);
      m.load_state_dict(sd(c.state_dict));
      const x = toT(c.input, true);
      const hx = c.hx ? c.hx.map((h) => toT(h, true)) : null;
      const lstm = c.cls.startsWith('LSTM');
      const arg = hx ? (lstm ? [hx[0], hx[1]] : hx[0]) : null;
      const res = m.forward(x, arg) as unknown;
      let outs: Tensor[];
      if (c.cell) outs = lstm ? (res as Tensor[]) : [res as Tensor];
      else {
        const [o, hn] = res as [Tensor, Tensor | Tensor[]];
        outs = [o, ...(lstm ? (hn as Tensor[]) : [hn as Tensor])];
      }
      expect(outs.length).toBe(c.outs.length);
      outs.forEach((o, i) => close(o, c.outs[i], `out${i}`));
      let loss = outs[0].mul(toT(c.gos[0])).sum();
      for (let i = 1; i < outs.length; i++) loss = loss.add(outs[i].mul(toT(c.gos[i])).sum());
      loss.backward();
      close(x.grad, c.grad_input, 'grad input');
      if (hx) hx.forEach((h, i) => close(h.grad, c.grad_hx![i], `grad hx${i}`));
      const params = Object.fromEntries(m.named_parameters());
      for (const [k, g] of Object.entries(c.grad_params)) close(params[k].grad, g, `grad ${k}`);
    });
  }
});

describe('RNN init and state_dict', () => {
  it('every parameter is uniform(-1/sqrt(hidden), 1/sqrt(hidden)) and names follow PyTorch', () => {
    const m = new nn.LSTM(3, 16, { num_layers: 2, bidirectional: true, proj_size: 4 });
    const names = m.named_parameters().map(([n]) => n);
    expect(names.slice(0, 5)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_hr_l0']);
    expect(names).toContain('weight_hr_l1_reverse');
    expect(m.state_dict()['weight_ih_l1'].shape).toEqual([64, 8]);
    expect(m.state_dict()['weight_hh_l0'].shape).toEqual([64, 4]);
    expect(m.state_dict()['weight_hr_l0'].shape).toEqual([4, 16]);
    for (const [, p] of m.named_parameters()) {
      const v = Array.from(p.dataSync() as ArrayLike<number>);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.25);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0.1);
    }
    expect(m.all_weights.length).toBe(4);
  });
  it('a state_dict round-trips between two models', () => {
    const a = new nn.GRU(3, 4, { num_layers: 2 });
    const b = new nn.GRU(3, 4, { num_layers: 2 });
    b.load_state_dict(a.state_dict());
    const x = torch.randn([5, 2, 3]);
    expect(b.forward(x)[0].tolistSync()).toEqual(a.forward(x)[0].tolistSync());
  });
  it('dropout between layers only in training; eval is deterministic', () => {
    const m = new nn.LSTM(3, 4, { num_layers: 2, dropout: 0.5 });
    const x = torch.randn([5, 2, 3]);
    m.eval();
    expect(m.forward(x)[0].tolistSync()).toEqual(m.forward(x)[0].tolistSync());
    m.train();
    expect(m.forward(x)[0].tolistSync()).not.toEqual(m.forward(x)[0].tolistSync());
  });
});

describe('gradcheck (float64)', () => {
  const { gradcheck } = torch.autograd;
  const r = (...s: number[]) => torch.randn(s, { dtype: 'float64' }).requires_grad_();
  const params = (m: torch.nn.Module) => m.parameters();
  for (const [name, mk] of [
    ['RNN relu bidirectional 2 layers', () => new nn.RNN(2, 3, { num_layers: 2, bidirectional: true, nonlinearity: 'relu', dtype: 'float64' })],
    ['LSTM proj bidirectional', () => new nn.LSTM(2, 3, { proj_size: 2, bidirectional: true, dtype: 'float64' })],
    ['GRU 2 layers batch_first', () => new nn.GRU(2, 3, { num_layers: 2, batch_first: true, dtype: 'float64' })],
  ] as [string, () => torch.nn.Module][]) {
    it(name, () => {
      const m = mk();
      const lstm = m instanceof nn.LSTM;
      const ps = params(m);
      const names = m.named_parameters().map(([n]) => n);
      const D = (m as unknown as { bidirectional: boolean }).bidirectional ? 2 : 1;
      const L = (m as unknown as { num_layers: number }).num_layers;
      const Hp = (m as unknown as { proj_size: number }).proj_size || 3;
      const h0 = r(L * D, 2, Hp);
      const extra = lstm ? [r(L * D, 2, 3)] : [];
      const fn = (...ins: Tensor[]) => {
        const [x, h, ...rest] = ins;
        const c = lstm ? rest[0] : null;
        const ws = rest.slice(lstm ? 1 : 0);
        // swap the parameters in: the module reads them by name
        names.forEach((n, i) => { (m as unknown as { _parameters: Map<string, Tensor> })._parameters.set(n, ws[i]); });
        const [out, hn] = m.forward(x, lstm ? [h, c] : h) as [Tensor, Tensor | Tensor[]];
        const hs = Array.isArray(hn) ? hn : [hn];
        let y = out.sum();
        for (const t of hs) y = y.add(t.mul(t).sum());
        return y.add(out.mul(out).sum());
      };
      const p64 = ps.map((p) => p.detach().clone().requires_grad_());
      const bf = (m as unknown as { batch_first: boolean }).batch_first;
      expect(gradcheck(fn, [bf ? r(2, 3, 2) : r(3, 2, 2), h0, ...extra, ...p64])).toBe(true);
    });
  }
  it('cells', () => {
    for (const C of [nn.RNNCell, nn.LSTMCell, nn.GRUCell]) {
      const m = new C(2, 3, { dtype: 'float64' });
      const lstm = m instanceof nn.LSTMCell;
      expect(gradcheck((x: Tensor, h: Tensor, c: Tensor) => {
        const o = m.forward(x, (lstm ? [h, c] : h) as never) as Tensor | Tensor[];
        return Array.isArray(o) ? o[0].add(o[1]) : o;
      }, [r(2, 2), r(2, 3), r(2, 3)])).toBe(true);
    }
  });
});

describe('PyTorch input errors', () => {
  it('RNN modules', () => {
    const l = new nn.LSTM(10, 20, { num_layers: 2 });
    expect(() => l.forward(torch.randn([5, 3, 5]))).toThrow('input.size(-1) must be equal to input_size. Expected 10, got 5');
    expect(() => l.forward(torch.randn([5, 3, 10]), [torch.randn([1, 3, 20]), torch.randn([2, 3, 20])])).toThrow('Expected hidden[0] size (2, 3, 20), got [1, 3, 20]');
    expect(() => l.forward(torch.randn([5, 3, 10]), [torch.randn([2, 3, 20]), torch.randn([1, 3, 20])])).toThrow('Expected hidden[1] size (2, 3, 20), got [1, 3, 20]');
    expect(() => l.forward(torch.randn([5, 3, 10, 1]))).toThrow('input must have 3 dimensions, got 5');
    expect(() => l.forward(torch.randn([5, 10]), [torch.randn([2, 3, 20]), torch.randn([2, 3, 20])])).toThrow('For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D) tensors');
    expect(() => l.forward(torch.randn([5, 3, 10]), [torch.randn([2, 20]), torch.randn([2, 20])])).toThrow('For batched 3-D input, hx and cx should also be 3-D but got (2-D, 2-D) tensors');
    const g = new nn.GRU(10, 20, { num_layers: 2 });
    expect(() => g.forward(torch.randn([5, 3, 10]), torch.randn([1, 3, 20]))).toThrow('Expected hidden size (2, 3, 20), got [1, 3, 20]');
    expect(() => g.forward(torch.randn([5, 10]), torch.randn([2, 3, 20]))).toThrow('For unbatched 2-D input, hx should also be 2-D but got 3-D tensor');
    expect(() => g.forward(torch.randn([5, 3, 10]), torch.randn([2, 20]))).toThrow('For batched 3-D input, hx should also be 3-D but got 2-D tensor');
    expect(() => g.forward(torch.randn([5]))).toThrow('input must have 3 dimensions, got 2');
  });
  it('constructors', () => {
    expect(() => new nn.RNN(10, 20, { nonlinearity: 'foo' })).toThrow("Unknown nonlinearity 'foo'");
    expect(() => new nn.GRU(10, 20, { proj_size: 3 })).toThrow('proj_size argument is only supported for LSTM, not RNN or GRU');
    expect(() => new nn.LSTM(10, 20, { proj_size: 20 })).toThrow('proj_size has to be smaller than hidden_size');
    expect(() => new nn.LSTM(10, 20, { proj_size: -1 })).toThrow('proj_size should be a positive integer or zero to disable projections');
    expect(() => new nn.LSTM(10, 20, { dropout: 2 })).toThrow('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
  });
  it('cells', () => {
    const c = new nn.LSTMCell(10, 20);
    expect(() => c.forward(torch.randn([3, 4, 10]))).toThrow('LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor');
    expect(() => c.forward(torch.randn([3, 5]))).toThrow('input has inconsistent input_size: got 5 expected 10');
    expect(() => c.forward(torch.randn([3, 10]), [torch.randn([2, 20]), torch.randn([3, 20])])).toThrow("Input batch size 3 doesn't match hidden0 batch size 2");
    expect(() => c.forward(torch.randn([10]), [torch.randn([2, 20]), torch.randn([3, 20])])).toThrow('hidden0 has inconsistent hidden_size: got 2, expected 20');
    expect(() => new nn.GRUCell(10, 20).forward(torch.randn([3, 10]), torch.randn([2, 20]))).toThrow("Input batch size 3 doesn't match hidden0 batch size 2");
  });
});

describe('training follows PyTorch', () => {
  it('LSTM(3, 5, 2 layers, batch_first) + Linear, SGD momentum, 300 steps, float64: relative loss difference < 1e-6 at every step (the issue asks 1e-3)', () => {
    const T = FX.train as { lstm: Record<string, TJ>; head: Record<string, TJ>; x: TJ; y: TJ; lr: number; momentum: number; losses: number[] };
    const lstm = new nn.LSTM(3, 5, { num_layers: 2, batch_first: true, dtype: 'float64' });
    const head = new nn.Linear(5, 1, { dtype: 'float64' });
    lstm.load_state_dict(sd(T.lstm)); head.load_state_dict(sd(T.head));
    const X = toT(T.x), Y = toT(T.y);
    const opt = new torch.optim.SGD([...lstm.parameters(), ...head.parameters()], { lr: T.lr, momentum: T.momentum });
    expect(T.losses.length).toBe(300);
    let worst = 0;
    for (let step = 0; step < T.losses.length; step++) {
      opt.zero_grad();
      const [out] = lstm.forward(X);
      const last = out.select(1, out.shape[1] - 1);
      const loss = nn.functional.mse_loss(head.forward(last), Y);
      loss.backward();
      opt.step();
      const l = loss.itemSync() as number;
      const rel = Math.abs(l - T.losses[step]) / Math.abs(T.losses[step]);
      worst = Math.max(worst, rel);
      expect(rel, `step ${step}: loss ${l}, PyTorch ${T.losses[step]}`).toBeLessThan(1e-6);
    }
    // the loss falls from 1.75 to ~1e-12 and the trajectories stay together all the way
    expect(T.losses[299]).toBeLessThan(1e-9);
    console.log(`LSTM 300 steps: worst relative loss difference ${worst.toExponential(2)}`);
  });
});

describe('constructor arguments, positional or by name (PyTorch signatures)', () => {
  it('RNN, LSTM, GRU and the cells take every argument either way', () => {
    const a = new nn.LSTM(3, 4, 2, false, true, 0, true, 2);
    const b = new nn.LSTM({ input_size: 3, hidden_size: 4, num_layers: 2, bias: false, batch_first: true, bidirectional: true, proj_size: 2 });
    const c = new nn.LSTM(3, 4, { num_layers: 2, bias: false, batch_first: true, bidirectional: true, proj_size: 2 });
    for (const m of [a, b, c]) {
      expect([m.input_size, m.hidden_size, m.num_layers, m.bias, m.batch_first, m.bidirectional, m.proj_size]).toEqual([3, 4, 2, false, true, true, 2]);
      expect(Object.keys(m.state_dict())).toEqual(Object.keys(a.state_dict()));
    }
    const r = new nn.RNN(3, 4, 1, 'relu');
    expect(r.nonlinearity).toBe('relu');
    expect(new nn.RNN({ input_size: 3, hidden_size: 4, nonlinearity: 'relu' }).nonlinearity).toBe('relu');
    expect(new nn.GRU(3, 4, 3).num_layers).toBe(3);
    expect(new nn.RNNCell(3, 4, false, 'relu').nonlinearity).toBe('relu');
    expect(new nn.RNNCell(3, 4, false).bias_ih).toBeNull();
    expect(new nn.GRUCell({ input_size: 3, hidden_size: 4, bias: false }).bias_hh).toBeNull();
    expect(new nn.LSTMCell(3, 4).weight_ih.shape).toEqual([16, 3]);
    expect(() => new nn.LSTM({ input_size: 3, hidden_size: 4, num_layer: 2 } as never)).toThrow(/LSTM\(\) got an unexpected keyword argument 'num_layer'/);
  });
});

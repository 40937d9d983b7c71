// nn.utils.rnn (pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence, the RNNs
// over a PackedSequence) and nn.utils.clip_grad_norm_ / clip_grad_value_ against PyTorch 1.13
// (test/fixtures/nn_rnn.json, recorded by test/fixtures/gen_rnn_fixtures.py).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn } = torch;
const R = nn.utils.rnn;
interface TJ { dtype: string; shape: number[]; data: number[] }
const here = dirname(fileURLToPath(import.meta.url));
const FX = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_rnn.json'), 'utf8'));
const toT = (j: TJ, rg = false): Tensor => {
  const t = torch.tensor(j.data, { dtype: j.dtype as 'float64' }).reshape(j.shape);
  return rg ? t.requires_grad_() : t;
};
const ints = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
function close(a: Tensor | null | undefined, e: TJ, what: string, tol = { atol: 1e-10, rtol: 1e-9 }): void {
  expect(a, what).toBeTruthy();
  expect(a!.shape, what).toEqual(e.shape);
  const got = Array.from(a!.dataSync() as ArrayLike<number>);
  for (let i = 0; i < got.length; i++) {
    if (Math.abs(got[i] - e.data[i]) > tol.atol + tol.rtol * Math.abs(e.data[i])) throw new Error(`${what}[${i}]: got ${got[i]}, expected ${e.data[i]}`);
  }
}

describe('RNNs over PackedSequence (float64, PyTorch fixtures)', () => {
  for (const c of FX.packed) {
    it(c.id, () => {
      const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[c.cls];
      const m = new Cls(...c.args, { ...c.kwargs, dtype: 'float64' });
      m.load_state_dict(Object.fromEntries(Object.entries(c.state_dict as Record<string, TJ>).map(([k, v]) => [k, toT(v)])));
      const x = toT(c.input, true);
      const hx = c.hx ? (c.hx as TJ[]).map((h) => toT(h, true)) : null;
      const lstm = c.cls === 'LSTM';
      const pk = R.pack_padded_sequence(x, c.lengths, { batch_first: c.batch_first, enforce_sorted: c.enforce_sorted });
      close(pk.data, c.packed_data, 'packed data');
      expect(ints(pk.batch_sizes)).toEqual(c.batch_sizes);
      if (c.sorted_indices) expect(ints(pk.sorted_indices!)).toEqual(c.sorted_indices);
      else expect(pk.sorted_indices).toBeNull();
      const [out, hn] = m.forward(pk, hx ? (lstm ? [hx[0], hx[1]] : hx[0]) : null) as [torch.nn.utils.rnn.PackedSequence, Tensor | Tensor[]];
      expect(out).toBeInstanceOf(R.PackedSequence);
      const [padded, lens] = R.pad_packed_sequence(out, { batch_first: c.batch_first, padding_value: -1, total_length: Math.max(...c.lengths) + 1 });
      expect(ints(lens)).toEqual(c.out_lengths);
      const outs = [padded, ...(Array.isArray(hn) ? hn : [hn])];
      outs.forEach((o, i) => close(o, c.outs[i], `out${i}`));
      let loss = outs[0].mul(toT(c.gos[0])).sum();
      for (let i = 1; i < outs.length; i++) loss = loss.add(outs[i].mul(toT(c.gos[i])).sum());
      loss.backward();
      close(x.grad, c.grad_input, 'grad input');
      if (hx) hx.forEach((h, i) => close(h.grad, c.grad_hx[i], `grad hx${i}`));
      const ps = Object.fromEntries(m.named_parameters());
      for (const [k, g] of Object.entries(c.grad_params as Record<string, TJ>)) close(ps[k].grad, g, `grad ${k}`);
    });
  }
  it('pad_sequence and pack_sequence', () => {
    const seqs = (FX.pad.seqs as TJ[]).map((s) => toT(s));
    close(R.pad_sequence(seqs), FX.pad.pad, 'pad');
    close(R.pad_sequence(seqs, { batch_first: true, padding_value: 7 }), FX.pad.pad_bf_7, 'pad bf');
    const pk = R.pack_sequence(seqs, { enforce_sorted: false });
    close(pk.data, FX.pad.pack_unsorted_data, 'pack data');
    expect(ints(pk.batch_sizes)).toEqual(FX.pad.pack_unsorted_sizes);
    const back = R.unpad_sequence(R.pad_sequence(seqs, true), [3, 5, 1], true);
    back.forEach((b, i) => expect(b.tolistSync()).toEqual(seqs[i].tolistSync()));
  });
  it('PyTorch errors', () => {
    const x = torch.randn([4, 3, 2]);
    expect(() => R.pack_padded_sequence(x, [2, 4, 1])).toThrow('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True.');
    expect(() => R.pack_padded_sequence(x, [4, 2, 0])).toThrow("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
    const pk = R.pack_padded_sequence(x, [4, 2, 1]);
    expect(() => R.pad_packed_sequence(pk, { total_length: 2 })).toThrow('Expected total_length to be at least the length of the longest sequence in input, but got total_length=2 and max sequence length being 4');
    expect(() => new nn.GRU(3, 4).forward(pk)).toThrow('input.size(-1) must be equal to input_size. Expected 3, got 2');
  });
});

describe('clip_grad_norm_ / clip_grad_value_ (PyTorch fixtures)', () => {
  it('clip_grad_norm_ for norm types 2, 1, inf, 3', () => {
    for (const c of FX.clip) {
      const ps = (c.grads as TJ[]).map((g) => { const p = torch.zeros(g.shape, { dtype: 'float64' }).requires_grad_(); p.grad = toT(g); return p; });
      const total = nn.utils.clip_grad_norm_(ps, c.max_norm, { norm_type: c.norm_type });
      expect(Math.abs(Number(total.itemSync()) - c.total)).toBeLessThan(1e-12 * Math.max(1, c.total));
      ps.forEach((p, i) => close(p.grad, c.clipped[i], `clipped ${c.norm_type}/${c.max_norm}`));
    }
  });
  it('clip_grad_value_, empty parameters, error_if_nonfinite', () => {
    const p = torch.zeros([6], { dtype: 'float64' }).requires_grad_();
    p.grad = toT(FX.clip_value.grad);
    nn.utils.clip_grad_value_([p], FX.clip_value.clip);
    close(p.grad, FX.clip_value.clipped, 'clip value');
    expect(Number(nn.utils.clip_grad_norm_([], 1).itemSync())).toBe(0);
    const q = torch.zeros([2]).requires_grad_();
    q.grad = torch.tensor([Infinity, 1]);
    expect(() => nn.utils.clip_grad_norm_(q, 1, { error_if_nonfinite: true })).toThrow('The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped.');
  });
});

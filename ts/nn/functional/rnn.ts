// The fused LSTM and GRU cell steps (RnnKernels), PyTorch's _thnn_fused_lstm_cell and
// _thnn_fused_gru_cell (its CUDA path; the node names are theirs): one kernel pass and one autograd
// node per timestep for the gate math, the GEMMs that make the gate pre-activations staying with
// matmul/addmm. nn.LSTM, nn.GRU, nn.LSTMCell and nn.GRUCell (ts/nn/modules/rnn.ts) run on them.
// Under create_graph the backward is written with differentiable tensor ops (recomputing the gates
// from the saved inputs), so it differentiates again; otherwise it is one kernel call.
// lstm_layer runs the same steps for a whole LSTM layer as one node.
import { Tensor } from '../../tensor.js';
import { isFloating } from '../../dtype.js';
import { backendFor } from '../../backend/dispatch.js';
import { applyFunction } from '../../autograd/function.js';
import { is_grad_enabled } from '../../autograd/grad_mode.js';
import { cat } from '../../ops/indexing.js';
import { addmm, matmul } from '../../ops/linalg.js';
import { sizeStr } from './args.js';

/** Checks gi, gh [B, k*H] against the state s [B, H]: same dtype, floating, matching shapes. */
function check(op: string, k: number, gi: Tensor, gh: Tensor, s: Tensor, sName: string): void {
  for (const [n, t] of [['gi', gi], ['gh', gh], [sName, s]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}(): argument '${n}' must be Tensor, not ${typeof t}`);
    if (t.dim() !== 2) throw new RangeError(`${op}: expected ${n} to be 2-D, got ${t.dim()}-D tensor of size ${sizeStr(t.shape)}`);
    if (!isFloating(t.dtype)) throw new TypeError(`${op}: expected floating point tensors, got ${n} of dtype ${t.dtype}`);
  }
  if (gi.dtype !== s.dtype || gh.dtype !== s.dtype) {
    throw new TypeError(`${op}: expected gi, gh and ${sName} of one dtype, got ${gi.dtype}, ${gh.dtype} and ${s.dtype}`);
  }
  const [B, H] = s.shape;
  const want = [B, k * H];
  for (const [n, t] of [['gi', gi], ['gh', gh]] as const) {
    if (t.shape[0] !== B || t.shape[1] !== k * H) {
      throw new RangeError(`${op}: expected ${n} of size ${sizeStr(want)} (${k} gates for ${sName} of size ${sizeStr(s.shape)}), got ${sizeStr(t.shape)}`);
    }
  }
}

/**
 * One LSTM step's gate math: gates = gi + gh [B, 4H] (i, f, g, o), c [B, H] -> [h, c2] with
 * c2 = sigmoid(f) * c + sigmoid(i) * tanh(g) and h = sigmoid(o) * tanh(c2).
 */
export function lstm_cell(gi: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  check('lstm_cell', 4, gi, gh, c, 'c');
  const be = backendFor('lstm_cell', [gi, gh, c]);
  const shape = [...c.shape];
  return applyFunction('ThnnFusedLstmCellBackward0', (ctx, a: Tensor, b: Tensor, cp: Tensor) => {
    const [h, c2, ws] = be.lstmCell(a, b, cp);
    ctx.save_for_backward(a, b, cp, new Tensor(ws, [shape[0], 5 * shape[1]]));
    return [new Tensor(h, shape), new Tensor(c2, shape)];
  }, (ctx, dh: Tensor, dc: Tensor) => {
    const [a, b, cp, ws] = ctx.saved_tensors;
    if (is_grad_enabled()) {
      const [dgates, dcp] = lstmCellGrad(a, b, cp, dh, dc);
      return [dgates, dgates, dcp];
    }
    const [dg, dcp] = be.lstmCellBackward(dh, dc, ws, cp);
    const dgates = new Tensor(dg, [shape[0], 4 * shape[1]]);
    return [dgates, dgates, new Tensor(dcp, shape)];
  }, [gi, gh, c]);
}

/** lstm_cell's gradients (d gates, d c) from dh and dc, with differentiable ops that recompute the gates. */
function lstmCellGrad(a: Tensor, b: Tensor, cp: Tensor, dh: Tensor, dc: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = a.add(b).chunk(4, 1).map((t, k) => (k === 2 ? t.tanh() : t.sigmoid()));
  const tc = f.mul(cp).add(i.mul(g)).tanh();
  const dct = dc.add(dh.mul(o).mul(tc.mul(tc).neg().add(1)));
  return [cat([dct.mul(g).mul(i).mul(i.neg().add(1)), dct.mul(cp).mul(f).mul(f.neg().add(1)),
    dct.mul(i).mul(g.mul(g).neg().add(1)), dh.mul(tc).mul(o).mul(o.neg().add(1))], 1), dct.mul(f)];
}

/**
 * One GRU step's gate math as PyTorch's GRUCell: gi, gh [B, 3H] (r, z, n), h [B, H] ->
 * (h - n) * z + n with r = sigmoid(gi_r + gh_r), z = sigmoid(gi_z + gh_z), n = tanh(gi_n + r * gh_n).
 */
export function gru_cell(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  check('gru_cell', 3, gi, gh, h, 'h');
  const be = backendFor('gru_cell', [gi, gh, h]);
  const shape = [...h.shape];
  return applyFunction('ThnnFusedGruCellBackward0', (ctx, a: Tensor, b: Tensor, hp: Tensor) => {
    const [h2, ws] = be.gruCell(a, b, hp);
    ctx.save_for_backward(a, b, hp, new Tensor(ws, [shape[0], 4 * shape[1]]));
    return new Tensor(h2, shape);
  }, (ctx, dh: Tensor) => {
    const [a, b, hp, ws] = ctx.saved_tensors;
    if (is_grad_enabled()) {
      const [ir, iz, inn] = a.chunk(3, 1), [hr, hz, hn] = b.chunk(3, 1);
      const r = ir.add(hr).sigmoid(), z = iz.add(hz).sigmoid();
      const n = inn.add(r.mul(hn)).tanh();
      const dn = dh.mul(z.neg().add(1)).mul(n.mul(n).neg().add(1));
      const dz = dh.mul(hp.sub(n)).mul(z).mul(z.neg().add(1));
      const dr = dn.mul(hn).mul(r).mul(r.neg().add(1));
      return [cat([dr, dz, dn], 1), cat([dr, dz, dn.mul(r)], 1), dh.mul(z)];
    }
    const [dgi, dgh, dhp] = be.gruCellBackward(dh, ws, hp);
    const g3 = [shape[0], 3 * shape[1]];
    return [new Tensor(dgi, g3), new Tensor(dgh, g3), new Tensor(dhp, shape)];
  }, [gi, gh, h]);
}

/**
 * One LSTM layer and direction over T steps of B rows (no projection): the recurrence as one graph
 * node, as PyTorch's CPU LSTM does with oneDNN (its node is named for that: MkldnnRnnLayerBackward0).
 * gi [T*B, 4H] holds the input projections (with bias_ih) in time order, whhT [H, 4H] is
 * weight_hh.t(), bhh [4H] or null, h0 and c0 [B, H]; `reverse` runs the steps from the last. Returns
 * the outputs [T*B, H] (each step's h, in time order) and the final h and c. The backend runs all
 * T steps (each the GEMM and fused cell kernel of lstm_cell) in one call, RnnKernels.lstmLayer, and
 * runs them back in one call too; weight_hh's gradient is then one GEMM over all steps (T*B rows)
 * instead of T small ones and T accumulating adds. Under create_graph it recomputes the steps with
 * differentiable ops, so it differentiates again.
 */
export function lstm_layer(gi: Tensor, whhT: Tensor, bhh: Tensor | null, h0: Tensor, c0: Tensor, reverse: boolean): [Tensor, Tensor, Tensor] {
  const [B, H] = h0.shape, T = gi.shape[0] / B;
  const order = Array.from({ length: T }, (_, k) => (reverse ? T - 1 - k : k));
  const rows = (x: Tensor, t: number): Tensor => x.narrow(0, t * B, B);
  const hidden = (h: Tensor): Tensor => (bhh ? addmm(bhh, h, whhT) : matmul(h, whhT));
  const be = backendFor('lstm_cell', [gi, whhT, h0, c0]);
  return applyFunction('MkldnnRnnLayerBackward0', (ctx, x: Tensor, w: Tensor, b: Tensor | null, h: Tensor, c: Tensor) => {
    const [out, hN, cN, ws] = be.lstmLayer(x, w, b, h, c, reverse);
    const o = new Tensor(out, [T * B, H]);
    ctx.save_for_backward(x, h0, c0, o, new Tensor(ws, [ws.length]));
    return [o, new Tensor(hN, [B, H]), new Tensor(cN, [B, H])];
  }, (ctx, dOut: Tensor, dhN: Tensor, dcN: Tensor) => {
    const [x, h0s, c0s, out, ws] = ctx.saved_tensors;
    const needs = ctx.needs_input_grad;
    // hp[t]: the h the step at time t started from (the rows of weight_hh's gradient GEMM)
    const hp: Tensor[] = new Array(T);
    let dgi: Tensor, dh: Tensor, dc: Tensor;
    if (is_grad_enabled()) {
      // create_graph: the steps again with tensor ops, and lstm_cell's differentiable backward
      const steps: [Tensor, Tensor, Tensor][] = [];
      let h = h0s, c = c0s;
      for (const t of order) {
        hp[t] = h;
        const s: [Tensor, Tensor, Tensor] = [rows(x, t), hidden(h), c];
        const [i, f, g, o] = s[0].add(s[1]).chunk(4, 1).map((v, j) => (j === 2 ? v.tanh() : v.sigmoid()));
        c = f.mul(c).add(i.mul(g));
        h = o.mul(c.tanh());
        steps.push(s);
      }
      const dgates: Tensor[] = new Array(T);
      dh = dhN; dc = dcN;
      for (let k = T - 1; k >= 0; k--) {
        const t = order[k];
        const [dg, dcp] = lstmCellGrad(...steps[k], dh.add(rows(dOut, t)), dc);
        dgates[t] = dg;
        dc = dcp;
        if (k > 0 || needs[3]) dh = matmul(dg, whhT.t());
      }
      dgi = cat(dgates, 0);
    } else {
      order.forEach((t, k) => { hp[t] = k ? rows(out, order[k - 1]) : h0s; });
      const [g, a, b] = be.lstmLayerBackward(dOut, dhN, dcN, ws, whhT, reverse);
      dgi = new Tensor(g, [T * B, 4 * H]); dh = new Tensor(a, [B, H]); dc = new Tensor(b, [B, H]);
    }
    return [needs[0] ? dgi : null, needs[1] ? matmul(dgi.t(), cat(hp, 0)).t() : null, needs[2] ? dgi.sum(0) : null, needs[3] ? dh : null, needs[4] ? dc : null];
  }, [gi, whhT, bhh, h0, c0]);
}

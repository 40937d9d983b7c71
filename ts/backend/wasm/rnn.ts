// The wasm backend's recurrent cell kernels (assembly/rnn.ts): LSTM and GRU gate math, forward and
// backward, one kernel call each on contiguous scratch copies of the views. A whole LSTM layer runs
// its T steps (GEMM, then the cell) inside one scratch section: the weight, the states and every
// step's workspace stay in wasm memory, and only the layer's inputs and results are copied.
import { ITEMSIZE, KSUFFIX, ARRAY_CTOR, type DType } from '../../dtype.js';
import { Storage } from '../storage.js';
import type { RnnKernels } from '../kernels/rnn.js';
import { K, alloc, take, scratch, move, wasmMemory, result } from './runtime.js';
import { materialize, putView } from './scratch.js';
import { gemmThreaded } from './gemm_split.js';
import type { View } from '../view.js';

/** Runs kernel `name` on `ins` (contiguous copies) and `outs` new arrays of the given sizes, returning those as storages. */
function run(name: string, dt: DType, ins: View[], outs: number[], B: number, H: number): Storage[] {
  const arrays = scratch(() => {
    const ptrs = ins.map((v) => materialize(v, dt));
    const optrs = outs.map((n) => result(Math.max(n, 1) * ITEMSIZE[dt]));
    K[`${name}_${KSUFFIX[dt]}`](...ptrs, ...optrs, B, H);
    return optrs.map((p, i) => take(p, dt, outs[i]));
  });
  return arrays.map((a) => new Storage(a, dt));
}

const dims = (h: View): [number, number] => [h.shape[0], h.shape[1]];

// lstmLayer's workspace, in elements: each step's cell workspace [B, 5H] in step order, then the
// T + 1 cell states [B, H] (c[k] is the state step k starts from; c[T] the final one).
const cellWs = (k: number, B: number, H: number): number => k * 5 * B * H;
const cellState = (k: number, T: number, B: number, H: number): number => T * 5 * B * H + k * B * H;

/** One LSTM layer call's [dtype, item size, kernel suffix, B, H, 4H, T, B*H, GEMM kernel]: B rows
 *  and H units of `state`, T = rows / B steps. */
function layerOf(state: View, rows: number): [DType, number, string, number, number, number, number, number, string] {
  const dt = state.dtype, [B, H] = dims(state), sfx = KSUFFIX[dt];
  return [dt, ITEMSIZE[dt], sfx, B, H, 4 * H, B ? rows / B : 0, B * H, `gemm_${sfx}`];
}

export const rnn: RnnKernels = {
  lstmCell(gi, gh, c) {
    const [B, H] = dims(c);
    const [h, c2, ws] = run('lstm_cell', c.dtype, [gi, gh, c], [B * H, B * H, B * 5 * H], B, H);
    return [h, c2, ws];
  },
  lstmCellBackward(dh, dc, ws, c) {
    const [B, H] = dims(c);
    const [dg, dcp] = run('lstm_cell_bwd', c.dtype, [dh, dc, ws, c], [B * 4 * H, B * H], B, H);
    return [dg, dcp];
  },
  lstmLayer(gi, whhT, bhh, h0, c0, reverse) {
    const [dt, es, sfx, B, H, G, T, BH, gemm] = layerOf(c0, gi.shape[0]);
    const arrays = scratch(() => {
      const gip = materialize(gi, dt), h0p = materialize(h0, dt);
      const wp = putView(whhT), [w0, w1] = whhT._strides;
      const bias = bhh ? materialize(bhh, dt, [B, G]) : 0; // its rows, B times
      const outp = alloc(T * BH * es), wsp = alloc(cellState(T + 1, T, B, H) * es);
      const ghp = alloc(B * G * es), gws = alloc(K[`${gemm}_workspace`](B, G, H));
      move(wsp + cellState(0, T, B, H) * es, materialize(c0, dt), BH * es);
      let hp = h0p;
      for (let k = 0; k < T; k++) {
        const t = reverse ? T - 1 - k : k;
        // gh = bhh + h @ whhT, as addmm
        if (bias) move(ghp, bias, B * G * es);
        gemmThreaded(gemm, B, G, H, hp, H, 1, wp, w0, w1, bias ? 1 : 0, ghp, G, gws, es);
        const ht = outp + t * BH * es;
        K[`lstm_cell_${sfx}`](gip + t * B * G * es, ghp, wsp + cellState(k, T, B, H) * es, ht,
          wsp + cellState(k + 1, T, B, H) * es, wsp + cellWs(k, B, H) * es, B, H);
        hp = ht;
      }
      return [take(outp, dt, T * BH), take(hp, dt, BH), take(wsp + cellState(T, T, B, H) * es, dt, BH), take(wsp, dt, cellState(T + 1, T, B, H))];
    });
    return arrays.map((a) => new Storage(a, dt)) as [Storage, Storage, Storage, Storage];
  },
  lstmLayerBackward(dOut, dhN, dcN, ws, whhT, reverse) {
    const [dt, es, sfx, B, H, G, T, BH, gemm] = layerOf(dhN, dOut.shape[0]);
    const arrays = scratch(() => {
      const dop = materialize(dOut, dt), wsp = materialize(ws, dt);
      const wp = putView(whhT), [w0, w1] = whhT._strides;
      const dgp = alloc(T * B * G * es), gws = alloc(K[`${gemm}_workspace`](B, H, G));
      let dh = materialize(dhN, dt), dc = materialize(dcN, dt);
      if (T > 0) { // the last step's dh: dhN + its rows of dOut
        const last = reverse ? 0 : T - 1, sum = alloc(BH * es);
        const mem = wasmMemory.buffer, ctor = ARRAY_CTOR[dt];
        const a = new ctor(mem, dh, BH), b = new ctor(mem, dop + last * BH * es, BH), o = new ctor(mem, sum, BH);
        for (let i = 0; i < BH; i++) o[i] = a[i] + b[i];
        dh = sum;
      }
      // the running dh and dc, written in turns into one pair of buffers while the other is read
      const bufs = [[alloc(BH * es), alloc(BH * es)], [alloc(BH * es), alloc(BH * es)]];
      for (let k = T - 1; k >= 0; k--) {
        const t = reverse ? T - 1 - k : k, dgt = dgp + t * B * G * es;
        const [dhOut, dcOut] = bufs[k & 1];
        K[`lstm_cell_bwd_${sfx}`](dh, dc, wsp + cellWs(k, B, H) * es, wsp + cellState(k, T, B, H) * es, dgt, dcOut, B, H);
        // the previous step's dh: its rows of dOut + d gates @ whhT.t() (none for h0)
        if (k > 0) move(dhOut, dop + (reverse ? T - k : k - 1) * BH * es, BH * es);
        gemmThreaded(gemm, B, H, G, dgt, G, 1, wp, w1, w0, k > 0 ? 1 : 0, dhOut, H, gws, es);
        dh = dhOut; dc = dcOut;
      }
      return [take(dgp, dt, T * B * G), take(dh, dt, BH), take(dc, dt, BH)];
    });
    return arrays.map((a) => new Storage(a, dt)) as [Storage, Storage, Storage];
  },
  gruCell(gi, gh, h) {
    const [B, H] = dims(h);
    const [h2, ws] = run('gru_cell', h.dtype, [gi, gh, h], [B * H, B * 4 * H], B, H);
    return [h2, ws];
  },
  gruCellBackward(dh, ws, h) {
    const [B, H] = dims(h);
    const [dgi, dgh, dhp] = run('gru_cell_bwd', h.dtype, [dh, ws, h], [B * 3 * H, B * 3 * H, B * H], B, H);
    return [dgi, dgh, dhp];
  },
};

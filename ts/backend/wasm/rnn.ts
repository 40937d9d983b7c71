// The wasm backend's recurrent cell kernels (assembly/rnn.ts): LSTM and GRU gate math, forward and
// backward, one kernel call each on contiguous scratch copies of the views.
import { ITEMSIZE, KSUFFIX, type DType } from '../../dtype.js';
import { Storage } from '../storage.js';
import type { RnnKernels } from '../kernels/rnn.js';
import { K, alloc, take, scratch } from './runtime.js';
import { materialize } from './scratch.js';
import type { View } from '../view.js';

/** Runs kernel `name` on `ins` (contiguous copies) and `outs` new arrays of the given sizes, returning those as storages. */
function run(name: string, dt: DType, ins: View[], outs: number[], B: number, H: number): Storage[] {
  const arrays = scratch(() => {
    const ptrs = ins.map((v) => materialize(v, dt));
    const optrs = outs.map((n) => alloc(Math.max(n, 1) * ITEMSIZE[dt]));
    K[`${name}_${KSUFFIX[dt]}`](...ptrs, ...optrs, B, H);
    return optrs.map((p, i) => take(p, dt, outs[i]));
  });
  return arrays.map((a) => new Storage(a, dt));
}

const dims = (h: View): [number, number] => [h.shape[0], h.shape[1]];

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

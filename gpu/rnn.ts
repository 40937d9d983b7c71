// The webgpu backend's recurrent cell kernels (gpu/wgsl/rnn.ts): LSTM and GRU gate math, forward
// and backward, float32, one dispatch each on contiguous copies of non-contiguous operands.
import type { RnnKernels } from '../ts/backend/kernels/rnn.js';
import type { View } from '../ts/backend/view.js';
import type { Storage } from '../ts/backend/storage.js';
import { dispatch, wg, Params } from './runtime.js';
import { word } from './wgsl/types.js';
import { bufferOf, contiguousView, done, emptyStorage } from './memory.js';
import { lstmCellSource, lstmCellBackwardSource, gruCellSource, gruCellBackwardSource } from './wgsl/rnn.js';

/** Dispatches kernel `key` over B*H invocations on contiguous `ins` and new outputs of the given sizes. */
function run(key: string, source: (W: number) => string, ins: View[], outs: number[], B: number, H: number): Storage[] {
  const dt = ins[0].dtype;
  word(dt, key);
  const os = outs.map((n) => emptyStorage(dt, n, key));
  const cs = ins.map((v) => contiguousView(v));
  try {
    const W = wg();
    const params = new Params().i(B * H, H, ...cs.map((c) => c._offset));
    dispatch(`${key}_${W}`, () => source(W), [...cs.map(bufferOf), ...os.map((o) => o.buffer!)], params, Math.ceil((B * H) / W));
  } finally { ins.forEach((v, k) => done(v, cs[k])); }
  return os;
}

const dims = (h: View): [number, number] => [h.shape[0], h.shape[1]];

export const rnn: RnnKernels = {
  lstmCell(gi, gh, c) {
    const [B, H] = dims(c);
    const [h, c2, ws] = run('lstm_cell', lstmCellSource, [gi, gh, c], [B * H, B * H, B * 5 * H], B, H);
    return [h, c2, ws];
  },
  lstmCellBackward(dh, dc, ws, c) {
    const [B, H] = dims(c);
    const [dg, dcp] = run('lstm_cell_bwd', lstmCellBackwardSource, [dh, dc, ws, c], [B * 4 * H, B * H], B, H);
    return [dg, dcp];
  },
  gruCell(gi, gh, h) {
    const [B, H] = dims(h);
    const [h2, ws] = run('gru_cell', gruCellSource, [gi, gh, h], [B * H, B * 4 * H], B, H);
    return [h2, ws];
  },
  gruCellBackward(dh, ws, h) {
    const [B, H] = dims(h);
    const [dgi, dgh, dhp] = run('gru_cell_bwd', gruCellBackwardSource, [dh, ws, h], [B * 3 * H, B * 3 * H, B * H], B, H);
    return [dgi, dgh, dhp];
  },
};

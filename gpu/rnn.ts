// The webgpu backend's recurrent cell kernels (gpu/wgsl/rnn.ts): LSTM and GRU gate math, forward
// and backward, float32, one dispatch each on contiguous copies of non-contiguous operands. A whole
// LSTM layer is those dispatches step after step (this backend's GEMM, the cell, copies into the
// layer's outputs), all recorded before anything is read back.
import type { RnnKernels } from '../ts/backend/kernels/rnn.js';
import type { View } from '../ts/backend/view.js';
import type { Storage } from '../ts/backend/storage.js';
import { dispatch, wg, Params } from './runtime.js';
import { word } from './wgsl/types.js';
import { bufferOf, contiguousView, done, emptyStorage, memory, copyStorage } from './memory.js';
import { linalg } from './matmul.js';
import { pointwise } from './pointwise.js';
import { viewOf } from '../ts/backend/view.js';
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

/** Rows [r, r + n) of a contiguous [*, w] matrix at element `base` of `s`, as a [n, w] view. */
const rowsOf = (s: Storage, r: number, n: number, w: number, base = 0): View => ({ _storage: s, dtype: s.dtype, shape: [n, w], _strides: [w, 1], _offset: base + r * w });

/** Writes `src` (a new storage of `shape`) into `dst` and frees it. */
function moveInto(dst: View, src: Storage, shape: number[]): void {
  try { memory.write(dst, viewOf(src, shape)); } finally { src.free(); }
}

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
  // The workspace: each step's cell workspace ([B, 5H] rows, step order), then the T + 1 cell
  // states [B, H] (c[k]: the state step k starts from), as rows of width H.
  lstmLayer(gi, whhT, bhh, h0, c0, reverse) {
    const [B, H] = dims(c0), T = B ? gi.shape[0] / B : 0, dt = c0.dtype;
    const out = emptyStorage(dt, T * B * H, 'lstm'), ws = emptyStorage(dt, (6 * T + 1) * B * H, 'lstm');
    const state = (k: number): View => rowsOf(ws, (5 * T + k) * B, B, H);
    const g = contiguousView(gi);
    try {
      memory.write(state(0), c0);
      let h: View = h0;
      for (let k = 0; k < T; k++) {
        const t = reverse ? T - 1 - k : k;
        const gh = linalg.matmul(h, whhT, [], bhh ?? undefined);
        let cell: Storage[];
        try { cell = rnn.lstmCell(rowsOf(g._storage, t * B, B, 4 * H, g._offset), viewOf(gh, [B, 4 * H]), state(k)); } finally { gh.free(); }
        const [h2, c2, cws] = cell;
        moveInto(rowsOf(out, t * B, B, H), h2, [B, H]);
        moveInto(state(k + 1), c2, [B, H]);
        moveInto(rowsOf(ws, 5 * k * B, 5 * B, H), cws, [5 * B, H]);
        h = rowsOf(out, t * B, B, H);
      }
      return [out, copyStorage(h), copyStorage(state(T)), ws];
    } finally { done(gi, g); }
  },
  lstmLayerBackward(dOut, dhN, dcN, ws, whhT, reverse) {
    const [B, H] = dims(dhN), T = B ? dOut.shape[0] / B : 0, dt = dhN.dtype;
    const dgi = emptyStorage(dt, T * B * 4 * H, 'lstm');
    const w = contiguousView(ws), d = contiguousView(dOut);
    const wsRows = (r: number, n: number): View => rowsOf(w._storage, r, n, H, w._offset);
    const dRows = (t: number): View => rowsOf(d._storage, t * B, B, H, d._offset);
    // whhT.t(), the product's right operand for the previous step's dh
    const wT: View = { _storage: whhT._storage, dtype: whhT.dtype, shape: [4 * H, H], _strides: [whhT._strides[1], whhT._strides[0]], _offset: whhT._offset };
    const tmp: Storage[] = [];
    try {
      let dh: View = dhN, dc: View = dcN;
      if (T > 0) { const s = pointwise.pointwise('add', [dhN, dRows(reverse ? 0 : T - 1)], dt, dt, [B, H], 0, 0); tmp.push(s); dh = viewOf(s, [B, H]); }
      for (let k = T - 1; k >= 0; k--) {
        const t = reverse ? T - 1 - k : k;
        const [dg, dcp] = rnn.lstmCellBackward(dh, dc, wsRows(5 * k * B, 5 * B), wsRows((5 * T + k) * B, B));
        moveInto(rowsOf(dgi, t * B, B, 4 * H), dg, [B, 4 * H]);
        tmp.push(dcp); dc = viewOf(dcp, [B, H]);
        // the previous step's dh: its rows of dOut + d gates @ whhT.t() (none for h0)
        const s = linalg.matmul(rowsOf(dgi, t * B, B, 4 * H), wT, [], k > 0 ? dRows(reverse ? T - k : k - 1) : undefined);
        tmp.push(s); dh = viewOf(s, [B, H]);
      }
      return [dgi, copyStorage(dh), copyStorage(dc)];
    } finally {
      tmp.forEach((s) => s.free());
      done(ws, w); done(dOut, d);
    }
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

// In-place writes into views (copy_, slice assignment) whose rows are long and contiguous take a
// host path in the wasm backend (ts/backend/wasm/scratch.ts writeRows: one TypedArray.set per row);
// the rest go through wasm scratch. Both must give the same values: checked against plain JS loops
// for strided destinations, broadcast and offset sources, dtype conversion and overlapping views.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

const iota = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => i + from);
// float32 sources (integer lists make int64 tensors, as in PyTorch, which the host path leaves to scratch)
const f32 = (xs: number[]): torch.Tensor => torch.tensor(xs, { dtype: 'float32' });

describe('writes into views with long rows (host path) and short ones (scratch path)', () => {
  for (const L of [64, 100, 3]) {
    it(`a third of a [R, 3*${L}] buffer along the last dim, as attention's packed q, k, v`, () => {
      const R = 5;
      const buf = torch.zeros([R, 3 * L]);
      const src = f32(iota(R * L, 1)).view([R, L]);
      buf.narrow(1, L, L).copy_(src);
      const got = buf.dataSync() as Float32Array;
      for (let r = 0; r < R; r++) for (let j = 0; j < 3 * L; j++) {
        expect(got[r * 3 * L + j]).toBe(j >= L && j < 2 * L ? 1 + r * L + (j - L) : 0);
      }
    });
  }

  it('a broadcast source (one row into every row) and an offset, sliced source', () => {
    const L = 80;
    const dst = torch.zeros([4, 2, L]);
    dst.select(1, 1).copy_(f32(iota(L)));
    const d = dst.dataSync() as Float32Array;
    for (let a = 0; a < 4; a++) for (let j = 0; j < L; j++) { expect(d[(a * 2 + 1) * L + j]).toBe(j); expect(d[a * 2 * L + j]).toBe(0); }
    const big = f32(iota(3 * 2 * L)).view([3, 2 * L]);
    const out = torch.zeros([3, L]);
    out.copy_(big.narrow(1, L, L));
    const o = out.dataSync() as Float32Array;
    for (let r = 0; r < 3; r++) for (let j = 0; j < L; j++) expect(o[r * L + j]).toBe(r * 2 * L + L + j);
  });

  it('dtype conversion and overlapping views of one storage still go through scratch correctly', () => {
    const L = 70;
    const ints = torch.tensor(iota(2 * L), { dtype: 'int32' }).view([2, L]);
    const f = torch.zeros([2, L]);
    f.copy_(ints);
    expect(Array.from(f.dataSync() as Float32Array)).toEqual(iota(2 * L));
    // shift a row right by one inside the same storage: the source is read before it is overwritten
    const x = f32(iota(2 * L)).view([2 * L]);
    x.narrow(0, 1, 2 * L - 1).copy_(x.narrow(0, 0, 2 * L - 1));
    expect(Array.from(x.dataSync() as Float32Array)).toEqual([0, ...iota(2 * L - 1)]);
  });

  it('a disposed source still raises the disposed-tensor error', () => {
    const src = torch.ones([2, 64]);
    src.dispose();
    expect(() => torch.zeros([2, 128]).narrow(1, 0, 64).copy_(src)).toThrow(/disposed/);
  });
});

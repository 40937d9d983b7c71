// The strided copy kernel copies transposes (source unit-stride along some dim, destination along
// the last) in 16 x 16 tiles (assembly/copy.ts). Every element must land where the index
// arithmetic says, for tile-sized and ragged planes, batched and permuted layouts, offsets, and
// the 4- and 8-byte types that take the tiled path (the conversions keep the row loop).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

/** contiguous values of x, read element by element through its strides */
function reference(x: torch.Tensor): number[] {
  const src = x._storage.data as ArrayLike<number>;
  const out: number[] = [];
  const idx = new Array<number>(x.ndim).fill(0);
  const n = x.numel();
  for (let e = 0; e < n; e++) {
    out.push(src[x._offset + idx.reduce((a, v, d) => a + v * x._strides[d], 0)]);
    for (let d = x.ndim - 1; d >= 0; d--) { if (++idx[d] < x.shape[d]) break; idx[d] = 0; }
  }
  return out;
}

const vals = (t: torch.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);

describe('strided copy of transposed layouts', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    it(`${dtype}: 2-d transposes, tile-sized and ragged`, () => {
      for (const [r, c] of [[16, 16], [32, 48], [17, 33], [1, 40], [40, 1], [5, 3], [200, 800]]) {
        const base = torch.arange(0, r * c).to(dtype).reshape([r, c]);
        const t = base.t();
        const got = t.contiguous();
        expect(got.is_contiguous()).toBe(true);
        expect(vals(got), `[${r}, ${c}].t()`).toEqual(reference(t));
      }
    });

    it(`${dtype}: batched and permuted layouts with an offset`, () => {
      const base = torch.arange(0, 3 * 20 * 18 * 5).to(dtype).reshape([3, 20, 18, 5]);
      const views = [
        base.select(0, 1).permute([2, 0, 1]),   // unit stride on the last source dim 2 -> dim 0
        base.permute([0, 3, 1, 2]),              // unit stride on dim 1 of the view
        base.permute([3, 0, 2, 1]).slice(2, 1, 17), // sliced: unit stride dim 0, offset 5
        base.transpose(1, 2).slice(3, 0, 5, 2), // gapped last dim: no unit-stride source dim
      ];
      for (const v of views) expect(vals(v.contiguous()), `[${v.shape}] strides [${v.stride()}]`).toEqual(reference(v));
    });
  }

  it('conversions through a transpose keep the element loop and its values', () => {
    const x = torch.randn([33, 21]).t();
    expect(vals(x.to('float64'))).toEqual(reference(x));
    const i = torch.arange(0, 33 * 21).reshape([33, 21]).t();
    expect(vals(i.to('float32'))).toEqual(reference(i));
    expect(vals(i.gt(300))).toEqual(reference(i).map((v) => (v > 300 ? 1 : 0)));
  });

  it('writing into a transposed view (x.t().copy_(y))', () => {
    const x = torch.zeros([24, 37]);
    const y = torch.arange(0, 37 * 24).to('float32').reshape([37, 24]);
    x.t().copy_(y);
    expect(vals(x)).toEqual(reference(y.t()));
  });
});

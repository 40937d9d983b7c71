// The wasm backend's host paths for gathers and scatter_adds that touch few elements of a large
// tensor (ts/backend/wasm/indexing.ts: an embedding's rows, its gradient): the same values and the
// same errors as the kernel path, which smaller tables take, on every layout.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

const rows = (t: torch.Tensor): number[][] => t.tolistSync() as number[][];

describe('gather and scatter_add on a large tensor, few indices (host path)', () => {
  const table = torch.randn([60, 7]);
  const T = rows(table);

  it('index_select and embedding pick the rows, repeated ones included', () => {
    const idx = torch.tensor([3, 0, 59, 3], { dtype: 'int32' });
    expect(rows(torch.index_select(table, 0, idx))).toEqual([T[3], T[0], T[59], T[3]]);
    expect(rows(torch.nn.functional.embedding(idx, table))).toEqual([T[3], T[0], T[59], T[3]]);
    // a transposed (non-contiguous) table, selected along its other dim
    const tt = table.t();
    const got = torch.index_select(tt, 1, idx).tolistSync() as number[][];
    expect(got).toEqual(T[0].map((_, j) => [T[3][j], T[0][j], T[59][j], T[3][j]]));
  });

  it('gather along either dim, with an index smaller than the source and a broadcast index', () => {
    const i1 = torch.tensor([[2], [6], [0]], { dtype: 'int32' });
    expect(rows(torch.gather(table, 1, i1))).toEqual([[T[0][2]], [T[1][6]], [T[2][0]]]);
    const i0 = torch.tensor([[5, 59]], { dtype: 'int32' });
    expect(rows(torch.gather(table, 0, i0))).toEqual([[T[5][0], T[59][1]]]);
    const ib = torch.tensor([[4], [1]], { dtype: 'int32' }).expand([2, 3]);
    expect(rows(torch.gather(table, 0, ib))).toEqual([[T[4][0], T[4][1], T[4][2]], [T[1][0], T[1][1], T[1][2]]]);
  });

  it('an out-of-range index raises PyTorch\'s error, naming the first bad value', () => {
    expect(() => torch.index_select(table, 0, torch.tensor([1, 60, -1], { dtype: 'int32' })))
      .toThrow('index_select(): index 60 is out of bounds for dimension 0 with size 60 (index out of range in self)');
    expect(() => torch.gather(table, 1, torch.tensor([[0], [-2]], { dtype: 'int32' })))
      .toThrow('gather(): index -2 is out of bounds for dimension 1 with size 7');
  });

  it('scatter_add accumulates repeated rows in order, float32, float64 and int32', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const base = torch.ones([40, 3], { dtype });
      const idx = torch.tensor([[7], [2], [7]], { dtype: 'int32' }).expand([3, 3]);
      const src = torch.tensor([[1, 2, 3], [4, 5, 6], [10, 20, 30]], { dtype });
      const out = rows(torch.scatter_add(base, 0, idx, src));
      const want = Array.from({ length: 40 }, () => [1, 1, 1]);
      want[7] = [12, 23, 34]; want[2] = [5, 6, 7];
      expect(out).toEqual(want);
      expect(rows(base)).toEqual(Array.from({ length: 40 }, () => [1, 1, 1])); // out of place
    }
    expect(() => torch.scatter_add(torch.zeros([40, 3]), 0, torch.tensor([[40, 0, 0]], { dtype: 'int32' }), torch.ones([1, 3])))
      .toThrow('scatter_add(): index 40 is out of bounds for dimension 0 with size 40');
  });

  it('an embedding\'s gradient adds each looked-up row\'s gradient into its row', () => {
    const emb = new torch.nn.Embedding(50, 4);
    const input = torch.tensor([[1, 3, 1], [49, 3, 1]], { dtype: 'int32' });
    const w = torch.arange(12 * 2, { dtype: 'float32' }).reshape([2, 3, 4]);
    emb.forward(input).mul(w).sum().backward();
    const g = rows(emb.weight.grad!);
    const W = w.tolistSync() as number[][][];
    const want = Array.from({ length: 50 }, () => [0, 0, 0, 0]);
    [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].forEach(([b, s]) => {
      const r = (input.tolistSync() as number[][])[b][s];
      W[b][s].forEach((v, j) => { want[r][j] += v; });
    });
    expect(g).toEqual(want);
  });
});

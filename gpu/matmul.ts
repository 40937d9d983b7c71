// Matrix products on webgpu: picks a tile config and a split-K factor for the problem, and records
// the tiled kernel (gpu/wgsl/matmul.ts) over batch, row and column chunks that fit the dispatch
// limits. Operands are described by buffer, offset and strides, so callers (matmul, conv) pass
// transposed or broadcast views and column slices without copies.
import type { LinalgKernels } from '../ts/backend/kernels/linalg.js';
import type { DType } from '../ts/dtype.js';
import { numel } from '../ts/shape.js';
import { broadcastStrides } from '../ts/backend/view.js';
import { dispatch, acquire, release, limits, Params, wg } from './runtime.js';
import { emptyStorage, copyStorage, bufferOf } from './memory.js';
import { word } from './wgsl/types.js';
import {
  matmulKey, matmulSource, splitReduceKey, splitReduceSource, tileStorageBytes,
  MATMUL_PARAMS_HEAD, type Tile, type MatmulSpec, type Post,
} from './wgsl/matmul.js';

/** One operand: element (b, r, c) is at off + r*rs + c*cs + sum_d idx_d(b) * batch[d]. */
export interface GemmOperand { buf: GPUBuffer; off: number; rs: number; cs: number; batch: readonly number[] }

export interface GemmDesc {
  dtype: DType;
  M: number; N: number; K: number;
  /** the batch shape (A's and B's batch strides index it; C's batches are flat) */
  batch: readonly number[];
  a: GemmOperand;
  b: GemmOperand;
  /** C's element (b, m, n) is at off + b*batch + m*ld + n */
  c: { buf: GPUBuffer; off: number; ld: number; batch: number };
  /** C += A @ B (instead of C = A @ B) */
  acc?: boolean;
}

/** Test and tuning hooks: force a tile config or a split-K factor (null: chosen per problem). */
export const matmulTuning: { tile: Tile | null; splits: number | null } = { tile: null, splits: null };

const BIG: Tile = { BM: 128, BN: 128, BK: 8, TM: 8, TN: 8 };
const MID: Tile = { BM: 64, BN: 64, BK: 16, TM: 4, TN: 4 };
const SMALL: Tile = { BM: 32, BN: 32, BK: 16, TM: 4, TN: 4 };

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/** The fraction of a tile grid's outputs that are inside the M x N output. */
const fill = (t: Tile, M: number, N: number): number => (M * N) / (cdiv(M, t.BM) * t.BM * cdiv(N, t.BN) * t.BN);

/**
 * A tile config that fits the device. The 128 x 128 tile does twice the work per staged element
 * of the 64 x 64 one, so it wins when the product still gives enough workgroups to fill a GPU and
 * its edge tiles waste little more; the 32 x 32 tile serves thin products (a few output rows or
 * columns, as in small convolutions) and devices that allow fewer than 256 threads.
 */
function chooseTile(M: number, N: number, nb: number): Tile {
  const threads = (x: Tile) => (x.BM / x.TM) * (x.BN / x.TN);
  const fits = (x: Tile) => threads(x) <= limits.maxInvocations && x.BN / x.TN <= limits.maxWorkgroupSizeX;
  let t = matmulTuning.tile;
  if (!t) {
    if (!fits(MID)) t = SMALL;
    else if (cdiv(M, BIG.BM) * cdiv(N, BIG.BN) * nb >= 256 && fill(BIG, M, N) >= fill(MID, M, N) - 0.2) t = BIG;
    else if (fill(SMALL, M, N) >= fill(MID, M, N) + 0.25) t = SMALL;
    else t = MID;
  }
  if (!fits(t)) t = SMALL;
  while (tileStorageBytes(t) > limits.maxWorkgroupStorage && t.BK > 1) t = { ...t, BK: t.BK / 2 };
  return t;
}

const SPLIT_TEMP_BYTES = 64 * 2 ** 20;

/**
 * How many K chunks to cut a product into: only when its output gives too few workgroups to fill
 * a GPU and K is long (each chunk keeps >= 256 of K), bounded by the temporary's size.
 */
function chooseSplits(M: number, N: number, K: number, nb: number, t: Tile): number {
  if (matmulTuning.splits !== null) return Math.max(1, Math.min(matmulTuning.splits, K));
  const wgs = cdiv(M, t.BM) * cdiv(N, t.BN) * nb;
  if (wgs >= 128 || K < 1024) return 1;
  let s = Math.min(cdiv(256, wgs), Math.floor(K / 256), 64);
  while (s > 1 && nb * s * M * N * 4 > SPLIT_TEMP_BYTES) s >>= 1;
  return Math.max(1, s);
}

function postOf(dtype: DType): Post {
  return dtype === 'uint8' ? 'u8' : dtype === 'bool' ? 'bool' : 'none';
}

/** Records C (=|+=) A @ B for every batch. */
export function gemmGpu(d: GemmDesc): void {
  const { M, N, K } = d;
  const nb = numel(d.batch);
  if (M === 0 || N === 0 || nb === 0) return;
  const w = word(d.dtype, 'matmul');
  const tile = chooseTile(M, N, nb);
  let splits = K === 0 ? 1 : chooseSplits(M, N, K, nb, tile);
  // every chunk but the last is a whole number of K slices
  const kChunk = splits === 1 ? K : cdiv(cdiv(K, splits), tile.BK) * tile.BK;
  if (splits > 1) splits = cdiv(K, kChunk);
  const post = postOf(d.dtype);
  const spec: MatmulSpec = {
    word: w, post: splits > 1 ? 'none' : post, acc: splits > 1 ? false : !!d.acc, tile,
    aKFast: d.a.rs !== 1 || d.a.cs === 1, bNFast: d.b.cs === 1 || d.b.rs !== 1,
  };
  // split partials go to a temporary [nb * splits, M, N]
  const tmp = splits > 1 ? acquire(nb * splits * M * N * 4) : null;
  const c = tmp ? { buf: tmp, off: 0, ld: N, batch: M * N } : d.c;
  const gx = cdiv(N, tile.BN), gy = cdiv(M, tile.BM), gz = nb * splits;
  const lim = limits.maxWorkgroupsPerDim;
  const key = matmulKey(spec);
  const src = () => matmulSource(spec);
  for (let z0 = 0; z0 < gz; z0 += lim) {
    for (let y0 = 0; y0 < gy; y0 += lim) {
      for (let x0 = 0; x0 < gx; x0 += lim) {
        const p = new Params().i(M, N, K, d.a.rs, d.a.cs, d.b.rs, d.b.cs, c.ld, c.off, c.batch, d.a.off, d.b.off,
          z0, y0, x0, splits, kChunk, d.batch.length, ...d.batch, ...d.a.batch, ...d.b.batch);
        if (p.words.length !== MATMUL_PARAMS_HEAD + 3 * d.batch.length) throw new Error('matmul: params layout');
        dispatch(key, src, [d.a.buf, d.b.buf, c.buf], p, [Math.min(lim, gx - x0), Math.min(lim, gy - y0), Math.min(lim, gz - z0)]);
      }
    }
  }
  if (tmp) {
    const W = wg(), total = nb * M * N;
    const acc = !!d.acc;
    dispatch(splitReduceKey(w, post, acc, W), () => splitReduceSource(w, post, acc, W), [tmp, d.c.buf],
      new Params().i(total, M, N, splits, d.c.ld, d.c.off, d.c.batch), cdiv(total, W));
    release(tmp);
  }
}

export const linalg: LinalgKernels = {
  /** [..., m, k] @ [..., k, n] with broadcast batch dims `batch`, as a new storage [...batch, m, n]. */
  matmul(a, b, batch, init) {
    const m = a.shape[a.shape.length - 2], k = a.shape[a.shape.length - 1], n = b.shape[b.shape.length - 1];
    const nbd = batch.length;
    const aStr = broadcastStrides(a, [...batch, m, k]), bStr = broadcastStrides(b, [...batch, k, n]);
    // the operands' buffers first: they throw for a disposed input, and the output must not leak
    const abuf = bufferOf(a), bbuf = bufferOf(b);
    const out = init ? copyStorage(init, a.dtype, [...batch, m, n]) : emptyStorage(a.dtype, numel(batch) * m * n, 'matmul');
    if (out.length === 0) return out;
    gemmGpu({
      dtype: a.dtype, M: m, N: n, K: k, batch,
      a: { buf: abuf, off: a._offset, rs: aStr[nbd], cs: aStr[nbd + 1], batch: aStr.slice(0, nbd) },
      b: { buf: bbuf, off: b._offset, rs: bStr[nbd], cs: bStr[nbd + 1], batch: bStr.slice(0, nbd) },
      c: { buf: out.buffer!, off: 0, ld: n, batch: m * n },
      acc: init !== undefined,
    });
    return out;
  },
};

// The wasm backend's convolutions: im2col + the SIMD GEMM kernel (assembly/conv.ts,
// assembly/gemm.ts), and Winograd for float32 3x3 stride-1 ones with 16+ channels (./winograd.ts).
// Each driver runs inside one scratch section, so the column matrix never leaves wasm memory; the
// batch is cut into chunks whose column matrix fits COL_BYTES (it fits L2: the GEMM packs it while
// it is hot), and groups are slices of each product.
//   forward        t[g][Og, N*S] = w[g][Og, Kg] @ col[g][Kg, N*S], then y = t as [N, O, S] + bias
//   input grad     col[g] = w[g]^T @ gt[g] (gt = gy as [O, N*S]), then col2im adds it into dx
//   weight grad    dw[g] (+)= gt[g] @ col[g]^T, summed over the batch chunks
// Where a sample has at least SAMPLE_COLS output positions, the products run one sample at a time
// on y's and gy's own [N, O, S] layout instead (each sample's [O, S] block is a matrix of its own),
// and the two transposes go: measured best-of-25 on this machine, the current MNIST net's convs
// 3-20% faster; below that, per-sample products are too narrow (the seed net's second conv, S = 64,
// ran 3-6% slower), so small outputs keep the [O, N*S] layout.
import type { DType, TypedArray } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { Storage } from '../storage.js';
import type { View } from '../view.js';
import type { ConvKernels, ConvGeometry } from '../kernels/conv.js';
import { K, alloc, take, scratch, result } from './runtime.js';
import { materialize } from './scratch.js';
import { gemmThreaded, gemmBlocks, runGemms } from './gemm_split.js';
import { bySlices, activeThreads } from './threads.js';

// the Winograd driver for 3x3 convolutions (a chunk of its own, with its wasm add-on), where the add-on loaded
const wino = K.wino_input_f32 ? await import('./winograd.js') : null;
const winoKernels = wino?.winogradKernels({
  K, alloc, result, scratch, take, materialize, gemmBlocks, runGemms, bySlices, threads: activeThreads, stored: (d) => new Storage(d, 'float32'),
});

let COL_BYTES = 1 << 20;
let SAMPLE_COLS = 256;
/** Test hook: the output positions per sample from which products run one sample at a time. */
export function _setConvSampleCols(n: number): void { SAMPLE_COLS = n; }
/** Tuning and test hook: the column-matrix budget per batch chunk, in bytes. */
export function _setConvChunkBytes(b: number): void { COL_BYTES = b; }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Kernel = (...args: any[]) => any;

/** One problem: its sizes, the batch chunk, and its dtype's kernels (the prologue of every driver). */
interface Problem {
  dt: DType; es: number; g: ConvGeometry;
  N: number; C: number; H: number; W: number; O: number; kh: number; kw: number; OH: number; OW: number;
  /** output positions per sample, rows of one group's columns, output channels per group, samples per chunk */
  S: number; Kg: number; Og: number; Nc: number;
  /**
   * The layout y and gy take in the products: their own [N, O, S] (`own`: one sample per product,
   * rs = S, ss = O*S) or [O, N*S] (a whole chunk per product, rs = N*S, ss = S); rs and ss are the
   * element strides of a channel row and of a sample, U the samples per product.
   */
  own: boolean; U: number; rs: number; ss: number;
  gemm: string; workspace: Kernel; im2col: string; col2im: string; cnsToNcs: Kernel; ncsToCns: Kernel;
}

function problem(dt: DType, xshape: readonly number[], wshape: readonly number[], OH: number, OW: number, g: ConvGeometry): Problem {
  const es = ITEMSIZE[dt], s = KSUFFIX[dt];
  const [N, C, H, W] = xshape, [O, Cg, kh, kw] = wshape;
  const S = OH * OW;
  const Nc = Math.max(1, Math.min(N, Math.floor(COL_BYTES / Math.max(1, C * kh * kw * S * es))));
  const own = S >= SAMPLE_COLS;
  return {
    dt, es, g, N, C, H, W, O, kh, kw, OH, OW, S, Kg: Cg * kh * kw, Og: O / g.groups, Nc,
    own, U: own ? 1 : Nc, rs: own ? S : N * S, ss: own ? O * S : S,
    gemm: `gemm_${s}`, workspace: K[`gemm_${s}_workspace`], im2col: `im2col_${s}`, col2im: `col2im_${s}`,
    cnsToNcs: K[`cns_to_ncs_${s}`], ncsToCns: K[`ncs_to_cns_${s}`],
  };
}

/** In scratch: the column matrix of one batch chunk, and a GEMM workspace for every product [m, n, k] given. */
function columns(p: Problem, ...products: [number, number, number][]): [col: number, ws: number] {
  const col = alloc(p.C * p.kh * p.kw * p.Nc * p.S * p.es);
  const ws = alloc(Math.max(...products.map(([m, n, k]) => p.workspace(m, n, k) as number)));
  return [col, ws];
}

/** In scratch: the output gradient gy [N, O, S] in the products' layout (as gt [O, N*S] where that is it). */
function transposed(p: Problem, gy: View): number {
  const gp = materialize(gy, p.dt);
  if (p.own) return gp;
  const gt = alloc(p.O * p.N * p.S * p.es);
  p.ncsToCns(gp, gt, p.N, p.O, p.S);
  return gt;
}

/** Runs `f(j, cnt)` over the products of a chunk of nc samples: cnt samples from the chunk's j-th. */
function products(p: Problem, nc: number, f: (j: number, cnt: number) => void): void {
  for (let j = 0; j < nc; j += p.U) f(j, Math.min(p.U, nc - j));
}

/** In scratch: a zeroed array of n elements. */
function zeroed(p: Problem, n: number): number {
  const q = result(n * p.es);
  K.zero_bytes(q, n * p.es);
  return q;
}

/**
 * Runs im2col or col2im over a chunk of nc samples whose column matrix starts at col and x (or dx)
 * at xp, in slices of samples for the threads (each writes its own columns of col, or samples of dx).
 */
function bySamples(p: Problem, fn: string, xp: number, col: number, nc: number): void {
  const { g, es, S } = p, sample = p.C * p.H * p.W * es, cols = nc * S;
  bySlices(fn, nc, p.C * p.kh * p.kw * cols * es, (a, cnt) => {
    const [src, dst] = fn === p.im2col ? [xp + a * sample, col + a * S * es] : [col + a * S * es, xp + a * sample];
    return [src, dst, cnt, p.C, p.H, p.W, p.kh, p.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, p.OH, p.OW, cols];
  });
}

/** The columns of samples [n0, n0 + nc) of x (at xp) into col. */
function im2col(p: Problem, xp: number, col: number, n0: number, nc: number): void {
  bySamples(p, p.im2col, xp + n0 * p.C * p.H * p.W * p.es, col, nc);
}

/** The products of a chunk of nc samples: one per group and sample (own layout) or per group. */
const productCount = (p: Problem, nc: number): number => Math.ceil(nc / p.U) * p.g.groups;

/**
 * t[g][:, samples] = w[g] @ col[g][:, samples] (t: y in the products' layout). The products write
 * disjoint parts of t, so they go to the threads in one dispatch (whole, or in blocks when fewer
 * than the threads).
 */
function forwardChunk(p: Problem, wp: number, col: number, t: number, n0: number, nc: number, ws: number): void {
  const { es, Kg, Og, S, rs, ss } = p, cols = nc * S, calls: number[] = [], nb = productCount(p, nc);
  products(p, nc, (j, cnt) => {
    for (let gi = 0; gi < p.g.groups; gi++) {
      gemmBlocks(calls, nb, Og, cnt * S, Kg, wp + gi * Og * Kg * es, Kg, 1, col + (gi * Kg * cols + j * S) * es, cols, 1,
        t + (gi * Og * rs + (n0 + j) * ss) * es, es, 0, rs);
    }
  });
  runGemms(p.gemm, calls, ws);
}

/** dw[g] (+)= gt[g][:, samples] @ col[g][:, samples]^T (the batch's first product sets, later ones add) */
function weightChunk(p: Problem, gt: number, col: number, dw: number, n0: number, nc: number, ws: number): void {
  const { es, Kg, Og, S, rs, ss } = p, cols = nc * S;
  products(p, nc, (j, cnt) => {
    for (let gi = 0; gi < p.g.groups; gi++) {
      gemmThreaded(p.gemm, Og, Kg, cnt * S, gt + (gi * Og * rs + (n0 + j) * ss) * es, rs, 1, col + (gi * Kg * cols + j * S) * es, 1, cols,
        n0 + j === 0 ? 0 : 1, dw + gi * Og * Kg * es, Kg, ws, es);
    }
  });
}

/**
 * col[g][:, samples] = w[g]^T @ gt[g][:, samples] (disjoint parts of col: one dispatch, as in
 * forwardChunk), then col2im adds the chunk into dx's samples
 */
function inputChunk(p: Problem, wp: number, gt: number, col: number, dx: number, n0: number, nc: number, ws: number): void {
  const { es, Kg, Og, S, g, rs, ss } = p, cols = nc * S, calls: number[] = [], nb = productCount(p, nc);
  products(p, nc, (j, cnt) => {
    for (let gi = 0; gi < g.groups; gi++) {
      gemmBlocks(calls, nb, Kg, cnt * S, Og, wp + gi * Og * Kg * es, 1, Kg, gt + (gi * Og * rs + (n0 + j) * ss) * es, rs, 1,
        col + (gi * Kg * cols + j * S) * es, es, 0, cols);
    }
  });
  runGemms(p.gemm, calls, ws);
  bySamples(p, p.col2im, dx + n0 * p.C * p.H * p.W * es, col, nc);
}

const zeros = (dt: DType, n: number): Storage => new Storage(arrayFor(dt, n), dt);
const stored = (dt: DType, data: TypedArray): Storage => new Storage(data, dt);

const conv2dInputGrad: ConvKernels['conv2dInputGrad'] = (gy, w, xshape, g) => {
  const p = problem(gy.dtype, xshape, w.shape, gy.shape[2], gy.shape[3], g);
  const n = p.N * p.C * p.H * p.W;
  if (n === 0 || p.S === 0 || p.O === 0) return zeros(p.dt, n);
  if (wino?.winogradApplies(p.dt, p.C, w.shape, g)) return winoKernels!.conv2dInputGrad(gy, w, xshape, g);
  return stored(p.dt, scratch(() => {
    const wp = materialize(w, p.dt), gt = transposed(p, gy), dx = zeroed(p, n);
    const [col, ws] = columns(p, [p.Kg, p.U * p.S, p.Og]);
    for (let n0 = 0; n0 < p.N; n0 += p.Nc) inputChunk(p, wp, gt, col, dx, n0, Math.min(p.Nc, p.N - n0), ws);
    return take(dx, p.dt, n);
  }));
};

const conv2dWeightGrad: ConvKernels['conv2dWeightGrad'] = (x, gy, wshape, g) => {
  const p = problem(x.dtype, x.shape, wshape, gy.shape[2], gy.shape[3], g);
  const n = p.O * p.Kg;
  if (n === 0 || p.N * p.S === 0) return zeros(p.dt, n);
  if (wino?.winogradApplies(p.dt, p.C, wshape, g)) return winoKernels!.conv2dWeightGrad(x, gy, wshape, g);
  return stored(p.dt, scratch(() => {
    const xp = materialize(x, p.dt), gt = transposed(p, gy), dw = result(n * p.es);
    const [col, ws] = columns(p, [p.Og, p.Kg, p.U * p.S]);
    for (let n0 = 0; n0 < p.N; n0 += p.Nc) {
      const nc = Math.min(p.Nc, p.N - n0);
      im2col(p, xp, col, n0, nc);
      weightChunk(p, gt, col, dw, n0, nc, ws);
    }
    return take(dw, p.dt, n);
  }));
};

export const conv: ConvKernels = {
  conv2d(x, w, b, g, OH, OW) {
    const p = problem(x.dtype, x.shape, w.shape, OH, OW, g);
    const n = p.N * p.O * p.S;
    if (n === 0) return zeros(p.dt, n);
    if (p.C > 0 && wino?.winogradApplies(p.dt, p.C, w.shape, g)) return winoKernels!.conv2d(x, w, b, g, OH, OW);
    return stored(p.dt, scratch(() => {
      const xp = materialize(x, p.dt), wp = materialize(w, p.dt), bp = b ? materialize(b, p.dt) : 0;
      const t = (p.own ? result : alloc)(n * p.es);
      const [col, ws] = columns(p, [p.Og, p.U * p.S, p.Kg]);
      for (let n0 = 0; n0 < p.N; n0 += p.Nc) {
        const nc = Math.min(p.Nc, p.N - n0);
        im2col(p, xp, col, n0, nc);
        forwardChunk(p, wp, col, t, n0, nc, ws);
      }
      if (!p.own) {
        const y = result(n * p.es);
        p.cnsToNcs(t, y, bp, p.N, p.O, p.S);
        return take(y, p.dt, n);
      }
      // t is y already: the bias goes in in place (cns_to_ncs of one sample keeps its layout)
      if (bp) for (let i = 0; i < p.N; i++) p.cnsToNcs(t + i * p.O * p.S * p.es, t + i * p.O * p.S * p.es, bp, 1, p.O, p.S);
      return take(t, p.dt, n);
    }));
  },
  conv2dInputGrad,
  conv2dWeightGrad,
  /** gy is transposed once; per batch chunk the columns of x feed the weight gradient, then the same buffer takes the input gradient's. */
  conv2dGrads(x, w, gy, g) {
    const p = problem(x.dtype, x.shape, w.shape, gy.shape[2], gy.shape[3], g);
    const nx = p.N * p.C * p.H * p.W, nw = p.O * p.Kg;
    if (nx === 0 || nw === 0 || p.N * p.S === 0 || wino?.winogradApplies(p.dt, p.C, w.shape, g)) {
      return [conv2dInputGrad(gy, w, x.shape, g), conv2dWeightGrad(x, gy, w.shape, g)];
    }
    const [dx, dw] = scratch(() => {
      const xp = materialize(x, p.dt), wp = materialize(w, p.dt), gt = transposed(p, gy);
      const dxp = zeroed(p, nx), dwp = result(nw * p.es);
      const [col, ws] = columns(p, [p.Og, p.Kg, p.U * p.S], [p.Kg, p.U * p.S, p.Og]);
      for (let n0 = 0; n0 < p.N; n0 += p.Nc) {
        const nc = Math.min(p.Nc, p.N - n0);
        im2col(p, xp, col, n0, nc);
        weightChunk(p, gt, col, dwp, n0, nc, ws);
        inputChunk(p, wp, gt, col, dxp, n0, nc, ws);
      }
      return [take(dxp, p.dt, nx), take(dwp, p.dt, nw)];
    });
    return [stored(p.dt, dx), stored(p.dt, dw)];
  },
};

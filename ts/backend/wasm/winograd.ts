// Winograd F(2x2, 3x3) for the wasm backend's float32 3x3 stride-1 convolutions (transforms in
// assembly/winograd.ts): each output costs 4 multiplies per input channel instead of im2col's 9, in
// 16 GEMMs of [K, C] x [C, tiles] per batch chunk. Forward and input gradient run the same driver
// (the input gradient is the correlation of dy with the flipped, transposed filters); the weight
// gradient sums the GEMMs dM[xi] V[xi]^T over the batch. Chunks of samples keep the transformed
// tiles (V, M) within CHUNK_BYTES per thread (the weight gradient's chunks, whose boundaries set the
// order of its sums, take a fixed two budgets); each transform runs by slices of samples on the
// threads (bySlices, a workspace per sample) and the 16 GEMMs of a chunk go to the threads in one
// dispatch, whole, so results do not depend on the thread count. This module and the transforms'
// wasm (an add-on module) are a chunk of their own, which conv.ts imports where the add-on loaded:
// the main browser file carries neither. It imports no values (conv.ts awaits it while the main
// chunk loads, which a chunk importing back would deadlock): winogradKernels() takes the backend
// functions it uses.
import type { ConvGeometry, ConvKernels } from '../kernels/conv.js';
import type { Storage } from '../storage.js';
import type { View } from '../view.js';
import type { DType, TypedArray } from '../../dtype.js';

/** What the driver uses of the backend (runtime.ts, scratch.ts, gemm_split.ts, threads.ts, storage.ts). */
export interface Backend {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  K: Record<string, (...args: any[]) => any>;
  alloc(bytes: number): number;
  result(bytes: number): number;
  scratch<T>(fn: () => T): T;
  take(ptr: number, dtype: DType, n: number): TypedArray;
  materialize(v: View, dtype: DType): number;
  stored(data: TypedArray): Storage;
  gemmBlocks(calls: number[], nb: number, m: number, n: number, k: number, a: number, sa0: number, sa1: number,
    b: number, sb0: number, sb1: number, c: number, es: number, beta?: number, ldc?: number): void;
  runGemms(fn: string, calls: number[], ws: number): void;
  bySlices(fn: string, total: number, bytes: number, args: (first: number, count: number) => number[]): void;
  threads(): number;
}
let be: Backend;

const XI = 16; // transformed positions per tile (4 x 4)
const F = 4; // bytes per float32
let CHUNK_BYTES = 1 << 19;
let MIN_CHANNELS = 16;
/** Tuning hook: the budget of one chunk's transformed tiles per thread, in bytes (a sample's at least). */
export function _setWinogradChunkBytes(b: number): void { CHUNK_BYTES = b; }
/** Test hook: the fewest input and output channels that take Winograd (Infinity: never). */
export function _setWinogradMinChannels(n: number): void { MIN_CHANNELS = n; }

/**
 * Whether a float32 convolution of x [N, C, H, W] with w [O, C, kh, kw] takes Winograd: 3x3, stride 1,
 * no dilation, one group, padding at most 2, and at least MIN_CHANNELS channels in and out (fewer
 * make GEMMs too thin for the transforms to pay).
 */
export function winogradApplies(dtype: string, C: number, w: readonly number[], g: ConvGeometry): boolean {
  return dtype === 'float32' && w[2] === 3 && w[3] === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1 &&
    g.groups === 1 && g.pt >= 0 && g.pt <= 2 && g.pl >= 0 && g.pl <= 2 && Math.min(C, w[0]) >= MIN_CHANNELS;
}

/** One chunked pass: N samples whose output is OH x OW, T tiles each, Nc samples per chunk (P = Nc * T tiles). */
interface Tiles { N: number; OH: number; OW: number; T: number; Nc: number; P: number }

function tiles(N: number, OH: number, OW: number, rows: number, perThread: boolean): Tiles {
  const T = ((OH + 1) >> 1) * ((OW + 1) >> 1), per = Math.max(1, Math.floor(CHUNK_BYTES / (XI * rows * T * F)));
  // a chunk per thread where the chunks do not change the sums (forward); else a fixed number
  const Nc = Math.min(N, per * (perThread ? be.threads() : 2));
  return { N, OH, OW, T, Nc, P: Nc * T };
}

/** A GEMM workspace for the products of every chunk, [m, tiles, k] or (tilesInner) [m, n, tiles]. */
function gemmSpace(t: Tiles, m: number, n: number, tilesInner: boolean): number {
  const size = (nc: number): number => tilesInner ? be.K.gemm_f32_workspace(m, n, nc * t.T) : be.K.gemm_f32_workspace(m, nc * t.T, n);
  return be.alloc(Math.max(size(t.Nc), size(t.N - Math.floor((t.N - 1) / t.Nc) * t.Nc)));
}

/**
 * Workspaces of `bytes` for the samples of a chunk, one each: a slice of samples from the chunk's
 * `first` uses the one at ws(first), so the threads' slices never share one.
 */
function perSample(t: Tiles, bytes: number): (first: number) => number {
  const base = be.alloc(t.Nc * bytes);
  return (first) => base + first * bytes;
}

/** V of samples [n0, n0 + nc) of x ([N, C, H, W] at xp) into v (rows of t.P); ws: perSample of wino_input_f32_workspace. */
function inputTiles(t: Tiles, xp: number, v: number, n0: number, nc: number, C: number, H: number, W: number, pt: number, pl: number,
  ws: (first: number) => number): void {
  const sample = C * H * W * F;
  be.bySlices('wino_input_f32', nc, nc * sample * 4, (a, cnt) =>
    [xp + (n0 + a) * sample, v + a * t.T * F, cnt, C, H, W, t.OH, t.OW, pt, pl, t.P, ws(a)]);
}

/**
 * y [N, O, OH, OW] (+ bias at bp, 0: none) = the correlation of x [N, C, H, W] (at xp, top/left
 * padding pt, pl) with the filters whose transforms u holds ([16][O][C]).
 */
function forward(xp: number, u: number, bp: number, y: number, N: number, C: number, H: number, W: number,
  O: number, OH: number, OW: number, pt: number, pl: number): void {
  const t = tiles(N, OH, OW, C + O, true);
  const v = be.alloc(XI * C * t.P * F), m = be.alloc(XI * O * t.P * F + 16); // M's last vector reads past its tiles
  const out = O * OH * OW * F, ws = gemmSpace(t, O, C, false);
  const wsIn = perSample(t, be.K.wino_input_f32_workspace(OH, OW)), wsOut = perSample(t, be.K.wino_tiles_workspace(OH, OW));
  for (let n0 = 0; n0 < N; n0 += t.Nc) {
    const nc = Math.min(t.Nc, N - n0), calls: number[] = [];
    inputTiles(t, xp, v, n0, nc, C, H, W, pt, pl, wsIn);
    for (let xi = 0; xi < XI; xi++) {
      be.gemmBlocks(calls, XI, O, nc * t.T, C, u + xi * O * C * F, C, 1, v + xi * C * t.P * F, t.P, 1, m + xi * O * t.P * F, F, 0, t.P);
    }
    be.runGemms('gemm_f32', calls, ws);
    be.bySlices('wino_output_f32', nc, nc * out * 2, (a, cnt) => [m + a * t.T * F, y + (n0 + a) * out, bp, cnt, O, OH, OW, t.P, wsOut(a)]);
  }
}

/** u [16][O][C] = the transforms of w [O, C, 3, 3] (flip: of the input gradient's filters, [16][C][O]). */
function filters(wp: number, O: number, C: number, flip: boolean): number {
  const u = be.alloc(XI * O * C * F);
  be.K.wino_filter_f32(wp, u, O, C, flip ? 1 : 0, be.alloc(64));
  return u;
}

/** dw [O, C, 3, 3] (at dw) = the gradient wrt w of the correlation of x [N, C, H, W] with w, for dy [N, O, OH, OW]. */
function weightGrad(xp: number, gyp: number, dw: number, N: number, C: number, H: number, W: number,
  O: number, OH: number, OW: number, pt: number, pl: number): void {
  const t = tiles(N, OH, OW, C + O, false);
  const v = be.alloc(XI * C * t.P * F), dm = be.alloc(XI * O * t.P * F), du = be.alloc(XI * O * C * F);
  const out = O * OH * OW * F, ws = gemmSpace(t, O, C, true);
  const wsIn = perSample(t, be.K.wino_input_f32_workspace(OH, OW)), wsGrad = perSample(t, be.K.wino_tiles_workspace(OH, OW));
  for (let n0 = 0; n0 < N; n0 += t.Nc) {
    const nc = Math.min(t.Nc, N - n0), calls: number[] = [];
    inputTiles(t, xp, v, n0, nc, C, H, W, pt, pl, wsIn);
    be.bySlices('wino_grad_f32', nc, nc * out * 3, (a, cnt) => [gyp + (n0 + a) * out, dm + a * t.T * F, cnt, O, OH, OW, t.P, wsGrad(a)]);
    // dU[xi] (+)= dM[xi] V[xi]^T: the first chunk sets, later ones add
    for (let xi = 0; xi < XI; xi++) {
      be.gemmBlocks(calls, XI, O, C, nc * t.T, dm + xi * O * t.P * F, t.P, 1, v + xi * C * t.P * F, 1, t.P, du + xi * O * C * F, F, n0 ? 1 : 0, C);
    }
    be.runGemms('gemm_f32', calls, ws);
  }
  be.K.wino_filter_grad_f32(du, dw, O, C, be.alloc(64));
}

type Conv = Pick<ConvKernels, 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad'>;

/** conv.ts's kernels where winogradApplies (float32, non-empty shapes), over the backend `b`. */
export function winogradKernels(b: Backend): Conv {
  be = b;
  return winograd;
}

const winograd: Conv = {
  conv2d(x, w, b, g, OH, OW) {
    const [N, C, H, W] = x.shape, O = w.shape[0], n = N * O * OH * OW;
    return be.stored(be.scratch(() => {
      const xp = be.materialize(x, 'float32'), wp = be.materialize(w, 'float32'), bp = b ? be.materialize(b, 'float32') : 0, y = be.result(n * F);
      forward(xp, filters(wp, O, C, false), bp, y, N, C, H, W, O, OH, OW, g.pt, g.pl);
      return be.take(y, 'float32', n);
    }));
  },
  /** the correlation of gy with the flipped, transposed filters, padded by 2 - pt, 2 - pl */
  conv2dInputGrad(gy, w, xshape, g) {
    const [N, C, H, W] = xshape, [, O, OH, OW] = gy.shape, n = N * C * H * W;
    return be.stored(be.scratch(() => {
      const wp = be.materialize(w, 'float32'), gyp = be.materialize(gy, 'float32'), dx = be.result(n * F);
      forward(gyp, filters(wp, O, C, true), 0, dx, N, O, OH, OW, C, H, W, 2 - g.pt, 2 - g.pl);
      return be.take(dx, 'float32', n);
    }));
  },
  conv2dWeightGrad(x, gy, wshape, g) {
    const [N, C, H, W] = x.shape, [, O, OH, OW] = gy.shape, n = O * C * 9;
    return be.stored(be.scratch(() => {
      const xp = be.materialize(x, 'float32'), gyp = be.materialize(gy, 'float32'), dw = be.result(n * F);
      weightGrad(xp, gyp, dw, N, C, H, W, O, OH, OW, g.pt, g.pl);
      return be.take(dw, 'float32', n);
    }));
  },
};

// Winograd F(2x2, 3x3) for the wasm backend's float32 3x3 stride-1 convolutions (transforms in
// assembly/winograd.ts): each output costs 4 multiplies per input channel instead of im2col's 9, in
// 16 GEMMs of [K, C] x [C, tiles] per batch chunk. Forward and input gradient run the same driver
// (the input gradient is the correlation of dy with the flipped, transposed filters); the weight
// gradient sums the GEMMs dM[xi] V[xi]^T over the batch. Chunks of samples keep the transformed
// tiles (V, M) within CHUNK_BYTES; each transform runs by slices of samples on the threads and the
// 16 GEMMs of a chunk go to the threads in one dispatch, whole, so results do not depend on the
// thread count. Measured on the current MNIST net (32 -> 64 channels, 26 x 26): see bench/RESULTS.md.
import type { ConvGeometry } from '../kernels/conv.js';
import { K, alloc } from './runtime.js';
import { gemmBlocks, runGemms } from './gemm_split.js';
import { bySlices } from './threads.js';

const XI = 16;
const F = 4; // bytes per float32
let CHUNK_BYTES = 1 << 21;
let MIN_CHANNELS = 16;
/** Tuning hook: the budget of one chunk's transformed tiles, in bytes. */
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

function tiles(N: number, OH: number, OW: number, rows: number): Tiles {
  const T = ((OH + 1) >> 1) * ((OW + 1) >> 1);
  const Nc = Math.max(1, Math.min(N, Math.floor(CHUNK_BYTES / (XI * rows * T * F))));
  return { N, OH, OW, T, Nc, P: Nc * T };
}

/** A GEMM workspace for the products of every chunk, [m, tiles, k] or (tilesInner) [m, n, tiles]. */
function gemmSpace(t: Tiles, m: number, n: number, tilesInner: boolean): number {
  const size = (nc: number): number => tilesInner ? K.gemm_f32_workspace(m, n, nc * t.T) : K.gemm_f32_workspace(m, nc * t.T, n);
  return alloc(Math.max(size(t.Nc), size(t.N - Math.floor((t.N - 1) / t.Nc) * t.Nc)));
}

/** V of samples [n0, n0 + nc) of x ([N, C, H, W] at xp) into v (rows of t.P). */
function inputTiles(t: Tiles, xp: number, v: number, n0: number, nc: number, C: number, H: number, W: number, pt: number, pl: number): void {
  const sample = C * H * W * F;
  bySlices('wino_input_f32', nc, nc * sample * 4, (a, cnt) =>
    [xp + (n0 + a) * sample, v + a * t.T * F, cnt, C, H, W, t.OH, t.OW, pt, pl, t.P, 0], 1, K.wino_input_f32_workspace(t.OW));
}

/**
 * y [N, O, OH, OW] (+ bias at bp, 0: none) = the correlation of x [N, C, H, W] (at xp, top/left
 * padding pt, pl) with the filters whose transforms u holds ([16][O][C]).
 */
export function winogradForward(xp: number, u: number, bp: number, y: number, N: number, C: number, H: number, W: number,
  O: number, OH: number, OW: number, pt: number, pl: number): void {
  const t = tiles(N, OH, OW, C + O);
  const v = alloc(XI * C * t.P * F), m = alloc(XI * O * t.P * F + 16); // M's last vector reads past its tiles
  const out = O * OH * OW * F, ws = gemmSpace(t, O, C, false);
  for (let n0 = 0; n0 < N; n0 += t.Nc) {
    const nc = Math.min(t.Nc, N - n0), calls: number[] = [];
    inputTiles(t, xp, v, n0, nc, C, H, W, pt, pl);
    for (let xi = 0; xi < XI; xi++) {
      gemmBlocks(calls, XI, O, nc * t.T, C, u + xi * O * C * F, C, 1, v + xi * C * t.P * F, t.P, 1, m + xi * O * t.P * F, F, 0, t.P);
    }
    runGemms('gemm_f32', calls, ws);
    bySlices('wino_output_f32', nc, nc * out * 2, (a, cnt) => [m + a * t.T * F, y + (n0 + a) * out, bp, cnt, O, OH, OW, t.P]);
  }
}

/** u [16][O][C] = the transforms of w [O, C, 3, 3] (flip: of the input gradient's filters, [16][C][O]). */
export function winogradFilters(wp: number, O: number, C: number, flip: boolean): number {
  const u = alloc(XI * O * C * F);
  K.wino_filter_f32(wp, u, O, C, flip ? 1 : 0);
  return u;
}

/** dw [O, C, 3, 3] (at dw) = the gradient wrt w of the correlation of x [N, C, H, W] with w, for dy [N, O, OH, OW]. */
export function winogradWeightGrad(xp: number, gyp: number, dw: number, N: number, C: number, H: number, W: number,
  O: number, OH: number, OW: number, pt: number, pl: number): void {
  const t = tiles(N, OH, OW, C + O);
  const v = alloc(XI * C * t.P * F), dm = alloc(XI * O * t.P * F), du = alloc(XI * O * C * F);
  const out = O * OH * OW * F, ws = gemmSpace(t, O, C, true);
  for (let n0 = 0; n0 < N; n0 += t.Nc) {
    const nc = Math.min(t.Nc, N - n0), calls: number[] = [];
    inputTiles(t, xp, v, n0, nc, C, H, W, pt, pl);
    bySlices('wino_grad_f32', nc, nc * out * 5, (a, cnt) => [gyp + (n0 + a) * out, dm + a * t.T * F, cnt, O, OH, OW, t.P]);
    // dU[xi] (+)= dM[xi] V[xi]^T: the first chunk sets, later ones add
    for (let xi = 0; xi < XI; xi++) {
      gemmBlocks(calls, XI, O, C, nc * t.T, dm + xi * O * t.P * F, t.P, 1, v + xi * C * t.P * F, 1, t.P, du + xi * O * C * F, F, n0 ? 1 : 0, C);
    }
    runGemms('gemm_f32', calls, ws);
  }
  K.wino_filter_grad_f32(du, dw, O, C);
}

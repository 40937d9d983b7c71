// Convolutions on webgpu: im2col + the tiled matrix product, as the CPU does it
// (ts/nn/functional/conv.ts), with the layout kernels of gpu/wgsl/conv.ts. Groups are the batch
// dimension of one product; the batch is cut into chunks whose column matrix fits convTuning.colBytes.
//   forward        t[g][Og, N*S] = w[g][Og, Kg] @ col[g][Kg, N*S], then y = t as [N, O, S] + bias
//   input grad     col[g] = w[g]^T @ gt[g] (gt = gy as [O, N*S]), then col2im gathers into dx
//   weight grad    dw[g] += gt[g] @ col[g]^T, summed over the batch chunks
import type { ConvKernels } from '../ts/backend/kernels/conv.js';
import type { Tensor } from '../ts/tensor.js';
import { numel } from '../ts/shape.js';
import { mixedDeviceError } from '../ts/device.js';
import { dispatch, acquire, release, clear, limits, Params, wg } from './runtime.js';
import { emptyGpu, contiguous } from './tensor.js';
import { word } from './wgsl/types.js';
import { gemmGpu } from './matmul.js';
import {
  im2colKey, im2colSource, col2imKey, col2imSource, cnsToNcsKey, cnsToNcsSource, ncsToCnsKey, ncsToCnsSource,
} from './wgsl/conv.js';

/** Strides, top/left padding, dilations, groups (the CPU's Geo). */
export interface ConvGeo { sh: number; sw: number; pt: number; pl: number; dh: number; dw: number; groups: number }

/** Tuning and test hook: the column-matrix budget per batch chunk, in bytes. */
export const convTuning = { colBytes: 64 * 2 ** 20 };

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/** Every tensor of a GPU convolution must be a float32 webgpu tensor. */
function checkGpu(op: string, ...ts: (Tensor | null)[]): void {
  for (const t of ts) {
    if (!t) continue;
    if (!t.is_webgpu) throw mixedDeviceError(op, 'webgpu', t.device.type);
    word(t.dtype, op);
  }
}

/** Geometry of one problem. */
interface Dims { N: number; C: number; H: number; W: number; O: number; kh: number; kw: number; OH: number; OW: number }

function chunkOf(d: Dims): number {
  const perSample = d.C * d.kh * d.kw * d.OH * d.OW * 4;
  const budget = Math.min(convTuning.colBytes, limits.maxStorageBinding);
  return Math.max(1, Math.min(d.N, Math.floor(budget / Math.max(1, perSample))));
}

/** Columns of x's samples [n0, n0 + nc) into col. */
function im2col(x: Tensor, col: GPUBuffer, n0: number, nc: number, d: Dims, g: ConvGeo): void {
  const S = d.OH * d.OW, total = d.C * d.kh * d.kw * nc * S, W = wg();
  const [sN, sC, sH, sW] = x._strides;
  dispatch(im2colKey(W), () => im2colSource(W), [x._gpu(), col],
    new Params().i(total, nc * S, S, d.OW, d.C, d.H, d.W, d.kh, d.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, x._offset + n0 * sN, sN, sC, sH, sW),
    cdiv(total, W));
}

/** Gathers the columns of samples [n0, n0 + nc) into the contiguous dx. */
function col2im(col: GPUBuffer, dx: Tensor, n0: number, nc: number, d: Dims, g: ConvGeo): void {
  const S = d.OH * d.OW, total = nc * d.C * d.H * d.W, W = wg();
  dispatch(col2imKey(W), () => col2imSource(W), [col, dx._gpu()],
    new Params().i(total, nc * S, S, d.OW, d.C, d.H, d.W, d.kh, d.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, n0 * d.C * d.H * d.W, d.OH),
    cdiv(total, W));
}

/** gy [N, O, OH, OW] (any strides) as a new [O, N*S] buffer. */
function ncsToCns(gy: Tensor): GPUBuffer {
  const [N, O, OH, OW] = gy.shape, S = OH * OW, total = O * N * S, W = wg();
  const t = acquire(total * 4);
  dispatch(ncsToCnsKey(W), () => ncsToCnsSource(W), [gy._gpu(), t],
    new Params().i(total, N, S, OW, gy._offset, ...gy._strides), cdiv(total, W));
  return t;
}

const dimsOf = (xshape: readonly number[], wshape: readonly number[], OH: number, OW: number): Dims => {
  const [N, C, H, W] = xshape, [O, , kh, kw] = wshape;
  return { N, C, H, W, O, kh, kw, OH, OW };
};

/** y[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C/g, kh, kw]) + b */
export function convGpu(x: Tensor, w: Tensor, b: Tensor | null, g: ConvGeo, OH: number, OW: number): Tensor {
  checkGpu('conv2d', x, w, b);
  const d = dimsOf(x.shape, w.shape, OH, OW);
  const { N, O, kh, kw } = d, Cg = w.shape[1];
  const S = OH * OW, Kg = Cg * kh * kw, Og = O / g.groups, G = g.groups;
  const y = emptyGpu(x.dtype, [N, O, OH, OW], 'conv2d');
  if (y.numel() === 0) return y;
  const wc = contiguous(w), bc = b ? contiguous(b) : null;
  const t = acquire(O * N * S * 4);
  const Nc = chunkOf(d);
  const col = acquire(colBytes(d, Nc));
  for (let n0 = 0; n0 < N; n0 += Nc) {
    const nc = Math.min(Nc, N - n0), cols = nc * S;
    im2col(x, col, n0, nc, d, g);
    gemmGpu({
      dtype: x.dtype, M: Og, N: cols, K: Kg, batch: [G],
      a: { buf: wc._gpu(), off: wc._offset, rs: Kg, cs: 1, batch: [Og * Kg] },
      b: { buf: col, off: 0, rs: cols, cs: 1, batch: [Kg * cols] },
      c: { buf: t, off: n0 * S, ld: N * S, batch: Og * N * S },
    });
  }
  const total = N * O * S, W = wg(), bias = !!bc;
  dispatch(cnsToNcsKey(bias, W), () => cnsToNcsSource(bias, W), bc ? [t, bc._gpu(), y._gpu()] : [t, y._gpu()],
    new Params().i(total, N, O, S, bc ? bc._offset : 0), cdiv(total, W));
  release(t); release(col);
  if (wc !== w) wc.dispose();
  if (bc && bc !== b) bc.dispose();
  return y;
}

/** The input gradient [xshape] of conv(x, w) for the output gradient gy. */
export function convInputGpu(gy: Tensor, w: Tensor, xshape: number[], g: ConvGeo): Tensor {
  checkGpu('conv2d', gy, w);
  const dx = emptyGpu(gy.dtype, xshape, 'conv2d');
  const n = numel(xshape);
  if (n === 0) return dx;
  const d = dimsOf(xshape, w.shape, gy.shape[2], gy.shape[3]);
  if (d.OH * d.OW === 0 || d.O === 0) { clear(dx._gpu(), 0, n * 4); return dx; }
  const gt = ncsToCns(gy);
  const wc = contiguous(w);
  const col = acquire(colBytes(d, chunkOf(d)));
  inputGradChunks(gt, wc, dx, col, d, w.shape[1], g);
  release(gt); release(col);
  if (wc !== w) wc.dispose();
  return dx;
}

/** The weight gradient [wshape] of conv(x, w) for the output gradient gy. */
export function convWeightGpu(x: Tensor, gy: Tensor, wshape: number[], g: ConvGeo): Tensor {
  checkGpu('conv2d', x, gy);
  const dw = emptyGpu(x.dtype, wshape, 'conv2d');
  const n = numel(wshape);
  if (n === 0) return dw;
  const d = dimsOf(x.shape, wshape, gy.shape[2], gy.shape[3]);
  if (d.N * d.OH * d.OW === 0) { clear(dw._gpu(), 0, n * 4); return dw; }
  const gt = ncsToCns(gy);
  const Nc = chunkOf(d);
  const col = acquire(colBytes(d, Nc));
  for (let n0 = 0; n0 < d.N; n0 += Nc) {
    const nc = Math.min(Nc, d.N - n0);
    im2col(x, col, n0, nc, d, g);
    weightGradChunk(gt, col, dw, n0, nc, d, wshape[1], g);
  }
  release(gt); release(col);
  return dw;
}

/** Both gradients of conv(x, w): gy is transposed once, and each chunk's columns serve both. */
export function convBothGpu(x: Tensor, w: Tensor, gy: Tensor, g: ConvGeo): [Tensor, Tensor] {
  checkGpu('conv2d', x, w, gy);
  const d = dimsOf(x.shape, w.shape, gy.shape[2], gy.shape[3]);
  if (x.numel() === 0 || w.numel() === 0 || d.N * d.OH * d.OW === 0) {
    return [convInputGpu(gy, w, [...x.shape], g), convWeightGpu(x, gy, [...w.shape], g)];
  }
  const dx = emptyGpu(x.dtype, [...x.shape], 'conv2d'), dw = emptyGpu(x.dtype, [...w.shape], 'conv2d');
  const gt = ncsToCns(gy);
  const wc = contiguous(w);
  const Nc = chunkOf(d);
  const col = acquire(colBytes(d, Nc));
  const Cg = w.shape[1];
  for (let n0 = 0; n0 < d.N; n0 += Nc) {
    const nc = Math.min(Nc, d.N - n0);
    im2col(x, col, n0, nc, d, g);
    weightGradChunk(gt, col, dw, n0, nc, d, Cg, g);
    inputGradChunk(gt, wc, dx, col, n0, nc, d, Cg, g);
  }
  release(gt); release(col);
  if (wc !== w) wc.dispose();
  return [dx, dw];
}

const colBytes = (d: Dims, nc: number): number => d.C * d.kh * d.kw * nc * d.OH * d.OW * 4;

/** dw[g] (+)= gt[g][:, chunk] @ col[g]^T (the first chunk sets, later ones add) */
function weightGradChunk(gt: GPUBuffer, col: GPUBuffer, dw: Tensor, n0: number, nc: number, d: Dims, Cg: number, g: ConvGeo): void {
  const S = d.OH * d.OW, Kg = Cg * d.kh * d.kw, Og = d.O / g.groups, cols = nc * S;
  gemmGpu({
    dtype: dw.dtype, M: Og, N: Kg, K: cols, batch: [g.groups],
    a: { buf: gt, off: n0 * S, rs: d.N * S, cs: 1, batch: [Og * d.N * S] },
    b: { buf: col, off: 0, rs: 1, cs: cols, batch: [Kg * cols] },
    c: { buf: dw._gpu(), off: 0, ld: Kg, batch: Og * Kg },
    acc: n0 > 0,
  });
}

/** col[g] = w[g]^T @ gt[g][:, chunk], gathered into dx's samples of the chunk */
function inputGradChunk(gt: GPUBuffer, wc: Tensor, dx: Tensor, col: GPUBuffer, n0: number, nc: number, d: Dims, Cg: number, g: ConvGeo): void {
  const S = d.OH * d.OW, Kg = Cg * d.kh * d.kw, Og = d.O / g.groups, cols = nc * S;
  gemmGpu({
    dtype: dx.dtype, M: Kg, N: cols, K: Og, batch: [g.groups],
    a: { buf: wc._gpu(), off: wc._offset, rs: 1, cs: Kg, batch: [Og * Kg] },
    b: { buf: gt, off: n0 * S, rs: d.N * S, cs: 1, batch: [Og * d.N * S] },
    c: { buf: col, off: 0, ld: cols, batch: Kg * cols },
  });
  col2im(col, dx, n0, nc, d, g);
}

function inputGradChunks(gt: GPUBuffer, wc: Tensor, dx: Tensor, col: GPUBuffer, d: Dims, Cg: number, g: ConvGeo): void {
  const Nc = chunkOf(d);
  for (let n0 = 0; n0 < d.N; n0 += Nc) inputGradChunk(gt, wc, dx, col, n0, Math.min(Nc, d.N - n0), d, Cg, g);
}

/** The webgpu backend's conv kernels (being moved behind the seam). */
export const conv: ConvKernels = {};

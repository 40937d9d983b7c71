// Convolutions on webgpu: im2col + the tiled matrix product, as the wasm backend does it
// (ts/backend/wasm/conv.ts), with the layout kernels of gpu/wgsl/conv.ts. Groups are the batch
// dimension of one product; the batch is cut into chunks whose column matrix fits convTuning.colBytes.
//   forward        t[g][Og, N*S] = w[g][Og, Kg] @ col[g][Kg, N*S], then y = t as [N, O, S] + bias
//   input grad     col[g] = w[g]^T @ gt[g] (gt = gy as [O, N*S]), then col2im gathers into dx
//   weight grad    dw[g] += gt[g] @ col[g]^T, summed over the batch chunks
import type { ConvKernels, ConvGeometry as ConvGeo } from '../ts/backend/kernels/conv.js';
import type { View } from '../ts/backend/view.js';
import type { DType } from '../ts/dtype.js';
import type { Storage } from '../ts/backend/storage.js';
import { numel } from '../ts/shape.js';
import { dispatch, acquire, release, clear, limits, Params, wg } from './runtime.js';
import { emptyStorage, bufferOf, contiguousView, done } from './memory.js';
import { word } from './wgsl/types.js';
import { gemmGpu } from './matmul.js';
import {
  im2colKey, im2colSource, col2imKey, col2imSource, cnsToNcsKey, cnsToNcsSource, ncsToCnsKey, ncsToCnsSource,
} from './wgsl/conv.js';

/** Tuning and test hook: the column-matrix budget per batch chunk, in bytes. */
export const convTuning = { colBytes: 64 * 2 ** 20 };

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/** Every operand of a GPU convolution must be a live float32 webgpu view (the op layer checked the device). */
function checkOperands(op: string, ...vs: (View | null)[]): void {
  for (const v of vs) {
    if (!v) continue;
    bufferOf(v);
    word(v.dtype, op);
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
function im2col(x: View, col: GPUBuffer, n0: number, nc: number, d: Dims, g: ConvGeo): void {
  const S = d.OH * d.OW, total = d.C * d.kh * d.kw * nc * S, W = wg();
  const [sN, sC, sH, sW] = x._strides;
  dispatch(im2colKey(W), () => im2colSource(W), [bufferOf(x), col],
    new Params().i(total, nc * S, S, d.OW, d.C, d.H, d.W, d.kh, d.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, x._offset + n0 * sN, sN, sC, sH, sW),
    cdiv(total, W));
}

/** Gathers the columns of samples [n0, n0 + nc) into the contiguous dx. */
function col2im(col: GPUBuffer, dx: GPUBuffer, n0: number, nc: number, d: Dims, g: ConvGeo): void {
  const S = d.OH * d.OW, total = nc * d.C * d.H * d.W, W = wg();
  dispatch(col2imKey(W), () => col2imSource(W), [col, dx],
    new Params().i(total, nc * S, S, d.OW, d.C, d.H, d.W, d.kh, d.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, n0 * d.C * d.H * d.W, d.OH),
    cdiv(total, W));
}

/** gy [N, O, OH, OW] (any strides) as a new [O, N*S] buffer. */
function ncsToCns(gy: View): GPUBuffer {
  const [N, O, OH, OW] = gy.shape, S = OH * OW, total = O * N * S, W = wg();
  const t = acquire(total * 4);
  dispatch(ncsToCnsKey(W), () => ncsToCnsSource(W), [bufferOf(gy), t],
    new Params().i(total, N, S, OW, gy._offset, ...gy._strides), cdiv(total, W));
  return t;
}

const dimsOf = (xshape: readonly number[], wshape: readonly number[], OH: number, OW: number): Dims => {
  const [N, C, H, W] = xshape, [O, , kh, kw] = wshape;
  return { N, C, H, W, O, kh, kw, OH, OW };
};

/** y[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C/g, kh, kw]) + b */
function conv2d(x: View, w: View, b: View | null, g: ConvGeo, OH: number, OW: number): Storage {
  checkOperands('conv2d', x, w, b);
  const d = dimsOf(x.shape, w.shape, OH, OW);
  const { N, O, kh, kw } = d, Cg = w.shape[1];
  const S = OH * OW, Kg = Cg * kh * kw, Og = O / g.groups, G = g.groups;
  const y = emptyStorage(x.dtype, N * O * S, 'conv2d');
  if (y.length === 0) return y;
  const wc = contiguousView(w), bc = b ? contiguousView(b) : null;
  const t = acquire(O * N * S * 4);
  const Nc = chunkOf(d);
  const col = acquire(colBytes(d, Nc));
  for (let n0 = 0; n0 < N; n0 += Nc) {
    const nc = Math.min(Nc, N - n0), cols = nc * S;
    im2col(x, col, n0, nc, d, g);
    gemmGpu({
      dtype: x.dtype, M: Og, N: cols, K: Kg, batch: [G],
      a: { buf: bufferOf(wc), off: wc._offset, rs: Kg, cs: 1, batch: [Og * Kg] },
      b: { buf: col, off: 0, rs: cols, cs: 1, batch: [Kg * cols] },
      c: { buf: t, off: n0 * S, ld: N * S, batch: Og * N * S },
    });
  }
  const total = N * O * S, W = wg(), bias = !!bc;
  dispatch(cnsToNcsKey(bias, W), () => cnsToNcsSource(bias, W), bc ? [t, bufferOf(bc), y.buffer!] : [t, y.buffer!],
    new Params().i(total, N, O, S, bc ? bc._offset : 0), cdiv(total, W));
  release(t); release(col);
  done(w, wc);
  if (b && bc) done(b, bc);
  return y;
}

/** The input gradient [xshape] of conv(x, w) for the output gradient gy. */
function conv2dInputGrad(gy: View, w: View, xshape: readonly number[], g: ConvGeo): Storage {
  checkOperands('conv2d', gy, w);
  const n = numel(xshape);
  const dx = emptyStorage(gy.dtype, n, 'conv2d');
  if (n === 0) return dx;
  const d = dimsOf(xshape, w.shape, gy.shape[2], gy.shape[3]);
  if (d.OH * d.OW === 0 || d.O === 0) { clear(dx.buffer!, 0, n * 4); return dx; }
  const gt = ncsToCns(gy);
  const wc = contiguousView(w);
  const col = acquire(colBytes(d, chunkOf(d)));
  inputGradChunks(gt, wc, dx.buffer!, col, d, w.shape[1], g);
  release(gt); release(col);
  done(w, wc);
  return dx;
}

/** The weight gradient [wshape] of conv(x, w) for the output gradient gy. */
function conv2dWeightGrad(x: View, gy: View, wshape: readonly number[], g: ConvGeo): Storage {
  checkOperands('conv2d', x, gy);
  const n = numel(wshape);
  const dw = emptyStorage(x.dtype, n, 'conv2d');
  if (n === 0) return dw;
  const d = dimsOf(x.shape, wshape, gy.shape[2], gy.shape[3]);
  if (d.N * d.OH * d.OW === 0) { clear(dw.buffer!, 0, n * 4); return dw; }
  const gt = ncsToCns(gy);
  const Nc = chunkOf(d);
  const col = acquire(colBytes(d, Nc));
  for (let n0 = 0; n0 < d.N; n0 += Nc) {
    const nc = Math.min(Nc, d.N - n0);
    im2col(x, col, n0, nc, d, g);
    weightGradChunk(gt, col, dw.buffer!, x.dtype, n0, nc, d, wshape[1], g);
  }
  release(gt); release(col);
  return dw;
}

/** Both gradients of conv(x, w): gy is transposed once, and each chunk's columns serve both. */
function conv2dGrads(x: View, w: View, gy: View, g: ConvGeo): [Storage, Storage] {
  checkOperands('conv2d', x, w, gy);
  const d = dimsOf(x.shape, w.shape, gy.shape[2], gy.shape[3]);
  if (numel(x.shape) === 0 || numel(w.shape) === 0 || d.N * d.OH * d.OW === 0) {
    return [conv2dInputGrad(gy, w, x.shape, g), conv2dWeightGrad(x, gy, w.shape, g)];
  }
  const dx = emptyStorage(x.dtype, numel(x.shape), 'conv2d'), dw = emptyStorage(x.dtype, numel(w.shape), 'conv2d');
  const gt = ncsToCns(gy);
  const wc = contiguousView(w);
  const Nc = chunkOf(d);
  const col = acquire(colBytes(d, Nc));
  const Cg = w.shape[1];
  for (let n0 = 0; n0 < d.N; n0 += Nc) {
    const nc = Math.min(Nc, d.N - n0);
    im2col(x, col, n0, nc, d, g);
    weightGradChunk(gt, col, dw.buffer!, x.dtype, n0, nc, d, Cg, g);
    inputGradChunk(gt, wc, dx.buffer!, col, n0, nc, d, Cg, g);
  }
  release(gt); release(col);
  done(w, wc);
  return [dx, dw];
}

const colBytes = (d: Dims, nc: number): number => d.C * d.kh * d.kw * nc * d.OH * d.OW * 4;

/** dw[g] (+)= gt[g][:, chunk] @ col[g]^T (the first chunk sets, later ones add) */
function weightGradChunk(gt: GPUBuffer, col: GPUBuffer, dw: GPUBuffer, dtype: DType, n0: number, nc: number, d: Dims, Cg: number, g: ConvGeo): void {
  const S = d.OH * d.OW, Kg = Cg * d.kh * d.kw, Og = d.O / g.groups, cols = nc * S;
  gemmGpu({
    dtype, M: Og, N: Kg, K: cols, batch: [g.groups],
    a: { buf: gt, off: n0 * S, rs: d.N * S, cs: 1, batch: [Og * d.N * S] },
    b: { buf: col, off: 0, rs: 1, cs: cols, batch: [Kg * cols] },
    c: { buf: dw, off: 0, ld: Kg, batch: Og * Kg },
    acc: n0 > 0,
  });
}

/** col[g] = w[g]^T @ gt[g][:, chunk], gathered into dx's samples of the chunk */
function inputGradChunk(gt: GPUBuffer, wc: View, dx: GPUBuffer, col: GPUBuffer, n0: number, nc: number, d: Dims, Cg: number, g: ConvGeo): void {
  const S = d.OH * d.OW, Kg = Cg * d.kh * d.kw, Og = d.O / g.groups, cols = nc * S;
  gemmGpu({
    dtype: wc.dtype, M: Kg, N: cols, K: Og, batch: [g.groups],
    a: { buf: bufferOf(wc), off: wc._offset, rs: 1, cs: Kg, batch: [Og * Kg] },
    b: { buf: gt, off: n0 * S, rs: d.N * S, cs: 1, batch: [Og * d.N * S] },
    c: { buf: col, off: 0, ld: cols, batch: Kg * cols },
  });
  col2im(col, dx, n0, nc, d, g);
}

function inputGradChunks(gt: GPUBuffer, wc: View, dx: GPUBuffer, col: GPUBuffer, d: Dims, Cg: number, g: ConvGeo): void {
  const Nc = chunkOf(d);
  for (let n0 = 0; n0 < d.N; n0 += Nc) inputGradChunk(gt, wc, dx, col, n0, Math.min(Nc, d.N - n0), d, Cg, g);
}

export const conv: ConvKernels = { conv2d, conv2dInputGrad, conv2dWeightGrad, conv2dGrads };

// The layout kernels around the matrix products of a convolution (the GPU forms of
// assembly/conv.ts). One thread per output element each, so no kernel needs atomics:
//   im2col    col[r, j] = x[n0 + n, c, oh*sh - pt + i*dh, ow*sw - pl + j*dw] (0 outside),
//             r = (c*kh + i)*kw + j over C*kh*kw rows, j = n*OH*OW + oh*OW + ow over a batch chunk
//   col2im    dx[n0 + n, c, ih, iw] = the sum of the column entries that read (n, c, ih, iw): a
//             gather, so every input element is written exactly once
//   cnsToNcs  y[n, o, s] = t[o, n, s] (+ bias[o])
//   ncsToCns  t[o, n, s] = gy[n, o, s], read through gy's strides (often a broadcast gradient)
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

/** Params: 0 total, 1 cols (nc*S), 2 S, 3 OW, 4 C, 5 H, 6 W, 7 kh, 8 kw, 9 sh, 10 sw, 11 pt, 12 pl, 13 dh, 14 dw, 15 xOff, 16..19 x strides (n, c, h, w) */
export const im2colKey = (W: number): string => `conv_im2col_${W}`;
export const im2colSource = (W: number): string => `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> Col: array<f32>;
@group(0) @binding(2) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let cols = P[1]; let S = P[2]; let OW = P[3];
  let kh = P[7]; let kw = P[8];
  let r = i / cols; let jj = i % cols;
  let n = jj / S; let s = jj % S;
  let oh = s / OW; let ow = s % OW;
  let c = r / (kh * kw); let ki = (r / kw) % kh; let kj = r % kw;
  let ih = i32(oh * P[9] + ki * P[13]) - i32(P[11]);
  let iw = i32(ow * P[10] + kj * P[14]) - i32(P[12]);
  var v = 0.0;
  if (ih >= 0 && ih < i32(P[5]) && iw >= 0 && iw < i32(P[6])) {
    v = X[P[15] + n * P[16] + c * P[17] + u32(ih) * P[18] + u32(iw) * P[19]];
  }
  Col[i] = v;
}`;

/** Params: 0 total (nc*C*H*W), 1 cols, 2 S, 3 OW, 4 C, 5 H, 6 W, 7 kh, 8 kw, 9 sh, 10 sw, 11 pt, 12 pl, 13 dh, 14 dw, 15 dxOff, 16 OH */
export const col2imKey = (W: number): string => `conv_col2im_${W}`;
export const col2imSource = (W: number): string => `
@group(0) @binding(0) var<storage, read> Col: array<f32>;
@group(0) @binding(1) var<storage, read_write> DX: array<f32>;
@group(0) @binding(2) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let cols = P[1]; let S = P[2]; let OW = i32(P[3]); let OH = i32(P[16]);
  let C = P[4]; let H = P[5]; let Wd = P[6];
  let kh = P[7]; let kw = P[8];
  let sh = i32(P[9]); let sw = i32(P[10]); let dh = i32(P[13]); let dw = i32(P[14]);
  let iw = i32(i % Wd); let ih = i32((i / Wd) % H);
  let c = (i / (Wd * H)) % C; let n = i / (Wd * H * C);
  let base = n * S;
  var acc = 0.0;
  for (var ki = 0u; ki < kh; ki++) {
    let th = ih + i32(P[11]) - i32(ki) * dh;
    if (th < 0 || th % sh != 0) { continue; }
    let oh = th / sh;
    if (oh >= OH) { continue; }
    for (var kj = 0u; kj < kw; kj++) {
      let tw = iw + i32(P[12]) - i32(kj) * dw;
      if (tw < 0 || tw % sw != 0) { continue; }
      let ow = tw / sw;
      if (ow >= OW) { continue; }
      let r = (c * kh + ki) * kw + kj;
      acc += Col[r * cols + base + u32(oh * OW + ow)];
    }
  }
  DX[P[15] + i] = acc;
}`;

/** Params: 0 total (N*O*S), 1 N, 2 O, 3 S, 4 bias offset */
export const cnsToNcsKey = (bias: boolean, W: number): string => `conv_cns_to_ncs_${bias ? 'bias' : 'nobias'}_${W}`;
export const cnsToNcsSource = (bias: boolean, W: number): string => `
@group(0) @binding(0) var<storage, read> T: array<f32>;
${bias ? '@group(0) @binding(1) var<storage, read> Bias: array<f32>;' : ''}
@group(0) @binding(${bias ? 2 : 1}) var<storage, read_write> Y: array<f32>;
@group(0) @binding(${bias ? 3 : 2}) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let N = P[1]; let O = P[2]; let S = P[3];
  let s = i % S; let o = (i / S) % O; let n = i / (S * O);
  Y[i] = T[(o * N + n) * S + s]${bias ? ' + Bias[P[4] + o]' : ''};
}`;

/** Params: 0 total (O*N*S), 1 N, 2 S, 3 OW, 4 gyOff, 5..8 gy strides (n, o, h, w) */
export const ncsToCnsKey = (W: number): string => `conv_ncs_to_cns_${W}`;
export const ncsToCnsSource = (W: number): string => `
@group(0) @binding(0) var<storage, read> G: array<f32>;
@group(0) @binding(1) var<storage, read_write> T: array<f32>;
@group(0) @binding(2) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let N = P[1]; let S = P[2]; let OW = P[3];
  let s = i % S; let n = (i / S) % N; let o = i / (S * N);
  T[i] = G[P[4] + n * P[5] + o * P[6] + (s / OW) * P[7] + (s % OW) * P[8]];
}`;

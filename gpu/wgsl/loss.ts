// WGSL for the loss kernels (float32). log_softmax and its backward: one invocation per row of
// x viewed as [A, C, B] (row = (a, b), C strided by B). nll_loss: one invocation per target for
// 'none' and for the backward; one workgroup striding over the targets and reducing in shared
// memory for 'mean' and 'sum'. Every operand is contiguous; P holds element offsets and sizes.
// A target outside [0, C) is not checked (no synchronous reads): its log-probability reads as zero
// (and its weight, when weighted), and it gets no gradient.
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

/** P: rows, C, B, offX, offY. y = x - max - log(sum(exp(x - max))). */
export const logSoftmaxSource = (W: number): string => `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> Y: array<f32>;
@group(0) @binding(2) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let C = P[1]; let B = P[2];
  let base = (i / B) * C * B + i % B;
  var m = X[P[3] + base];
  var nan = false;
  var nanv = 0.0;
  for (var c = 0u; c < C; c++) { let v = X[P[3] + base + c * B]; if (v != v) { nan = true; nanv = v; } m = max(m, v); }
  // a non-finite max (inf, all -inf, nan) makes the row nan, as on the CPU
  var lse = m - m;
  if (nan) { lse = nanv; }
  if (!nan && m - m == 0.0) {
    var s = 0.0;
    for (var c = 0u; c < C; c++) { s += exp(X[P[3] + base + c * B] - m); }
    lse = m + log(s);
  }
  for (var c = 0u; c < C; c++) {
    Y[P[4] + base + c * B] = X[P[3] + base + c * B] - lse;
  }
}`;

/** P: rows, C, B, offG, offY. out = g - exp(y) * sum(g). */
export const logSoftmaxBackwardSource = (W: number): string => `
@group(0) @binding(0) var<storage, read> G: array<f32>;
@group(0) @binding(1) var<storage, read> Y: array<f32>;
@group(0) @binding(2) var<storage, read_write> O: array<f32>;
@group(0) @binding(3) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let C = P[1]; let B = P[2];
  let base = (i / B) * C * B + i % B;
  var s = 0.0;
  for (var c = 0u; c < C; c++) { s += G[P[3] + base + c * B]; }
  for (var c = 0u; c < C; c++) {
    let k = base + c * B;
    O[k] = G[P[3] + k] - exp(Y[P[4] + k]) * s;
  }
}`;

const NLL_BINDINGS = `
@group(0) @binding(0) var<storage, read> L: array<f32>;
@group(0) @binding(1) var<storage, read> T: array<i32>;
@group(0) @binding(2) var<storage, read> Wt: array<f32>;
@group(0) @binding(3) var<storage, read_write> O: array<f32>;
@group(0) @binding(4) var<storage, read_write> TW: array<f32>;
@group(0) @binding(5) var<storage, read> P: array<u32>;
// P: M = N*S, C, S, offL, offT, offW, hasWeight, ignore (i32 bits)
fn term(i: u32) -> vec2f {
  let C = P[1]; let S = P[2];
  let t = bitcast<i32>(T[P[4] + i]);
  if (t == bitcast<i32>(P[7])) { return vec2f(0.0, 0.0); }
  if (t < 0 || u32(t) >= C) {
    // out of range (unchecked on the GPU): the class reads as zero, its weight as zero too when weighted
    let w0 = select(1.0, 0.0, P[6] != 0u);
    return vec2f(-(w0 * f32(P[6] & 0u)), w0);
  }
  var w = 1.0;
  if (P[6] != 0u) { w = Wt[P[5] + u32(t)]; }
  return vec2f(-w * L[P[3] + ((i / S) * C + u32(t)) * S + i % S], w);
}`;

/** 'none': O[i] = -w[t] * logp[n, t, s]. */
export const nllNoneSource = (W: number): string => `${NLL_BINDINGS}
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i == 0u) { TW[0] = 0.0; }
  if (i >= P[0]) { return; }
  O[i] = term(i).x;
}`;

/** 'mean' (P[8] = 1) / 'sum': one workgroup; O[0] = the (weighted mean of the) loss, TW[0] = the total weight. */
export const nllReducedSource = (W: number): string => `${NLL_BINDINGS}
var<workgroup> acc: array<vec2f, ${W}>;
${MAIN_1D(W)} {
  var a = vec2f(0.0, 0.0);
  for (var i = lid.x; i < P[0]; i += WG) { a += term(i); }
  acc[lid.x] = a;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (lid.x < s) { acc[lid.x] += acc[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let r = acc[0];
    O[0] = select(r.x, r.x / r.y, P[8] == 1u);
    TW[0] = r.y;
  }
}`;

/**
 * Backward, O zeroed beforehand: O[n, t, s] = -w[t] * g / tw. P: M, C, S, offG, offT, offW,
 * hasWeight, ignore, reduction, offTW.
 */
export const nllBackwardSource = (W: number): string => `
@group(0) @binding(0) var<storage, read> G: array<f32>;
@group(0) @binding(1) var<storage, read> T: array<i32>;
@group(0) @binding(2) var<storage, read> Wt: array<f32>;
@group(0) @binding(3) var<storage, read> TW: array<f32>;
@group(0) @binding(4) var<storage, read_write> O: array<f32>;
@group(0) @binding(5) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let C = P[1]; let S = P[2];
  let t = bitcast<i32>(T[P[4] + i]);
  if (t == bitcast<i32>(P[7]) || t < 0 || u32(t) >= C) { return; }
  var w = 1.0;
  if (P[6] != 0u) { w = Wt[P[5] + u32(t)]; }
  var g = G[P[3]];
  if (P[8] == 0u) { g = G[P[3] + i]; }
  var d = 1.0;
  if (P[8] == 1u) { d = TW[P[9]]; }
  O[((i / S) * C + u32(t)) * S + i % S] = -w * g / d;
}`;

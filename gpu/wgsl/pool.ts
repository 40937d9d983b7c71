// WGSL for pooling over planes: x is [P, H, W] contiguous (P = N*C), the output [P, OH, OW].
// Window rules, visiting orders and the NaN rule follow assembly/pool.ts, so results match the
// CPU bit for bit. Backward kernels run one invocation per input element and gather the output
// gradients whose windows cover it, in the order the CPU adds them: deterministic, no atomics.
//
// Params (u32 words): n, H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw, includePad, divisor, then
// the element offsets of the first two inputs (contiguous views may start inside their buffer).
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

const HEAD = (W: number, bindings: string[]) => `
${bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b};`).join('\n')}
@group(0) @binding(${bindings.length}) var<storage, read> P: array<u32>;
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let H = i32(P[1]); let W = i32(P[2]); let OH = i32(P[3]); let OW = i32(P[4]);
  let kh = i32(P[5]); let kw = i32(P[6]); let sh = i32(P[7]); let sw = i32(P[8]);
  let ph = i32(P[9]); let pw = i32(P[10]); let dh = i32(P[11]); let dw = i32(P[12]);
  let off0 = P[15]; let off1 = P[16];`;

/** Index of an output element: plane p, position (oh, ow). */
const OUT_POS = `
  let S = u32(OH * OW); let p = i / S; let r = i32(i % S); let oh = r / OW; let ow = r % OW;`;
/** Index of an input element: plane p, position (h, w), flat index r = h * W + w in the plane. */
const IN_POS = `
  let HW = u32(H * W); let p = i / HW; let r = i32(i % HW); let h = r / W; let w = r % W;`;

/** Window rows [ih0, ih1) step dh and columns [iw0, iw1) step dw of output (oh, ow). */
function maxWindow(adaptive: boolean): string {
  if (adaptive) {
    return `
  let ih0 = (oh * H) / OH; let ih1 = ((oh + 1) * H + OH - 1) / OH;
  let iw0 = (ow * W) / OW; let iw1 = ((ow + 1) * W + OW - 1) / OW;`;
  }
  // the first row/column at or after the padding, as the CPU's `while (ih0 < 0) ih0 += dh`
  return `
  var ih0 = oh * sh - ph; let ih1 = min(ih0 + (kh - 1) * dh + 1, H);
  if (ih0 < 0) { ih0 += ((dh - 1 - ih0) / dh) * dh; }
  var iw0 = ow * sw - pw; let iw1 = min(iw0 + (kw - 1) * dw + 1, W);
  if (iw0 < 0) { iw0 += ((dw - 1 - iw0) / dw) * dw; }`;
}

/** Max pooling forward: values and int32 argmax indices (flat in the plane). */
export function maxPoolSource(adaptive: boolean, W: number): string {
  const step = adaptive ? ['1', '1'] : ['dh', 'dw'];
  return `${HEAD(W, ['read> X: array<f32>', 'read_write> O: array<f32>', 'read_write> I: array<i32>'])}
  ${OUT_POS}
  ${maxWindow(adaptive)}
  let base = off0 + p * u32(H * W);
  var mi = ih0 * W + iw0;
  var ninf = 0xff800000u;
  var mv = bitcast<f32>(ninf);
  for (var ih = ih0; ih < ih1; ih += ${step[0]}) {
    for (var iw = iw0; iw < iw1; iw += ${step[1]}) {
      let k = ih * W + iw;
      let v = X[base + u32(k)];
      if (v > mv || isnan_(v)) { mv = v; mi = k; }
    }
  }
  O[i] = mv;
  I[i] = mi;
}`;
}

/**
 * Max pooling backward: dx[p, r] = sum of g[p, o] over the outputs o whose window can hold r and
 * whose argmax is r. Candidate outputs per dim: PyTorch's p_start/p_end for sliding windows, the
 * inverse of start/end_index for adaptive ones.
 */
export function maxPoolBackwardSource(adaptive: boolean, W: number): string {
  const range = adaptive ? `
  let oh0 = (h * OH) / H; let oh1 = min(((h + 1) * OH + H - 1) / H, OH);
  let ow0 = (w * OW) / W; let ow1 = min(((w + 1) * OW + W - 1) / W, OW);` : `
  let ekh = (kh - 1) * dh + 1; let ekw = (kw - 1) * dw + 1;
  let oh0 = select((h + ph - ekh) / sh + 1, 0, h + ph < ekh); let oh1 = min((h + ph) / sh + 1, OH);
  let ow0 = select((w + pw - ekw) / sw + 1, 0, w + pw < ekw); let ow1 = min((w + pw) / sw + 1, OW);`;
  return `${HEAD(W, ['read> G: array<f32>', 'read> I: array<i32>', 'read_write> D: array<f32>'])}
  ${IN_POS}
  ${range}
  let gb = p * u32(OH * OW);
  var acc = 0.0;
  for (var oh = oh0; oh < oh1; oh++) {
    for (var ow = ow0; ow < ow1; ow++) {
      let o = gb + u32(oh * OW + ow);
      if (I[off1 + o] == r) { acc += G[off0 + o]; }
    }
  }
  D[i] = acc;
}`;
}

/** out[p, o] = x[p, idx[p, o]]: the gradient of max pooling's backward. Params: n, S, HW, x offset, idx offset. */
export function poolGatherSource(W: number): string {
  return `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> I: array<i32>;
@group(0) @binding(2) var<storage, read_write> O: array<f32>;
@group(0) @binding(3) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let k = I[P[4] + i];
  if (k < 0 || u32(k) >= P[2]) { O[i] = 0.0; return; }
  O[i] = X[P[3] + (i / P[1]) * P[2] + u32(k)];
}`;
}

/**
 * The averaging window of output (oh, ow): clipped bounds and divisor, as the CPU kernel.
 * Sets ih0, ih1, iw0, iw1 and div (0 when the window is empty).
 */
function avgWindow(adaptive: boolean): string {
  if (adaptive) {
    return `
    let ih0 = (oh * H) / OH; let ih1 = ((oh + 1) * H + OH - 1) / OH;
    let iw0 = (ow * W) / OW; let iw1 = ((ow + 1) * W + OW - 1) / OW;
    let div = (ih1 - ih0) * (iw1 - iw0);`;
  }
  return `
    var ih0 = oh * sh - ph; var iw0 = ow * sw - pw;
    var ih1 = min(ih0 + kh, H + ph); var iw1 = min(iw0 + kw, W + pw);
    let poolSize = (ih1 - ih0) * (iw1 - iw0);
    ih0 = max(ih0, 0); iw0 = max(iw0, 0); ih1 = min(ih1, H); iw1 = min(iw1, W);
    var div = (ih1 - ih0) * (iw1 - iw0);
    if (P[13] != 0u) { div = poolSize; }
    if (P[14] != 0u) { div = i32(P[14]); }
    if (ih0 >= ih1 || iw0 >= iw1) { div = 0; }`;
}

/** Average pooling forward (sliding or adaptive windows). */
export function avgPoolSource(adaptive: boolean, W: number): string {
  return `${HEAD(W, ['read> X: array<f32>', 'read_write> O: array<f32>'])}
  ${OUT_POS}
  {
    ${avgWindow(adaptive)}
    if (div == 0) { O[i] = 0.0; return; }
    let base = off0 + p * u32(H * W);
    var s = 0.0;
    for (var ih = ih0; ih < ih1; ih++) {
      for (var iw = iw0; iw < iw1; iw++) { s += X[base + u32(ih * W + iw)]; }
    }
    O[i] = s / f32(div);
  }
}`;
}

/** Average pooling backward: dx[p, h, w] = sum of g[p, o] / div(o) over the windows o holding (h, w). */
export function avgPoolBackwardSource(adaptive: boolean, W: number): string {
  const range = adaptive ? `
  let oh0 = (h * OH) / H; let oh1 = min(((h + 1) * OH + H - 1) / H, OH);
  let ow0 = (w * OW) / W; let ow1 = min(((w + 1) * OW + W - 1) / W, OW);` : `
  let lh = h + ph - kh + 1; let lw = w + pw - kw + 1;
  let oh0 = select((lh + sh - 1) / sh, 0, lh <= 0); let oh1 = min((h + ph) / sh + 1, OH);
  let ow0 = select((lw + sw - 1) / sw, 0, lw <= 0); let ow1 = min((w + pw) / sw + 1, OW);`;
  return `${HEAD(W, ['read> G: array<f32>', 'read_write> D: array<f32>'])}
  ${IN_POS}
  ${range}
  let gb = p * u32(OH * OW);
  var acc = 0.0;
  for (var oh = oh0; oh < oh1; oh++) {
    for (var ow = ow0; ow < ow1; ow++) {
      ${avgWindow(adaptive)}
      if (div != 0 && h >= ih0 && h < ih1 && w >= iw0 && w < iw1) { acc += G[off0 + gb + u32(oh * OW + ow)] / f32(div); }
    }
  }
  D[i] = acc;
}`;
}

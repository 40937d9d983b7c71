// Reduction and scan kernels. A reduction maps `segments` (output element x chunk of the reduced
// range) onto L lanes each: every lane folds a strided slice of its segment serially (at most a
// few elements, so float sums stay accurate), then the lanes fold pairwise in workgroup memory.
// Long reductions are cut into chunks whose partials (values, and indices for argmax/argmin) a
// second dispatch of the same kernel reduces, so no lane ever sums a long serial run.
import type { DType } from '../../ts/dtype.js';
import { word, convert, type Word } from './types.js';
import { MAIN_1D } from '../runtime.js';
import type { ReduceKind } from '../../ts/backend/kernels/reduce.js';

export type { ReduceKind };

export interface ReduceSpec {
  kind: ReduceKind;
  input: DType; // dtype of X as stored
  compute: DType; // float32, int32 or uint8 (u32 words)
  out: DType; // dtype written to O
  idxIn: boolean; // X holds partials whose indices are in I (second pass of argmax/argmin)
  idxOut: boolean; // write the index of the extreme to J
  center: boolean; // sum of (x - Mu[output])^2: batch-norm variance
  lanes: number; // L, a power of two dividing the workgroup size
}

export const reduceKey = (s: ReduceSpec, wg: number): string =>
  `red_${s.kind}_${s.input}_${s.compute}_${s.out}_${+s.idxIn}${+s.idxOut}${+s.center}_L${s.lanes}_W${wg}`;

// through a variable: a constant infinity is a WGSL compile error
const INF = 'bits_f32(0x7f800000u)';
const NEG_INF = 'bits_f32(0xff800000u)';
const BITS_F32 = 'fn bits_f32(b: u32) -> f32 { var v = b; return bitcast<f32>(v); }';

/** The identity of `kind` in the compute type (a value any real element beats, for max/min). */
function identity(kind: ReduceKind, w: Word): string {
  if (kind === 'sum') return `${w}(0)`;
  if (kind === 'prod') return `${w}(1)`;
  const big = kind === 'min';
  if (w === 'f32') return big ? INF : NEG_INF;
  if (w === 'i32') return big ? 'bitcast<i32>(0x7fffffffu)' : 'bitcast<i32>(0x80000000u)';
  return big ? '0xffffffffu' : '0u';
}

/**
 * `better(v, i, w, j)`: whether candidate (w, j) replaces (v, i). NaN beats numbers, and among
 * equals (NaNs included) the lower index wins: PyTorch's first occurrence, NaN propagating.
 */
function betterFn(kind: 'max' | 'min', w: Word): string {
  const cmp = kind === 'max' ? 'w > v' : 'w < v';
  const nan = w === 'f32'
    ? `let nv = (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
  let nw = (bitcast<u32>(w) & 0x7fffffffu) > 0x7f800000u;
  if (nv || nw) { return nw && (!nv || j < i); }`
    : '';
  return `fn better(v: ${w}, i: i32, w: ${w}, j: i32) -> bool {
  ${nan}
  if (w == v) { return j < i; }
  return ${cmp};
}`;
}

/**
 * WGSL for one reduction pass. Bindings in order: X (read), I (read, idxIn), Mu (read, center),
 * O (read_write), J (read_write, idxOut), P. Params (u32 words):
 * [0] segments, [1] R, [2] chunks per output, [3] chunk length, [4] X offset, [5] nk, [6] nr,
 * then the kept shape and strides (nk each), then the reduced shape and strides (nr each).
 * Segment s reduces output s / chunks over r in [c * chunk, min(R, (c + 1) * chunk)), c = s % chunks,
 * and writes O[s] (and J[s]).
 */
export function reduceSource(s: ReduceSpec, wgSize: number): string {
  const T = word(s.compute);
  const L = s.lanes;
  const arg = s.kind === 'max' || s.kind === 'min';
  const withIdx = s.idxIn || s.idxOut;
  const decls: string[] = [];
  let b = 0;
  decls.push(`@group(0) @binding(${b++}) var<storage, read> X: array<${word(s.input)}>;`);
  if (s.idxIn) decls.push(`@group(0) @binding(${b++}) var<storage, read> I: array<i32>;`);
  if (s.center) decls.push(`@group(0) @binding(${b++}) var<storage, read> Mu: array<f32>;`);
  decls.push(`@group(0) @binding(${b++}) var<storage, read_write> O: array<${word(s.out)}>;`);
  if (s.idxOut) decls.push(`@group(0) @binding(${b++}) var<storage, read_write> J: array<i32>;`);
  decls.push(`@group(0) @binding(${b++}) var<storage, read> P: array<u32>;`);
  // fold (w, j) into (acc, ai)
  let fold: string;
  if (s.kind === 'sum') fold = 'acc = acc + w;';
  else if (s.kind === 'prod') fold = 'acc = acc * w;';
  else if (withIdx) fold = 'if (better(acc, ai, w, j)) { acc = w; ai = j; }';
  else fold = 'if (better(acc, 0, w, 0)) { acc = w; }';
  const load = s.center ? `let d = ${convert('X[xo]', s.input, s.compute)} - mu; let w = d * d;` : `let w = ${convert('X[xo]', s.input, s.compute)};`;
  const jLoad = s.idxIn ? 'let j = I[xo];' : 'let j = i32(r);';
  const tree = L === 1 ? '' : `
  sv[lid.x] = acc;
  ${withIdx ? 'si[lid.x] = ai;' : ''}
  workgroupBarrier();
  for (var h = L / 2u; h > 0u; h = h >> 1u) {
    if (lane < h) {
      let w = sv[lid.x + h];
      ${withIdx ? 'let j = si[lid.x + h];' : ''}
      ${fold}
      sv[lid.x] = acc;
      ${withIdx ? 'si[lid.x] = ai;' : ''}
    }
    workgroupBarrier();
  }`;
  return `${decls.join('\n')}
${L === 1 ? '' : `var<workgroup> sv: array<${T}, ${wgSize}>;`}
${L === 1 || !withIdx ? '' : `var<workgroup> si: array<i32, ${wgSize}>;`}
const L: u32 = ${L}u;
fn keptOffset(o: u32) -> u32 {
  let nk = P[5];
  var rem = o;
  var off = P[4];
  for (var d = nk; d > 0u; d--) {
    let n = P[6u + d];
    off += (rem % n) * P[6u + nk + d];
    rem = rem / n;
  }
  return off;
}
fn redOffset(r: u32) -> u32 {
  let nr = P[6];
  let base = 6u + 2u * P[5];
  var rem = r;
  var off = 0u;
  for (var d = nr; d > 0u; d--) {
    let n = P[base + d];
    off += (rem % n) * P[base + nr + d];
    rem = rem / n;
  }
  return off;
}
${arg ? betterFn(s.kind as 'max' | 'min', T) : ''}
${arg && T === 'f32' ? BITS_F32 : ''}
${MAIN_1D(wgSize)} {
  let gid = wid.x + wid.y * nwg.x;
  let seg = gid * (WG / L) + lid.x / L;
  let lane = lid.x % L;
  var acc: ${T} = ${identity(s.kind, T)};
  var ai: i32 = 0x7fffffff;
  let live = seg < P[0];
  if (live) {
    let o = seg / P[2];
    let r0 = (seg % P[2]) * P[3];
    let r1 = min(P[1], r0 + P[3]);
    let ko = keptOffset(o);
    ${s.center ? `let mu = Mu[o];` : ''}
    for (var r = r0 + lane; r < r1; r += L) {
      let xo = ko + redOffset(r);
      ${load}
      ${arg ? jLoad : ''}
      ${fold}
    }
  }${tree}
  if (live && lane == 0u) {
    O[seg] = ${convert(L === 1 ? 'acc' : 'sv[lid.x]', s.compute, s.out)};
    ${s.idxOut ? `J[seg] = ${L === 1 ? 'ai' : 'si[lid.x]'};` : ''}
  }
}`;
}

/**
 * Inclusive prefix sums along R of a contiguous [A, R, B] array X into O (same layout).
 * `tiled`: one workgroup per row, scanning tiles of WG elements in workgroup memory and carrying
 * the running total; otherwise one thread per row, serially (short rows).
 * Params: [0] rows (A * B), [1] R, [2] B, [3] the offset of X.
 */
export function scanSource(dtype: DType, tiled: boolean, wgSize: number): string {
  const T = word(dtype);
  const head = `@group(0) @binding(0) var<storage, read> X: array<${T}>;
@group(0) @binding(1) var<storage, read_write> O: array<${T}>;
@group(0) @binding(2) var<storage, read> P: array<u32>;`;
  if (!tiled) {
    return `${head}
${MAIN_1D(wgSize)} {
  let row = (wid.x + wid.y * nwg.x) * WG + lid.x;
  if (row >= P[0]) { return; }
  let R = P[1]; let B = P[2];
  let base = (row / B) * R * B + row % B;
  var acc: ${T} = ${T}(0);
  for (var r = 0u; r < R; r++) {
    acc = acc + X[P[3] + base + r * B];
    O[base + r * B] = acc;
  }
}`;
  }
  return `${head}
var<workgroup> sh: array<${T}, ${wgSize}>;
${MAIN_1D(wgSize)} {
  let row = wid.x + wid.y * nwg.x;
  let live = row < P[0];
  let R = P[1]; let B = P[2];
  let base = (row / B) * R * B + row % B;
  var carry: ${T} = ${T}(0);
  let tiles = (R + WG - 1u) / WG;
  for (var t = 0u; t < tiles; t++) {
    let r = t * WG + lid.x;
    let inside = live && r < R;
    var v: ${T} = ${T}(0);
    if (inside) { v = X[P[3] + base + r * B]; }
    sh[lid.x] = v;
    workgroupBarrier();
    for (var h = 1u; h < WG; h = h << 1u) {
      var add: ${T} = ${T}(0);
      if (lid.x >= h) { add = sh[lid.x - h]; }
      workgroupBarrier();
      sh[lid.x] = sh[lid.x] + add;
      workgroupBarrier();
    }
    if (inside) { O[base + r * B] = carry + sh[lid.x]; }
    carry = carry + sh[WG - 1u];
    workgroupBarrier();
  }
}`;
}

// WGSL for sorting along a dim by rank: one invocation per element counts the elements of its row
// that come before it (strictly before in order, or equal and earlier in the row: stable), and
// writes its value and position at that rank when the rank is below k (topk keeps the first k). O(R) reads per element, no workgroup memory, any row
// length. NaN is the largest value (tested on the bits, as WGSL may assume floats are never NaN).
import type { DType } from '../../ts/dtype.js';
import { word } from './types.js';
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

export const sortKey = (dtype: DType, descending: boolean, wgSize: number): string => `sort_${word(dtype)}_${+descending}_W${wgSize}`;

/** Params: P[0] = n, P[1] = R (row length), P[2] = B (stride of the sorted dim), P[3] = X's offset, P[4] = k (ranks kept). */
export function sortSource(dtype: DType, descending: boolean, wgSize: number): string {
  const T = word(dtype);
  const nan = T === 'f32' ? '(bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u' : 'false';
  // before(u, v): u comes strictly before v in the order
  const before = descending
    ? `if (isNan(u)) { return !isNan(v); } return !isNan(v) && u > v;`
    : `if (isNan(v)) { return !isNan(u); } return !isNan(u) && u < v;`;
  return `@group(0) @binding(0) var<storage, read> X: array<${T}>;
@group(0) @binding(1) var<storage, read_write> O: array<${T}>;
@group(0) @binding(2) var<storage, read_write> I: array<i32>;
@group(0) @binding(3) var<storage, read> P: array<u32>;
fn isNan(a: ${T}) -> bool { return ${nan}; }
fn before(u: ${T}, v: ${T}) -> bool { ${before} }
fn same(u: ${T}, v: ${T}) -> bool { return !before(u, v) && !before(v, u); }
${MAIN_1D(wgSize)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let R = P[1]; let B = P[2];
  let r = (i / B) % R;
  let base = (i / (R * B)) * R * B + i % B;
  let out = (i / (R * B)) * P[4] * B + i % B;
  let v = X[P[3] + base + r * B];
  var rank = 0u;
  for (var j = 0u; j < R; j++) {
    let u = X[P[3] + base + j * B];
    if (before(u, v) || (j < r && same(u, v))) { rank++; }
  }
  if (rank < P[4]) {
    O[out + rank * B] = v;
    I[out + rank * B] = i32(r);
  }
}`;
}

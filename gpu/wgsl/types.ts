// How dtypes live on the GPU: one 32-bit word per element. float32 is f32, int32 is i32, uint8 and
// bool are u32 (0..255 and 0/1). WGSL has no 64-bit floats, so float64 has no GPU form.
import type { DType } from '../../ts/dtype.js';

export type Word = 'f32' | 'i32' | 'u32';

/** The WGSL element type of `dtype` on the GPU (throws for float64, naming the op). */
export function word(dtype: DType, op = 'webgpu'): Word {
  switch (dtype) {
    case 'float32': return 'f32';
    case 'int32': return 'i32';
    case 'uint8': case 'bool': return 'u32';
    default: throw new TypeError(`${op}: webgpu tensors cannot be ${dtype} (WGSL has no 64-bit floats); convert with .float() first`);
  }
}

/** A WGSL expression converting `e`, a value of `from`'s GPU type, to `to`'s GPU type, as PyTorch casts. */
export function convert(e: string, from: DType, to: DType): string {
  const f = word(from), t = word(to);
  if (to === 'bool') return from === 'bool' ? e : `select(0u, 1u, ${e} != ${f}(0))`;
  if (to === 'uint8') {
    if (from === 'uint8' || from === 'bool') return e;
    return f === 'f32' ? `(u32(i32(${e})) & 255u)` : `(u32(${e}) & 255u)`;
  }
  return f === t ? e : `${t}(${e})`;
}

/**
 * Strided element access. Params layout: P[0] = n (elements), P[1] = nd, P[2..2+nd) = the shape,
 * then one descriptor per strided operand: [offset, stride_0 .. stride_{nd-1}] (broadcast dims
 * have stride 0). `viewOffset(i, base)` maps the linear index i of the shape to a storage offset.
 */
export const VIEW_OFFSET = `
fn viewOffset(i: u32, base: u32) -> u32 {
  let nd = P[1];
  var rem = i;
  var o = P[base];
  for (var d = nd; d > 0u; d--) {
    let s = P[1u + d];
    o += (rem % s) * P[base + d];
    rem = rem / s;
  }
  return o;
}`;

/** WGSL for where the k-th view descriptor starts in P (after k descriptors; k = their count gives the first word after them). */
export const viewBase = (k: number): string => `(2u + P[1] + ${k}u * (1u + P[1]))`;

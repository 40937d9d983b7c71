// Elementwise WGSL kernels, generated from the same op table as the wasm kernels
// (ts/ops/pointwise_table.ts, field `w`). One kernel per op, compute type, operand layout and
// input/output dtypes; inputs are read through their strides (broadcasting included), so no
// operand is ever materialized first.
import { POINTWISE, type PointwiseName, type PointwiseDef } from '../../ts/ops/pointwise_table.js';
import { WGSL, WGSL_I32 } from './generated/pointwise_wgsl.js';
import type { DType } from '../../ts/dtype.js';
import { word, convert, VIEW_OFFSET, viewBase } from './types.js';
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

/** helpers the table's WGSL expressions call, for compute type f32 */
const F32_HELPERS = `
fn inf_() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }
fn nan_() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn log1p_(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } return log(u) * x / (u - 1.0); }
fn expm1_(x: f32) -> f32 {
  // Kahan's trick: exact near zero, where exp(x) - 1 cancels
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (abs(x) > 1.0) { return um1; }
  return um1 * x / log(u);
}
fn erf_(x: f32) -> f32 {
  // Abramowitz and Stegun 7.1.26, refined: max error about 1.2e-7
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.5 * a);
  let y = 1.0 - t * exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(-y, y, x >= 0.0);
}
fn trunc_div_(x: f32, y: f32) -> f32 { return trunc(x / y); }
fn floor_div_(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return x / y; }
  let m = x - y * trunc(x / y);
  var d = (x - m) / y;
  if (m != 0.0 && ((y < 0.0) != (m < 0.0))) { d -= 1.0; }
  if (d == 0.0) { return select(-0.0, 0.0, (x / y) >= 0.0); }
  var r = floor(d);
  if (d - r > 0.5) { r += 1.0; }
  return r;
}
fn remainder_(x: f32, y: f32) -> f32 {
  var m = x - y * trunc(x / y);
  if (m != 0.0 && ((y < 0.0) != (m < 0.0))) { m += y; }
  return m;
}
fn pow_(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (x == 0.0) { return select(select(0.0, inf_(), y < 0.0), 0.0, y > 0.0); }
  if (x < 0.0) {
    if (y != floor(y)) { return nan_(); }
    let r = pow(-x, y);
    return select(r, -r, abs(y % 2.0) == 1.0);
  }
  return pow(x, y);
}`;

/** helpers for compute type i32 (WGSL integer division by zero gives x, as on CUDA: no error) */
const I32_HELPERS = `
fn isnan_(x: i32) -> bool { return false; }
fn trunc_div_(x: i32, y: i32) -> i32 { if (y == 0) { return 0; } if (y == -1) { return -x; } return x / y; }
fn floor_div_(x: i32, y: i32) -> i32 {
  if (y == 0) { return 0; }
  if (y == -1) { return -x; }
  let q = x / y;
  if ((x % y != 0) && ((x < 0) != (y < 0))) { return q - 1; }
  return q;
}
fn remainder_(x: i32, y: i32) -> i32 {
  if (y == 0 || y == -1) { return 0; }
  var m = x % y;
  if (m != 0 && ((m < 0) != (y < 0))) { m += y; }
  return m;
}
fn pow_(x: i32, y: i32) -> i32 {
  if (y < 0) { return select(0, select(-1, 1, (y & 1) == 0), x == -1) + select(0, 1, x == 1); }
  var r = 1; var b = x; var e = y;
  loop { if (e == 0) { break; } if ((e & 1) == 1) { r *= b; } b *= b; e = e >> 1u; }
  return r;
}`;

/** How an operand is read: `c` contiguous over the output shape, `v` strided view, `s` a scalar in the params. */
export type Layout = 'c' | 'v' | 's';

export interface PointwiseSpec {
  name: PointwiseName;
  compute: DType; // float32 or int32
  out: DType;
  inputs: { layout: Layout; dtype: DType }[];
}

export const pointwiseKey = (s: PointwiseSpec): string =>
  `pw_${s.name}_${s.compute}_${s.out}_${s.inputs.map((x) => x.layout + x.dtype).join('_')}`;

/**
 * WGSL for one elementwise kernel. Bindings: each tensor operand in order (read), the output
 * (read_write), then P. Params: viewParams(shape, views of the `v`/`c` operands), then
 * p, q (f32 bits), then one word per scalar operand (compute-type bits).
 */
export function pointwiseSource(s: PointwiseSpec, wgSize: number): string {
  const def: PointwiseDef = POINTWISE[s.name];
  const T = word(s.compute);
  const names = ['x', 'y'];
  const decls: string[] = [];
  const loads: string[] = [];
  let binding = 0, tensorIdx = 0, scalarIdx = 0;
  const nTensors = s.inputs.filter((x) => x.layout !== 's').length;
  s.inputs.forEach((inp, k) => {
    const v = names[k];
    if (inp.layout === 's') {
      const bits = `P[eb + 2u + ${scalarIdx++}u]`;
      loads.push(`let ${v} = ${T === 'f32' ? `bitcast<f32>(${bits})` : `bitcast<i32>(${bits})`};`);
      return;
    }
    const b = binding++;
    decls.push(`@group(0) @binding(${b}) var<storage, read> A${b}: array<${word(inp.dtype)}>;`);
    const base = viewBase(tensorIdx++);
    const idx = inp.layout === 'c' ? `P[${base}] + i` : `viewOffset(i, ${base})`;
    loads.push(`let ${v} = ${convert(`A${b}[${idx}]`, inp.dtype, s.compute)};`);
  });
  const kOut: DType = def.out === 'bool' ? 'bool' : s.compute;
  const OW = word(s.out);
  // the table's `w`/`wi`, read from their generated copy (the bundles strip them from the table)
  const expr = (T === 'i32' && WGSL_I32[s.name] ? WGSL_I32[s.name] : WGSL[s.name]).replace(/\bT\(/g, `${T}(`);
  const value = def.out === 'bool' ? `select(0u, 1u, ${expr})` : `${T}(${expr})`;
  return `${decls.join('\n')}
@group(0) @binding(${binding}) var<storage, read_write> O: array<${OW}>;
@group(0) @binding(${binding + 1}) var<storage, read> P: array<u32>;
${VIEW_OFFSET}
${T === 'f32' ? F32_HELPERS : I32_HELPERS}
${MAIN_1D(wgSize)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let eb = ${viewBase(nTensors)};
  let p = bitcast<f32>(P[eb]);
  let q = bitcast<f32>(P[eb + 1u]);
  ${loads.join('\n  ')}
  O[i] = ${convert(value, kOut, s.out)};
}`;
}

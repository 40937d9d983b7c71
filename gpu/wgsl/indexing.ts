// WGSL for the indexing kernels: gather (gather, index_select), scatter, scatter_add and where.
//
// Operands are read through their strides with viewOffset (so expanded index tensors and
// permuted inputs need no copy first). Params are viewParams(shape, views) followed by a few
// kernel-specific words; `viewBase(k)` is where the k-th view descriptor starts.
//
// Index values live on the GPU and cannot be checked synchronously, so the kernels never trust
// them: an out-of-range index reads as zero (gather) or writes nothing (scatter, scatter_add).
// The CPU path raises PyTorch's IndexError for the same input (PyTorch's CUDA backend reports it
// asynchronously, as a device-side assert).
import type { DType } from '../../ts/dtype.js';
import { word, convert, VIEW_OFFSET, viewBase } from './types.js';
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

/**
 * out[i] = src[base(i) + index[i] * stride], base = src viewed over index's shape with stride 0
 * along dim. Views: 0 = src base, 1 = index. Extra words: stride, limit, wrapNegative.
 */
export function gatherSource(dtype: DType, W: number): string {
  const T = word(dtype);
  return `
@group(0) @binding(0) var<storage, read> S: array<${T}>;
@group(0) @binding(1) var<storage, read> I: array<i32>;
@group(0) @binding(2) var<storage, read_write> O: array<${T}>;
@group(0) @binding(3) var<storage, read> P: array<u32>;
${VIEW_OFFSET}
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let eb = ${viewBase(2)};
  let limit = bitcast<i32>(P[eb + 1u]);
  var k = I[viewOffset(i, ${viewBase(1)})];
  if (k < 0 && P[eb + 2u] != 0u) { k += limit; }
  if (k < 0 || k >= limit) { O[i] = ${T}(0); return; }
  O[i] = S[viewOffset(i, ${viewBase(0)}) + u32(k) * P[eb]];
}`;
}

/**
 * out[base(i) + index[i] * stride] = src[i] (or the scalar), out already holding a copy of self.
 * Views: 0 = out base, 1 = index, 2 = src (when a tensor). Extra words: stride, limit, scalar bits.
 * Duplicate indices race, and one of the values wins, as on CUDA.
 */
export function scatterSource(dtype: DType, scalar: boolean, W: number): string {
  const T = word(dtype);
  const nViews = scalar ? 2 : 3;
  const value = scalar ? `bitcast<${T}>(P[eb + 2u])` : `S[viewOffset(i, ${viewBase(2)})]`;
  return `
@group(0) @binding(0) var<storage, read> I: array<i32>;
${scalar ? '' : `@group(0) @binding(1) var<storage, read> S: array<${T}>;`}
@group(0) @binding(${scalar ? 1 : 2}) var<storage, read_write> O: array<${T}>;
@group(0) @binding(${scalar ? 2 : 3}) var<storage, read> P: array<u32>;
${VIEW_OFFSET}
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let eb = ${viewBase(nViews)};
  let k = I[viewOffset(i, ${viewBase(1)})];
  if (k < 0 || k >= bitcast<i32>(P[eb + 1u])) { return; }
  O[viewOffset(i, ${viewBase(0)}) + u32(k) * P[eb]] = ${value};
}`;
}

/**
 * out[base(i) + index[i] * stride] += src[i] with atomics: atomicAdd for int32; float32 has no
 * atomic add in WGSL, so it is a compare-exchange loop on the bits. The summation order of
 * colliding indices is unspecified (as PyTorch's CUDA scatter_add). Views as scatterSource.
 */
export function scatterAddSource(dtype: 'float32' | 'int32', W: number): string {
  const add = dtype === 'int32'
    ? 'atomicAdd(&O[o], v);'
    : `var old = atomicLoad(&O[o]);
  loop {
    let r = atomicCompareExchangeWeak(&O[o], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`;
  return `
@group(0) @binding(0) var<storage, read> I: array<i32>;
@group(0) @binding(1) var<storage, read> S: array<${word(dtype)}>;
@group(0) @binding(2) var<storage, read_write> O: array<atomic<${dtype === 'int32' ? 'i32' : 'u32'}>>;
@group(0) @binding(3) var<storage, read> P: array<u32>;
${VIEW_OFFSET}
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let eb = ${viewBase(3)};
  let k = I[viewOffset(i, ${viewBase(1)})];
  if (k < 0 || k >= bitcast<i32>(P[eb + 1u])) { return; }
  let o = viewOffset(i, ${viewBase(0)}) + u32(k) * P[eb];
  let v = S[viewOffset(i, ${viewBase(2)})];
  ${add}
}`;
}

/** A where() operand: a strided GPU view (`v`) or a scalar in the params (`s`, already in out's word). */
export interface WhereOperand { layout: 'v' | 's'; dtype: DType }

export const whereKey = (ops: WhereOperand[], out: DType): string =>
  `where_${ops.map((o) => o.layout + o.dtype).join('_')}_${out}`;

/**
 * out[i] = cond[i] ? a[i] : b[i] over the broadcast shape, converting a and b to out's dtype.
 * Bindings: the view operands in order (cond, a, b), out, P. Views: one per view operand; extra
 * words: one per scalar operand (cond as 0/1, values as out-dtype bits).
 */
export function whereSource(ops: WhereOperand[], out: DType, W: number): string {
  const OT = word(out);
  const decls: string[] = [];
  const loads: string[] = [];
  let binding = 0, views = 0, scalars = 0;
  const nViews = ops.filter((o) => o.layout === 'v').length;
  ops.forEach((o, k) => {
    const name = ['c', 'a', 'b'][k];
    if (o.layout === 's') {
      const bits = `P[${viewBase(nViews)} + ${scalars++}u]`;
      loads.push(k === 0 ? `let c = ${bits} != 0u;` : `let ${name} = bitcast<${OT}>(${bits});`);
      return;
    }
    const b = binding++;
    decls.push(`@group(0) @binding(${b}) var<storage, read> A${b}: array<${word(o.dtype)}>;`);
    const read = `A${b}[viewOffset(i, ${viewBase(views++)})]`;
    loads.push(k === 0 ? `let c = ${read} != ${word(o.dtype)}(0);` : `let ${name} = ${convert(read, o.dtype, out)};`);
  });
  return `${decls.join('\n')}
@group(0) @binding(${binding}) var<storage, read_write> O: array<${OT}>;
@group(0) @binding(${binding + 1}) var<storage, read> P: array<u32>;
${VIEW_OFFSET}
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  ${loads.join('\n  ')}
  O[i] = select(b, a, c);
}`;
}

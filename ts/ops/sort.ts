// sort, argsort and topk along a dim: one backend kernel (ReduceKernels.sort: a stable merge sort
// per row on wasm, or one selection pass for topk with a small k; a rank sort per element on
// webgpu), the gradient scattered back through the indices. NaN is the largest value, as in PyTorch; ties keep their order (PyTorch's stable=true,
// and what topk returns for ties, where PyTorch leaves the order unspecified).
import { Tensor } from '../tensor.js';
import { wrapDim } from '../shape.js';
import { backendFor } from '../backend/dispatch.js';
import { applyFunction } from '../autograd/function.js';
import { checkTensor } from './pointwise.js';
import { scatter } from './indexing.js';
import { zeros, on } from '../creation.js';
import { parseArgs } from '../nn/functional/args.js';

/** PyTorch's torch.return_types.sort / topk: [values, indices], also as .values and .indices. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

const pair = (values: Tensor, indices: Tensor): ValuesIndices =>
  Object.assign([values, indices] as [Tensor, Tensor], { values, indices });

/** Sorted values and positions along `d` with the gradient (no autograd on the indices). */
function sorted(op: string, name: string, x: Tensor, d: number, descending: boolean, k: number): ValuesIndices {
  const r = applyFunction(name, (ctx, a: Tensor) => {
    ctx.shape = [...a.shape];
    let values: Tensor, indices: Tensor;
    if (a.ndim === 0) {
      // a 0-d tensor is its own sort (and topk with k 0 or 1), as in PyTorch
      values = a.clone();
      indices = zeros([], { ...on(a), dtype: 'int32' });
    } else {
      const shape = a.shape.map((s, i) => (i === d ? k : s));
      if (a.numel() === 0 || k === 0) {
        values = zeros(shape, on(a));
        indices = zeros(shape, { ...on(a), dtype: 'int32' });
      } else {
        const [v, i] = backendFor(op, [a]).sort(a, d, descending, k);
        values = new Tensor(v, shape);
        indices = new Tensor(i, shape);
      }
    }
    ctx.save_for_backward(indices);
    ctx.mark_non_differentiable(indices);
    return [values, indices];
  }, (ctx, g) => {
    const [idx] = ctx.saved_tensors;
    const shape = ctx.shape as number[];
    if (shape.length === 0) return [g];
    return [scatter(zeros(shape, { ...on(g), dtype: g.dtype }), d, idx, g)];
  }, [x]) as unknown as [Tensor, Tensor];
  return pair(r[0], r[1]);
}

function checkSortable(op: string, x: Tensor): void {
  checkTensor(op, x);
}

interface SortArgs { dim: number; descending: boolean; stable: boolean }

/**
 * torch.sort(input, dim=-1, descending=False, stable=False): [values, indices] (also .values,
 * .indices). Always stable, so `stable` changes nothing.
 */
export function sort(x: Tensor, ...args: unknown[]): ValuesIndices {
  checkSortable('sort', x);
  const o = parseArgs<SortArgs>('sort', args, ['dim', 'descending', 'stable'], { dim: -1, descending: false, stable: false });
  const d = wrapDim(o.dim, Math.max(x.ndim, 1), 'sort');
  return sorted('sort', 'SortBackward0', x, d, !!o.descending, x.ndim ? x.shape[d] : 1);
}

/** torch.argsort(input, dim=-1, descending=False, stable=False): the indices of sort. */
export function argsort(x: Tensor, ...args: unknown[]): Tensor {
  checkSortable('argsort', x);
  const o = parseArgs<SortArgs>('argsort', args, ['dim', 'descending', 'stable'], { dim: -1, descending: false, stable: false });
  const d = wrapDim(o.dim, Math.max(x.ndim, 1), 'argsort');
  return sorted('argsort', 'SortBackward0', x, d, !!o.descending, x.ndim ? x.shape[d] : 1).indices;
}

interface TopkArgs { k: number; dim: number; largest: boolean; sorted: boolean }

/**
 * torch.topk(input, k, dim=-1, largest=True, sorted=True): the k largest (or smallest) values
 * along dim and their indices, largest first (smallest first with largest=false). Always sorted.
 */
export function topk(x: Tensor, ...args: unknown[]): ValuesIndices {
  checkSortable('topk', x);
  const o = parseArgs<TopkArgs>('topk', args, ['k', 'dim', 'largest', 'sorted'], { dim: -1, largest: true, sorted: true });
  if (typeof o.k !== 'number' || !Number.isInteger(o.k)) throw new TypeError(`topk(): argument 'k' must be int, got ${o.k === undefined ? 'nothing' : String(o.k)}`);
  const d = wrapDim(o.dim, Math.max(x.ndim, 1), 'topk');
  const n = x.ndim ? x.shape[d] : 1;
  if (o.k < 0 || o.k > n) throw new RangeError(`topk(): selected index k out of range (k = ${o.k}, size of dim ${d} is ${n})`);
  return sorted('topk', 'TopkBackward0', x, d, !!o.largest, o.k);
}

// ------------------------------------------------------------------ Tensor methods
import { installMethods } from './methods.js';

declare module '../tensor.js' {
  interface Tensor {
    /** [values, indices] (also .values, .indices) sorted along dim (default -1); NaN is the largest. */
    sort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean | { descending?: boolean; stable?: boolean }, stable?: boolean | { stable?: boolean }): ValuesIndices;
    argsort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean | { descending?: boolean; stable?: boolean }, stable?: boolean | { stable?: boolean }): Tensor;
    /** The k largest (largest=false: smallest) along dim: [values, indices] (also .values, .indices). */
    topk(k: number | { k: number; dim?: number; largest?: boolean; sorted?: boolean }, dim?: number | { dim?: number; largest?: boolean; sorted?: boolean }, largest?: boolean | { largest?: boolean; sorted?: boolean }, sorted?: boolean | { sorted?: boolean }): ValuesIndices;
  }
}

installMethods({
  sort: (x: Tensor, ...a: unknown[]) => sort(x, ...a),
  argsort: (x: Tensor, ...a: unknown[]) => argsort(x, ...a),
  topk: (x: Tensor, ...a: unknown[]) => topk(x, ...a),
} as never);

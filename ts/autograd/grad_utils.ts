// Small tensor helpers the engine needs: zeros for missing gradients, the sum back to an input's
// shape after broadcasting, and gradient accumulation.
import type { Tensor } from '../tensor.js';
import type { InputMeta } from './node.js';
import { zeros } from '../creation.js';

export const zerosOf = (m: InputMeta): Tensor => zeros(m.shape, { dtype: m.dtype, device: m.device });

/** Sums a broadcast gradient back to `shape` (leading dims, then dims that were 1). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new Error('sumTo: gradient has fewer dims than its input');
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) dims.push(i);
    else if (shape[i - lead] !== g.shape[i]) throw new Error('sumTo: shapes are not broadcast-compatible');
  }
  let r = dims.length ? g.sum(dims, true) : g;
  if (lead > 0) r = r.reshape(shape as number[]);
  return r;
}

export const addGrads = (a: Tensor, b: Tensor): Tensor => a.add(b);

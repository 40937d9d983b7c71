// Distances between rows: cosine_similarity, pairwise_distance, and the triplet margin loss
// built on them. Composed from tensor ops (autograd and every device come with them).
import type { Tensor } from '../../tensor.js';
import { broadcastShapes, named } from '../../shape.js';
import { checkTensor } from '../../ops/pointwise.js';
import { parseArgs, leading } from './args.js';
import { reduce, reductionOf, type Reduction } from './loss.js';

/** F.cosine_similarity(x1, x2, dim=1, eps=1e-8): the sum of the products of x1 and x2, each divided by its norm (at least eps) */
export function cosine_similarity(x1: Tensor, ...args: unknown[]): Tensor {
  const [[x2], rest] = leading('cosine_similarity', args, ['x2']) as [[Tensor], unknown[]];
  checkTensor('cosine_similarity', x1, 'x1', 1); checkTensor('cosine_similarity', x2, 'x2', 2);
  const a = parseArgs<{ dim: number; eps: number }>('cosine_similarity', rest, ['dim', 'eps'], { dim: 1, eps: 1e-8 });
  const shape = broadcastShapes('cosine_similarity', x1.shape, x2.shape);
  const [u, v] = [x1.expand(shape), x2.expand(shape)];
  // PyTorch 1.13 clamps the squared norms to eps^2 in place under no_grad: the clamp changes the
  // value, not the gradient
  const norm = (t: Tensor): Tensor => { const sq = t.mul(t).sum(a.dim, true); return sq.add(sq.clamp(a.eps * a.eps, null).sub(sq).detach()).sqrt(); };
  return u.div(norm(u)).mul(v.div(norm(v))).sum(a.dim);
}

/** F.pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=false): the p-norm of x1 - x2 + eps over the last dim */
export function pairwise_distance(x1: Tensor, ...args: unknown[]): Tensor {
  const [[x2], rest] = leading('pairwise_distance', args, ['x2']) as [[Tensor], unknown[]];
  checkTensor('pairwise_distance', x1, 'x1', 1); checkTensor('pairwise_distance', x2, 'x2', 2);
  const a = parseArgs<{ p: number; eps: number; keepdim: boolean }>('pairwise_distance', rest, ['p', 'eps', 'keepdim'], { p: 2, eps: 1e-6, keepdim: false });
  const d = x1.sub(x2).add(a.eps);
  const dim = Math.max(x1.ndim, x2.ndim) - 1;
  return dim < 0 ? d.abs() : d.norm(a.p, dim, a.keepdim);
}

interface TripletArgs { margin: number; p: number; eps: number; swap: boolean; size_average: boolean | null; reduce: boolean | null; reduction: Reduction }

/** F.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=false, reduction='mean') */
export function triplet_margin_loss(anchor: Tensor, ...args: unknown[]): Tensor {
  return named('triplet_margin_loss', () => {
    const [[positive, negative], rest] = leading('triplet_margin_loss', args, ['positive', 'negative']) as [[Tensor, Tensor], unknown[]];
    return tripletLoss(anchor, positive, negative, rest);
  });
}
function tripletLoss(anchor: Tensor, positive: Tensor, negative: Tensor, rest: unknown[]): Tensor {
  checkTensor('triplet_margin_loss', anchor, 'anchor', 1); checkTensor('triplet_margin_loss', positive, 'positive', 2); checkTensor('triplet_margin_loss', negative, 'negative', 3);
  const a = parseArgs<TripletArgs>('triplet_margin_loss', rest, ['margin', 'p', 'eps', 'swap', 'size_average', 'reduce', 'reduction'],
    { margin: 1, p: 2, eps: 1e-6, swap: false, size_average: null, reduce: null, reduction: 'mean' });
  const nd = anchor.ndim;
  if (positive.ndim !== nd || negative.ndim !== nd) {
    throw new RangeError(`All inputs should have same dimension but got ${nd}D, ${positive.ndim}D and ${negative.ndim}D inputs.`);
  }
  const dist = (x: Tensor, y: Tensor) => pairwise_distance(x, y, a.p, a.eps);
  let dNeg = dist(anchor, negative);
  if (a.swap) dNeg = dNeg.minimum(dist(positive, negative));
  const loss = dist(anchor, positive).sub(dNeg).add(a.margin).clamp(0, null);
  return reduce(loss, reductionOf('triplet_margin_loss', a));
}

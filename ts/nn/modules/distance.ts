// nn.CosineSimilarity, nn.PairwiseDistance and nn.TripletMarginLoss over nn.functional.
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { parseArgs } from '../functional/args.js';
import { reductionOf, type Reduction } from '../functional/loss.js';

/** nn.CosineSimilarity(dim=1, eps=1e-8) */
export class CosineSimilarity extends Module {
  dim: number;
  eps: number;
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs<{ dim: number; eps: number }>('CosineSimilarity', args, ['dim', 'eps'], { dim: 1, eps: 1e-8 });
    this.dim = a.dim; this.eps = a.eps;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor { return F.cosine_similarity(x1, x2, this.dim, this.eps); }
}

/** nn.PairwiseDistance(p=2, eps=1e-6, keepdim=false) */
export class PairwiseDistance extends Module {
  norm: number;
  eps: number;
  keepdim: boolean;
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs<{ p: number; eps: number; keepdim: boolean }>('PairwiseDistance', args, ['p', 'eps', 'keepdim'], { p: 2, eps: 1e-6, keepdim: false });
    this.norm = a.p; this.eps = a.eps; this.keepdim = a.keepdim;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor { return F.pairwise_distance(x1, x2, this.norm, this.eps, this.keepdim); }
}

interface TripletOpts { margin: number; p: number; eps: number; swap: boolean; size_average: boolean | null; reduce: boolean | null; reduction: Reduction }

/** nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-6, swap=false, size_average=None, reduce=None, reduction='mean') */
export class TripletMarginLoss extends Module {
  margin: number;
  p: number;
  eps: number;
  swap: boolean;
  reduction: Reduction;
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs<TripletOpts>('TripletMarginLoss', args, ['margin', 'p', 'eps', 'swap', 'size_average', 'reduce', 'reduction'],
      { margin: 1, p: 2, eps: 1e-6, swap: false, size_average: null, reduce: null, reduction: 'mean' });
    this.margin = a.margin; this.p = a.p; this.eps = a.eps; this.swap = a.swap;
    this.reduction = reductionOf('TripletMarginLoss', a) as Reduction;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.triplet_margin_loss(anchor, positive, negative, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction });
  }
}

// Loss kernels: fused log_softmax (forward and backward over one dim) and nll_loss (forward and
// backward over class-index targets), the pieces F.log_softmax, F.nll_loss and F.cross_entropy
// are made of. Inputs are floating (float32 or float64) views; results are new contiguous storages.
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

/** 0: 'none', 1: 'mean', 2: 'sum' */
export type LossReduction = 0 | 1 | 2;

export interface LossKernels {
  /** log_softmax of `x` over `dim` (wrapped): x's shape and dtype. */
  logSoftmax(x: View, dim: number): Storage;
  /** The gradient of log_softmax: grad - exp(y) * grad.sum(dim), y being its output (same shapes and dtype). */
  logSoftmaxBackward(grad: View, y: View, dim: number): Storage;
  /**
   * nll_loss of log-probabilities `logp` [N, C, d...] (or [C]) at int32 class indices `target`
   * [N, d...] (or []), with optional per-class `weight` [C] (logp's dtype). Returns the loss
   * (target's shape for 'none', one element otherwise) and the total weight of the counted targets
   * (one element; unused for 'none'). Where the backend reads synchronously, a target outside
   * [0, C) that is not `ignoreIndex` throws RangeError `nll_loss: Target v is out of bounds.`;
   * elsewhere (webgpu) its log-probability reads as zero, and its weight too when weighted.
   */
  nllLoss(logp: View, target: View, weight: View | null, ignoreIndex: number, reduction: LossReduction): [loss: Storage, totalWeight: Storage];
  /**
   * The gradient of nll_loss with respect to `logp` (shape `shape`, dtype of `grad`): zero but at
   * each counted target, -weight[t] * grad (grad[n, d...] for 'none', grad[0] otherwise), divided
   * by totalWeight[0] for 'mean'.
   */
  nllLossBackward(grad: View, shape: readonly number[], target: View, weight: View | null, totalWeight: View, ignoreIndex: number, reduction: LossReduction): Storage;
}

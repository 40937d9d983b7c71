// 2-d convolutions (conv1d runs as conv2d with H = 1, conv_transpose2d as the input gradient): the
// forward, its input and weight gradients, and both gradients in one pass. x is [N, C, H, W],
// w [O, C/groups, kh, kw], the output (gradient) [N, O, OH, OW]; the op layer checked the shapes,
// the dtypes (float, x's = w's) and the geometry.
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

/** Strides, top/left padding, dilations and groups of a convolution (OH, OW give the bottom/right padding). */
export interface ConvGeometry { sh: number; sw: number; pt: number; pl: number; dh: number; dw: number; groups: number }

export interface ConvKernels {
  /** y [N, O, OH, OW] = conv(x, w) + b (b: [O] or null), as a new contiguous storage. */
  conv2d(x: View, w: View, b: View | null, g: ConvGeometry, OH: number, OW: number): Storage;
  /** The gradient of conv(x, w) wrt x (of shape `xshape`) for the output gradient gy. */
  conv2dInputGrad(gy: View, w: View, xshape: readonly number[], g: ConvGeometry): Storage;
  /** The gradient of conv(x, w) wrt w (of shape `wshape`) for the output gradient gy. */
  conv2dWeightGrad(x: View, gy: View, wshape: readonly number[], g: ConvGeometry): Storage;
  /** Both gradients [wrt x, wrt w] in one pass over the batch. */
  conv2dGrads(x: View, w: View, gy: View, g: ConvGeometry): [Storage, Storage];
}

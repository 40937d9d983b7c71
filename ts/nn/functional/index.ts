// torch.nn.functional: `import { nn } from 'webtorch'; const F = nn.functional;`
export { conv1d, conv2d, conv_transpose2d } from './conv.js';
export { max_pool1d, max_pool2d, max_pool2d_with_indices, avg_pool1d, avg_pool2d, adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool2d } from './pooling.js';
export { batch_norm, layer_norm, group_norm } from './norm.js';
export { relu, relu6, hardtanh, leaky_relu, elu, gelu, silu, sigmoid, tanh, softplus, softmax, log_softmax, softmin } from './activation.js';
export { nll_loss, cross_entropy, mse_loss, l1_loss, smooth_l1_loss, huber_loss, binary_cross_entropy, binary_cross_entropy_with_logits, kl_div } from './loss.js';
export type { Reduction } from './loss.js';
export { linear, bilinear, dropout, dropout1d, dropout2d, embedding, pad, interpolate, upsample, normalize, one_hot } from './misc.js';
// and every other activation of activation.ts, so that a new one needs no line here
export * from './activation.js';
export { scaled_dot_product_attention, multi_head_attention_forward } from './attention.js';

// torch.nn.utils: `nn.utils.rnn` (packing) and gradient clipping.
export * as rnn from './rnn.js';
export { clip_grad_norm_, clip_grad_value_ } from './clip_grad.js';

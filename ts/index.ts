// webtorch: `import * as torch from 'webtorch'`.
//
// Tensor methods are installed by the modules that implement them (ts/ops/methods.ts): every
// such module is imported here, so the methods exist before user code runs. Those whose exports
// are not re-exported below are imported for that effect alone.
import './ops/copy.js';
import './format.js';
import './autograd/engine.js';
export { __version__ } from './version.js';
export { Tensor } from './tensor.js';
export { float32, float64, int32, int64, uint8, bool, long, float, double, int, get_default_dtype, set_default_dtype, promoteTypes as promote_types } from './dtype.js';
export type { DType } from './dtype.js';
export { tensor, as_tensor, from_numpy, zeros, ones, full, empty, zeros_like, ones_like, full_like, empty_like, rand_like, randn_like, randint_like, arange, linspace, eye, rand, randn, randint, randperm, scalar_tensor } from './creation.js';
export { Generator, manual_seed, seed, initial_seed, default_generator } from './random.js';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode } from './autograd/grad_mode.js';
export { scope, tidy, keep, dispose, memory } from './memory.js';
export {
  add, sub, sub as subtract, mul, mul as multiply, div, div as divide, remainder, pow, neg, neg as negative, abs, sign, reciprocal,
  exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, gelu, silu, softplus, erf, floor, ceil, round, trunc,
  clamp, clamp as clip, minimum, maximum, eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor, logical_not, isnan,
} from './ops/pointwise.js';
export { sum, mean, prod, max, min, amax, amin, argmax, argmin, var_ as var, std, logsumexp, norm, all, any, cumsum, softmax, log_softmax } from './ops/reduce.js';
export { bmm, dot, outer, addmm, baddbmm, addbmm } from './ops/linalg.js';
export { einsum } from './ops/einsum.js';
export { diagonal, diag, diag_embed } from './ops/diagonal.js';
export { masked_select, nonzero, argwhere, unique, take_along_dim } from './ops/selection.js';
export { sort, argsort, topk } from './ops/sort.js';
export { multinomial } from './ops/multinomial.js';
export { cat, concat, concatenate, stack, split, chunk, index_select, gather, scatter, scatter_add, where, masked_fill, tril, triu, flip, repeat, one_hot } from './ops/indexing.js';
export { view, reshape, permute, transpose, transpose as swapaxes, t, squeeze, unsqueeze, narrow, select, flatten, unflatten, clone, unbind, as_strided } from './ops/views.js';
export * as autograd from './autograd/index.js';
import { wasmVariant } from './backend/wasm/runtime.js';
import { threadsAvailable, threadsReady } from './backend/wasm/threads.js';
export { set_num_threads, get_num_threads } from './threads.js';

import { Tensor } from './tensor.js';
import { broadcastShapes } from './shape.js';
/** torch.is_tensor */
export const is_tensor = (x: unknown): x is Tensor => x instanceof Tensor;
export const numel = (x: Tensor): number => x.numel();
export const broadcast_shapes = (...shapes: number[][]): number[] => broadcastShapes('broadcast_shapes', ...shapes);
export const expand = (x: Tensor, ...s: (number | number[])[]): Tensor => x.expand(...s);
export const contiguous = (x: Tensor): Tensor => x.contiguous();
export const detach = (x: Tensor): Tensor => x.detach();
export const square = (x: Tensor): Tensor => x.square();
export { device } from './device.js';
export type { Device } from './device.js';
export * as webgpu from './webgpu.js';
export * as cuda from './cuda.js';
export * as onnx from './onnx/index.js';
/**
 * torch.backends as in a CPU build of PyTorch: mps and cuda are unavailable; cudnn's flags are
 * accepted and unused. torch.backends.wasm.variant is webtorch's own: the CPU kernel build in use,
 * 'relaxed-simd' (fused multiply-add GEMM, where the runtime supports relaxed SIMD) or 'simd128'
 * (WEBTORCH_WASM=simd128 forces it). threads_available(): more than one thread can run here
 * (shared memory and workers: not in workerd or pages that are not cross-origin isolated);
 * await threads_ready(): the worker pool for torch.get_num_threads() has started (kernels run on
 * one thread until then).
 */
export const backends = {
  wasm: { variant: wasmVariant, threads_available: threadsAvailable, threads_ready: threadsReady },
  mps: { is_available: (): boolean => false, is_built: (): boolean => false },
  cuda: { is_built: (): boolean => false },
  cudnn: { is_available: (): boolean => false, enabled: true, benchmark: false, deterministic: false },
};
export { save, load } from './serialization.js';
export * as serialization from './serialization.js';
export * as optim from './optim/index.js';
export * as utils from './utils/index.js';
export * as datasets from './datasets/index.js';
export * as transforms from './transforms/index.js';
export * as nn from './nn/index.js';
export * as distributions from './distributions/index.js';
export { mm, matmul, spmm, sparse, sparse_coo_tensor, SparseCooTensor } from './sparse/index.js';

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
export { Generator, manual_seed, seed, initial_seed, default_generator } from './random.js';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode } from './autograd/grad_mode.js';
export { scope, tidy, keep, dispose, memory } from './memory.js';
import { arange as arange_, as_tensor as as_tensor_, empty as empty_, empty_like as empty_like_, eye as eye_, from_numpy as from_numpy_, full as full_, full_like as full_like_, linspace as linspace_, ones as ones_, ones_like as ones_like_, rand as rand_, rand_like as rand_like_, randint as randint_, randint_like as randint_like_, randn as randn_, randn_like as randn_like_, randperm as randperm_, scalar_tensor as scalar_tensor_, tensor as tensor_, zeros as zeros_, zeros_like as zeros_like_ } from './creation.js';
import { abs as abs_, add as add_, ceil as ceil_, clamp as clamp_, cos as cos_, div as div_, eq as eq_, erf as erf_, exp as exp_, expm1 as expm1_, floor as floor_, ge as ge_, gelu as gelu_, gt as gt_, isnan as isnan_, le as le_, log as log_, log1p as log1p_, logical_and as logical_and_, logical_not as logical_not_, logical_or as logical_or_, logical_xor as logical_xor_, lt as lt_, maximum as maximum_, minimum as minimum_, mul as mul_, ne as ne_, neg as neg_, pow as pow_, reciprocal as reciprocal_, relu as relu_, remainder as remainder_, round as round_, rsqrt as rsqrt_, sigmoid as sigmoid_, sign as sign_, silu as silu_, sin as sin_, softplus as softplus_, sqrt as sqrt_, sub as sub_, tanh as tanh_, trunc as trunc_ } from './ops/pointwise.js';
import { all as all_, amax as amax_, amin as amin_, any as any_, argmax as argmax_, argmin as argmin_, cumsum as cumsum_, log_softmax as log_softmax_, logsumexp as logsumexp_, max as max_, mean as mean_, min as min_, norm as norm_, prod as prod_, softmax as softmax_, std as std_, sum as sum_, var_ as variance_ } from './ops/reduce.js';
import { addbmm as addbmm_, addmm as addmm_, baddbmm as baddbmm_, bmm as bmm_, dot as dot_, outer as outer_ } from './ops/linalg.js';
import { einsum as einsum_ } from './ops/einsum.js';
import { diag as diag_, diag_embed as diag_embed_, diagonal as diagonal_ } from './ops/diagonal.js';
import { argwhere as argwhere_, masked_select as masked_select_, nonzero as nonzero_, take_along_dim as take_along_dim_, unique as unique_ } from './ops/selection.js';
import { argsort as argsort_, sort as sort_, topk as topk_ } from './ops/sort.js';
import { multinomial as multinomial_ } from './ops/multinomial.js';
import { cat as cat_, chunk as chunk_, concat as concat_, concatenate as concatenate_, flip as flip_, gather as gather_, index_select as index_select_, masked_fill as masked_fill_, one_hot as one_hot_, repeat as repeat_, scatter as scatter_, scatter_add as scatter_add_, split as split_, stack as stack_, tril as tril_, triu as triu_, where as where_ } from './ops/indexing.js';
import { as_strided as as_strided_, clone as clone_, flatten as flatten_, narrow as narrow_, permute as permute_, reshape as reshape_, select as select_, squeeze as squeeze_, t as t_, transpose as transpose_, unbind as unbind_, unflatten as unflatten_, unsqueeze as unsqueeze_, view as view_ } from './ops/views.js';
// torch.* functions take their arguments positionally or by name (ts/ops/signature.ts): one string of
// PyTorch's names, bound in order to the functions
const [
  tensor, as_tensor, from_numpy, zeros, ones, full, empty, zeros_like, ones_like, full_like, empty_like, rand_like, randn_like, randint_like, arange, linspace, eye, rand, randn, randint, randperm, scalar_tensor, add, sub, subtract, mul, multiply, div, divide, remainder, pow, neg, negative, abs, sign, reciprocal, exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, gelu, silu, softplus, erf, floor, ceil, round, trunc, clamp, clip, minimum, maximum, eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor, logical_not, isnan, sum, mean, prod, max, min, amax, amin, argmax, argmin, var_, std, logsumexp, norm, all, any, cumsum, softmax, log_softmax, bmm, dot, outer, addmm, baddbmm, addbmm, einsum, diagonal, diag, diag_embed, masked_select, nonzero, argwhere, unique, take_along_dim, sort, argsort, topk, multinomial, cat, concat, concatenate, stack, split, chunk, index_select, gather, scatter, scatter_add, where, masked_fill, tril, triu, flip, repeat, one_hot, view, reshape, permute, transpose, swapaxes, t, squeeze, unsqueeze, narrow, select, flatten, unflatten, clone, unbind, as_strided,
] = bound('tensor,as_tensor,from_numpy,zeros,ones,full,empty,zeros_like,ones_like,full_like,empty_like,rand_like,randn_like,randint_like,arange,linspace,eye,rand,randn,randint,randperm,scalar_tensor,add,sub,subtract,mul,multiply,div,divide,remainder,pow,neg,negative,abs,sign,reciprocal,exp,log,log1p,expm1,sqrt,rsqrt,sin,cos,tanh,sigmoid,relu,gelu,silu,softplus,erf,floor,ceil,round,trunc,clamp,clip,minimum,maximum,eq,ne,lt,le,gt,ge,logical_and,logical_or,logical_xor,logical_not,isnan,sum,mean,prod,max,min,amax,amin,argmax,argmin,var,std,logsumexp,norm,all,any,cumsum,softmax,log_softmax,bmm,dot,outer,addmm,baddbmm,addbmm,einsum,diagonal,diag,diag_embed,masked_select,nonzero,argwhere,unique,take_along_dim,sort,argsort,topk,multinomial,cat,concat,concatenate,stack,split,chunk,index_select,gather,scatter,scatter_add,where,masked_fill,tril,triu,flip,repeat,one_hot,view,reshape,permute,transpose,swapaxes,t,squeeze,unsqueeze,narrow,select,flatten,unflatten,clone,unbind,as_strided', [
  tensor_, as_tensor_, from_numpy_, zeros_, ones_, full_, empty_, zeros_like_, ones_like_, full_like_, empty_like_, rand_like_, randn_like_, randint_like_, arange_, linspace_, eye_, rand_, randn_, randint_, randperm_, scalar_tensor_, add_, sub_, sub_, mul_, mul_, div_, div_, remainder_, pow_, neg_, neg_, abs_, sign_, reciprocal_, exp_, log_, log1p_, expm1_, sqrt_, rsqrt_, sin_, cos_, tanh_, sigmoid_, relu_, gelu_, silu_, softplus_, erf_, floor_, ceil_, round_, trunc_, clamp_, clamp_, minimum_, maximum_, eq_, ne_, lt_, le_, gt_, ge_, logical_and_, logical_or_, logical_xor_, logical_not_, isnan_, sum_, mean_, prod_, max_, min_, amax_, amin_, argmax_, argmin_, variance_, std_, logsumexp_, norm_, all_, any_, cumsum_, softmax_, log_softmax_, bmm_, dot_, outer_, addmm_, baddbmm_, addbmm_, einsum_, diagonal_, diag_, diag_embed_, masked_select_, nonzero_, argwhere_, unique_, take_along_dim_, sort_, argsort_, topk_, multinomial_, cat_, concat_, concatenate_, stack_, split_, chunk_, index_select_, gather_, scatter_, scatter_add_, where_, masked_fill_, tril_, triu_, flip_, repeat_, one_hot_, view_, reshape_, permute_, transpose_, transpose_, t_, squeeze_, unsqueeze_, narrow_, select_, flatten_, unflatten_, clone_, unbind_, as_strided_,
]);
export {
  tensor, as_tensor, from_numpy, zeros, ones, full, empty, zeros_like, ones_like, full_like, empty_like, rand_like, randn_like, randint_like, arange, linspace, eye, rand, randn, randint, randperm, scalar_tensor, add, sub, subtract, mul, multiply, div, divide, remainder, pow, neg, negative, abs, sign, reciprocal, exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, gelu, silu, softplus, erf, floor, ceil, round, trunc, clamp, clip, minimum, maximum, eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor, logical_not, isnan, sum, mean, prod, max, min, amax, amin, argmax, argmin, var_ as var, std, logsumexp, norm, all, any, cumsum, softmax, log_softmax, bmm, dot, outer, addmm, baddbmm, addbmm, einsum, diagonal, diag, diag_embed, masked_select, nonzero, argwhere, unique, take_along_dim, sort, argsort, topk, multinomial, cat, concat, concatenate, stack, split, chunk, index_select, gather, scatter, scatter_add, where, masked_fill, tril, triu, flip, repeat, one_hot, view, reshape, permute, transpose, swapaxes, t, squeeze, unsqueeze, narrow, select, flatten, unflatten, clone, unbind, as_strided,
};
export * as autograd from './autograd/index.js';
import { wasmVariant } from './backend/wasm/runtime.js';
import { threadsAvailable, threadsReady } from './backend/wasm/threads.js';
export { set_num_threads, get_num_threads } from './threads.js';
import { bound } from './ops/signature.js';

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
export { spmm, sparse, sparse_coo_tensor, SparseCooTensor } from './sparse/index.js';
import { mm as mm_, matmul as matmul_ } from './sparse/index.js';
const [mm, matmul] = bound('mm,matmul', [mm_, matmul_]);
export { mm, matmul };

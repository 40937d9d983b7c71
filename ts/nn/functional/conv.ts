// Convolutions: argument checks as PyTorch makes them, and the autograd wiring of the backend's
// kernels (ts/backend/kernels/conv.ts; on wasm and webgpu both im2col + GEMM).
//
// The three raw ops are each other's derivatives, so they are wrapped as three differentiable
// functions whose backward formulas call one another (double backward works):
//   y  = conv(x, w)              dy/dx -> convInput(g, w)     dy/dw -> convWeight(x, g)
//   gx = convInput(g, w)         d/dg  -> conv(gg, w)         d/dw  -> convWeight(gg, g)
//   gw = convWeight(x, g)        d/dx  -> convInput(g, gg)    d/dg  -> conv(x, gg)
// conv_transpose2d is convInput with its own output size; conv1d is conv2d with H = 1. The
// backend is picked once, by the public op; the backward formulas run on the same one.
import { Tensor } from '../../tensor.js';
import type { DType } from '../../dtype.js';
import { isFloating } from '../../dtype.js';
import { backendFor } from '../../backend/dispatch.js';
import type { Backend } from '../../backend/backend.js';
import type { ConvGeometry as Geo } from '../../backend/kernels/conv.js';
import { applyFunction } from '../../autograd/function.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { parseArgs, leading, ntuple, sizeStr } from './args.js';

function kdtype(op: string, x: Tensor, w: Tensor): DType {
  if (!isFloating(x.dtype)) throw new TypeError(`${op}: expected a floating point input, got ${x.dtype}`);
  if (x.dtype !== w.dtype) throw new TypeError(`${op}: Input type (${x.dtype}) and weight type (${w.dtype}) should be the same`);
  return x.dtype;
}

function convFn(be: Backend, x: Tensor, w: Tensor, b: Tensor | null, g: Geo, OH: number, OW: number): Tensor {
  return applyFunction('ConvolutionBackward0', (ctx, xx: Tensor, ww: Tensor, bb: Tensor | null) => {
    ctx.save_for_backward(xx, ww);
    return new Tensor(be.conv2d(xx, ww, bb, g, OH, OW), [xx.shape[0], ww.shape[0], OH, OW]);
  }, (ctx, gy) => {
    const [xx, ww] = ctx.saved_tensors;
    const gb = ctx.needs_input_grad[2] ? gy.sum([0, 2, 3]) : null;
    if (ctx.needs_input_grad[0] && ctx.needs_input_grad[1]) {
      // one pass computes both; each result is still wrapped as its own differentiable op
      const [gx, gw] = no_grad(() => be.conv2dGrads(xx, ww, gy, g));
      return [convInputFn(be, gy, ww, [...xx.shape], g, new Tensor(gx, xx.shape)), convWeightFn(be, xx, gy, [...ww.shape], g, new Tensor(gw, ww.shape)), gb];
    }
    return [
      ctx.needs_input_grad[0] ? convInputFn(be, gy, ww, [...xx.shape], g) : null,
      ctx.needs_input_grad[1] ? convWeightFn(be, xx, gy, [...ww.shape], g) : null,
      gb,
    ];
  }, [x, w, b]);
}

function convInputFn(be: Backend, gy: Tensor, w: Tensor, xshape: number[], g: Geo, precomputed?: Tensor): Tensor {
  return applyFunction('ConvolutionBackwardInput', (ctx, gg: Tensor, ww: Tensor) => {
    ctx.save_for_backward(gg, ww);
    return precomputed ?? new Tensor(be.conv2dInputGrad(gg, ww, xshape, g), xshape);
  }, (ctx, ggx) => {
    const [gg, ww] = ctx.saved_tensors;
    return [
      ctx.needs_input_grad[0] ? convFn(be, ggx, ww, null, g, gg.shape[2], gg.shape[3]) : null,
      ctx.needs_input_grad[1] ? convWeightFn(be, ggx, gg, [...ww.shape], g) : null,
    ];
  }, [gy, w]);
}

function convWeightFn(be: Backend, x: Tensor, gy: Tensor, wshape: number[], g: Geo, precomputed?: Tensor): Tensor {
  return applyFunction('ConvolutionBackwardWeight', (ctx, xx: Tensor, gg: Tensor) => {
    ctx.save_for_backward(xx, gg);
    return precomputed ?? new Tensor(be.conv2dWeightGrad(xx, gg, wshape, g), wshape);
  }, (ctx, ggw) => {
    const [xx, gg] = ctx.saved_tensors;
    return [
      ctx.needs_input_grad[0] ? convInputFn(be, gg, ggw, [...xx.shape], g) : null,
      ctx.needs_input_grad[1] ? convFn(be, xx, ggw, null, g, gg.shape[2], gg.shape[3]) : null,
    ];
  }, [x, gy]);
}

// ------------------------------------------------------------------ public functional forms

export type Padding = number | number[] | 'same' | 'valid';

interface ConvArgs { bias: Tensor | null; stride: number | number[]; padding: Padding; dilation: number | number[]; groups: number }

/** Checks shapes as PyTorch does and returns [batched input, was unbatched, the backend of the op]. */
function checkConv(op: string, nd: number, x: Tensor, w: Tensor, b: Tensor | null, groups: number): [Tensor, boolean, Backend] {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor, not ${typeof x}`);
  if (!(w instanceof Tensor)) throw new TypeError(`${op}(): argument 'weight' must be Tensor, not ${typeof w}`);
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
    throw new RangeError(`Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: ${sizeStr(x.shape)}`);
  }
  if (w.ndim !== nd + 2) throw new RangeError(`${op}: expected weight to be ${nd + 2}-dimensional, but got weight of size ${sizeStr(w.shape)}`);
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError('non-positive groups is not supported');
  if (w.shape[0] < groups) throw new RangeError(`Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${sizeStr(w.shape)} instead`);
  if (w.shape.slice(2).some((k) => k <= 0)) throw new RangeError(`${op}: kernel size should be greater than zero, but got weight of size ${sizeStr(w.shape)}`);
  const unbatched = x.ndim === nd + 1;
  const xb = unbatched ? x.unsqueeze(0) : x;
  if (w.shape[0] % groups !== 0) throw new RangeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${sizeStr(w.shape)} instead`);
  if (xb.shape[1] !== w.shape[1] * groups) {
    throw new RangeError(`Given groups=${groups}, weight of size ${sizeStr(w.shape)}, expected input${sizeStr(xb.shape)} to have ${w.shape[1] * groups} channels, but got ${xb.shape[1]} channels instead`);
  }
  if (b && (b.ndim !== 1 || b.shape[0] !== w.shape[0])) {
    throw new RangeError(`Given weight of size ${sizeStr(w.shape)}, expected bias to be 1-dimensional with ${w.shape[0]} elements, but got bias of size ${sizeStr(b.shape)} instead`);
  }
  kdtype(op, xb, w);
  if (b && b.dtype !== w.dtype) throw new TypeError(`${op}: Input type (${xb.dtype}) and bias type (${b.dtype}) should be the same`);
  return [xb, unbatched, backendFor(op, [xb, w, b])]; // one device, checked before any kernel reads them
}

/** conv over the last two dims of x [N, C, H, W] with w [O, C/g, kh, kw]; pads given per dim as [before, after]. */
function conv2dCore(be: Backend, op: string, x: Tensor, w: Tensor, b: Tensor | null, stride: number[], pads: [number, number][], dil: number[], groups: number): Tensor {
  const [, , H, W] = x.shape, [, , kh, kw] = w.shape;
  const eh = dil[0] * (kh - 1) + 1, ew = dil[1] * (kw - 1) + 1;
  const Hp = H + pads[0][0] + pads[0][1], Wp = W + pads[1][0] + pads[1][1];
  if (Hp < eh || Wp < ew) {
    const two = op !== 'conv1d';
    throw new RangeError(`${op}: Calculated padded input size per channel: (${two ? `${Hp} x ${Wp}` : Wp}). Kernel size: (${two ? `${eh} x ${ew}` : ew}). Kernel size can't be greater than actual input size`);
  }
  const OH = Math.floor((Hp - eh) / stride[0]) + 1, OW = Math.floor((Wp - ew) / stride[1]) + 1;
  return convFn(be, x, w, b, { sh: stride[0], sw: stride[1], pt: pads[0][0], pl: pads[1][0], dh: dil[0], dw: dil[1], groups }, OH, OW);
}

function resolvePadding(op: string, padding: Padding, n: number, k: number[], dil: number[], stride: number[]): [number, number][] {
  if (padding === 'valid') return Array.from({ length: n }, () => [0, 0] as [number, number]);
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
    return k.map((kk, i) => { const tot = dil[i] * (kk - 1); const lo = Math.floor(tot / 2); return [lo, tot - lo] as [number, number]; });
  }
  if (typeof padding === 'string') throw new RangeError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
  const p = ntuple(padding, n, op, 'padding');
  if (p.some((v) => v < 0)) throw new RangeError('negative padding is not supported');
  return p.map((v) => [v, v] as [number, number]);
}

function checkPositive(op: string, what: string, v: number[]): void {
  if (v.some((x) => x <= 0)) throw new RangeError(`${op}: non-positive ${what} is not supported`);
}

/** F.conv2d(input, weight, bias?, stride=1, padding=0, dilation=1, groups=1) */
export function conv2d(input: Tensor, ...args: unknown[]): Tensor {
  const [[weight], rest] = leading('conv2d', args, ['weight']) as [[Tensor], unknown[]];
  const a = parseArgs<ConvArgs>('conv2d', rest, ['bias', 'stride', 'padding', 'dilation', 'groups'], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 });
  const [x, unb, be] = checkConv('conv2d', 2, input, weight, a.bias, a.groups);
  const stride = ntuple(a.stride, 2, 'conv2d', 'stride'), dil = ntuple(a.dilation, 2, 'conv2d', 'dilation');
  checkPositive('conv2d', 'stride', stride); checkPositive('conv2d', 'dilation', dil);
  const pads = resolvePadding('conv2d', a.padding, 2, weight.shape.slice(2), dil, stride);
  const y = conv2dCore(be, 'conv2d', x, weight, a.bias, stride, pads, dil, a.groups);
  return unb ? y.squeeze(0) : y;
}

/** F.conv1d(input, weight, bias?, stride=1, padding=0, dilation=1, groups=1) */
export function conv1d(input: Tensor, ...args: unknown[]): Tensor {
  const [[weight], rest] = leading('conv1d', args, ['weight']) as [[Tensor], unknown[]];
  const a = parseArgs<ConvArgs>('conv1d', rest, ['bias', 'stride', 'padding', 'dilation', 'groups'], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 });
  const [x, unb, be] = checkConv('conv1d', 1, input, weight, a.bias, a.groups);
  const stride = ntuple(a.stride, 1, 'conv1d', 'stride'), dil = ntuple(a.dilation, 1, 'conv1d', 'dilation');
  checkPositive('conv1d', 'stride', stride); checkPositive('conv1d', 'dilation', dil);
  const pads = resolvePadding('conv1d', a.padding, 1, weight.shape.slice(2), dil, stride);
  const y = conv2dCore(be, 'conv1d', x.unsqueeze(2), weight.unsqueeze(2), a.bias, [1, stride[0]], [[0, 0], pads[0]], [1, dil[0]], a.groups).squeeze(2);
  return unb ? y.squeeze(0) : y;
}

interface ConvTArgs { bias: Tensor | null; stride: number | number[]; padding: number | number[]; output_padding: number | number[]; groups: number; dilation: number | number[] }

/** F.conv_transpose2d(input, weight, bias?, stride=1, padding=0, output_padding=0, groups=1, dilation=1) */
export function conv_transpose2d(input: Tensor, ...args: unknown[]): Tensor {
  const [[weight], rest] = leading('conv_transpose2d', args, ['weight']) as [[Tensor], unknown[]];
  const op = 'conv_transpose2d';
  const a = parseArgs<ConvTArgs>(op, rest, ['bias', 'stride', 'padding', 'output_padding', 'groups', 'dilation'], { bias: null, stride: 1, padding: 0, output_padding: 0, groups: 1, dilation: 1 });
  if (!(input instanceof Tensor) || (input.ndim !== 3 && input.ndim !== 4)) {
    throw new RangeError(`Expected 3D (unbatched) or 4D (batched) input to ${op}, but got input of size: ${sizeStr(input?.shape ?? [])}`);
  }
  if (weight.ndim !== 4 || weight.numel() === 0) throw new RangeError(`${op}: non-empty 2D or 4D weight tensor expected, but got: ${sizeStr(weight.shape)}`);
  const unb = input.ndim === 3;
  const x = unb ? input.unsqueeze(0) : input;
  const g = a.groups;
  if (x.shape[1] !== weight.shape[0]) {
    throw new RangeError(`Given transposed=1, weight of size ${sizeStr(weight.shape)}, expected input${sizeStr(x.shape)} to have ${weight.shape[0]} channels, but got ${x.shape[1]} channels instead`);
  }
  if (weight.shape[0] % g !== 0) throw new RangeError(`Given groups=${g}, expected weight to be divisible by ${g} at dimension 0`);
  kdtype(op, x, weight);
  const be = backendFor(op, [x, weight, a.bias]);
  const stride = ntuple(a.stride, 2, op, 'stride'), pad = ntuple(a.padding, 2, op, 'padding');
  const opad = ntuple(a.output_padding, 2, op, 'output_padding'), dil = ntuple(a.dilation, 2, op, 'dilation');
  checkPositive(op, 'stride', stride); checkPositive(op, 'dilation', dil);
  for (let i = 0; i < 2; i++) {
    if (opad[i] >= stride[i] && opad[i] >= dil[i]) throw new RangeError(`${op}: output padding must be smaller than either stride or dilation, but got output_padding=(${opad.join(', ')}), stride=(${stride.join(', ')}), dilation=(${dil.join(', ')})`);
  }
  const Cout = weight.shape[1] * g;
  const [N, , H, W] = x.shape;
  const Ho = (H - 1) * stride[0] - 2 * pad[0] + dil[0] * (weight.shape[2] - 1) + opad[0] + 1;
  const Wo = (W - 1) * stride[1] - 2 * pad[1] + dil[1] * (weight.shape[3] - 1) + opad[1] + 1;
  if (Ho <= 0 || Wo <= 0) throw new RangeError(`${op}: the computed output size (${Ho} x ${Wo}) is too small`);
  let y = convInputFn(be, x, weight, [N, Cout, Ho, Wo], { sh: stride[0], sw: stride[1], pt: pad[0], pl: pad[1], dh: dil[0], dw: dil[1], groups: g });
  if (a.bias) y = y.add(a.bias.view([1, Cout, 1, 1]));
  return unb ? y.squeeze(0) : y;
}

export { conv2dCore as _conv2dCore };

// Convolutions on im2col + the SIMD GEMM kernel. Each of forward, input-gradient and
// weight-gradient runs inside one scratch() section, so the column matrix never leaves wasm memory.
//
// The three raw ops are each other's derivatives, so they are wrapped as three differentiable
// functions whose backward formulas call one another (double backward works):
//   y  = conv(x, w)              dy/dx -> convInput(g, w)     dy/dw -> convWeight(x, g)
//   gx = convInput(g, w)         d/dg  -> conv(gg, w)         d/dw  -> convWeight(gg, g)
//   gw = convWeight(x, g)        d/dx  -> convInput(g, gg)    d/dg  -> conv(x, gg)
// conv_transpose2d is convInput with its own output size; conv1d is conv2d with H = 1.
// On webgpu the raw ops run the same im2col + GEMM scheme in WGSL (gpu/conv.ts).
import { Tensor } from '../../tensor.js';
import type { DType } from '../../dtype.js';
import { isFloating } from '../../dtype.js';
import { numel } from '../../shape.js';
import { K, alloc, take, scratch, materialize } from '../../backend/cpu.js';
import { applyFunction } from '../../autograd/function.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { parseArgs, ntuple, sizeStr } from './args.js';
import { onWebgpu } from '../../device.js';
import { convGpu, convInputGpu, convWeightGpu, convBothGpu } from '../../../gpu/conv.js';

/** Geometry shared by the three ops: strides, top/left padding, dilations, groups. */
interface Geo { sh: number; sw: number; pt: number; pl: number; dh: number; dw: number; groups: number }

let COL_BYTES = 1 << 20; // column-matrix budget per batch chunk (fits L2: the GEMM packs it while it is hot)
/** tuning hook: the column-matrix budget per batch chunk, in bytes */
export function _setConvChunkBytes(b: number): void { COL_BYTES = b; }

function kdtype(op: string, x: Tensor, w: Tensor): DType {
  if (!isFloating(x.dtype)) throw new TypeError(`${op}: expected a floating point input, got ${x.dtype}`);
  if (x.dtype !== w.dtype) throw new TypeError(`${op}: Input type (${x.dtype}) and weight type (${w.dtype}) should be the same`);
  return x.dtype;
}


const sfx = (d: DType) => (d === 'float32' ? 'f32' : 'f64');
const esOf = (d: DType) => (d === 'float32' ? 4 : 8);

function chunkOf(N: number, rowsK: number, S: number, es: number): number {
  return Math.max(1, Math.min(N, Math.floor(COL_BYTES / Math.max(1, rowsK * S * es))));
}

/** y[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C/g, kh, kw]) + b */
function convRaw(x: Tensor, w: Tensor, b: Tensor | null, g: Geo, OH: number, OW: number): Tensor {
  if (x.is_webgpu) return convGpu(x, w, b, g, OH, OW);
  const dt = x.dtype, es = esOf(dt), s = sfx(dt);
  const [N, C, H, W] = x.shape, [O, Cg, kh, kw] = w.shape;
  const S = OH * OW, Kg = Cg * kh * kw, Og = O / g.groups;
  const n = N * O * S;
  if (n === 0) return Tensor._fromData(new (dt === 'float32' ? Float32Array : Float64Array)(n), dt, [N, O, OH, OW]);
  const data = scratch(() => {
    const xp = materialize(x, dt), wp = materialize(w, dt), bp = b ? materialize(b, dt) : 0;
    const Nc = chunkOf(N, C * kh * kw, S, es);
    const tmp = alloc(O * N * S * es);
    const col = alloc(C * kh * kw * Nc * S * es);
    const ws = alloc(K[`gemm_${s}_workspace`](Og, Nc * S, Kg));
    const gemm = K[`gemm_${s}`], im2col = K[`im2col_${s}`];
    for (let n0 = 0; n0 < N; n0 += Nc) {
      const nc = Math.min(Nc, N - n0), cols = nc * S;
      im2col(xp + n0 * C * H * W * es, col, nc, C, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, OH, OW);
      for (let gi = 0; gi < g.groups; gi++) {
        gemm(Og, cols, Kg, 1, wp + gi * Og * Kg * es, Kg, 1, col + gi * Kg * cols * es, cols, 1, 0,
          tmp + (gi * Og * N * S + n0 * S) * es, N * S, ws);
      }
    }
    const out = alloc(n * es);
    K[`cns_to_ncs_${s}`](tmp, out, bp, N, O, S);
    return take(out, dt, n);
  });
  return Tensor._fromData(data, dt, [N, O, OH, OW]);
}

/** gx[xshape] = the gradient of conv(x, w) wrt x, for output gradient gy[N, O, OH, OW] */
function convInputRaw(gy: Tensor, w: Tensor, xshape: number[], g: Geo): Tensor {
  if (gy.is_webgpu) return convInputGpu(gy, w, xshape, g);
  const dt = gy.dtype, es = esOf(dt), s = sfx(dt);
  const [N, O, OH, OW] = gy.shape, [, Cg, kh, kw] = w.shape;
  const [, C, H, W] = xshape;
  const S = OH * OW, Kg = Cg * kh * kw, Og = O / g.groups;
  const n = numel(xshape);
  if (n === 0 || S === 0 || O === 0) return Tensor._fromData(new (dt === 'float32' ? Float32Array : Float64Array)(n), dt, xshape);
  const data = scratch(() => {
    const gp = materialize(gy, dt), wp = materialize(w, dt);
    const gt = alloc(O * N * S * es);
    K[`ncs_to_cns_${s}`](gp, gt, N, O, S);
    const dx = alloc(n * es);
    K.zero_bytes(dx, n * es);
    const Nc = chunkOf(N, C * kh * kw, S, es);
    const col = alloc(C * kh * kw * Nc * S * es);
    const ws = alloc(K[`gemm_${s}_workspace`](Kg, Nc * S, Og));
    const gemm = K[`gemm_${s}`], col2im = K[`col2im_${s}`];
    for (let n0 = 0; n0 < N; n0 += Nc) {
      const nc = Math.min(Nc, N - n0), cols = nc * S;
      for (let gi = 0; gi < g.groups; gi++) {
        gemm(Kg, cols, Og, 1, wp + gi * Og * Kg * es, 1, Kg, gt + (gi * Og * N * S + n0 * S) * es, N * S, 1, 0,
          col + gi * Kg * cols * es, cols, ws);
      }
      col2im(col, dx + n0 * C * H * W * es, nc, C, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, OH, OW);
    }
    return take(dx, dt, n);
  });
  return Tensor._fromData(data, dt, xshape);
}

/** gw[wshape] = the gradient of conv(x, w) wrt w, for output gradient gy */
function convWeightRaw(x: Tensor, gy: Tensor, wshape: number[], g: Geo): Tensor {
  if (x.is_webgpu) return convWeightGpu(x, gy, wshape, g);
  const dt = x.dtype, es = esOf(dt), s = sfx(dt);
  const [N, C, H, W] = x.shape, [, O, OH, OW] = gy.shape;
  const [, Cg, kh, kw] = wshape;
  const S = OH * OW, Kg = Cg * kh * kw, Og = O / g.groups;
  const n = numel(wshape);
  if (n === 0 || N * S === 0) return Tensor._fromData(new (dt === 'float32' ? Float32Array : Float64Array)(n), dt, wshape);
  const data = scratch(() => {
    const xp = materialize(x, dt), gp = materialize(gy, dt);
    const gt = alloc(O * N * S * es);
    K[`ncs_to_cns_${s}`](gp, gt, N, O, S);
    const dw = alloc(n * es);
    const Nc = chunkOf(N, C * kh * kw, S, es);
    const col = alloc(C * kh * kw * Nc * S * es);
    const ws = alloc(K[`gemm_${s}_workspace`](Og, Kg, Nc * S));
    const gemm = K[`gemm_${s}`], im2col = K[`im2col_${s}`];
    for (let n0 = 0; n0 < N; n0 += Nc) {
      const nc = Math.min(Nc, N - n0), cols = nc * S;
      im2col(xp + n0 * C * H * W * es, col, nc, C, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, OH, OW);
      for (let gi = 0; gi < g.groups; gi++) {
        gemm(Og, Kg, cols, 1, gt + (gi * Og * N * S + n0 * S) * es, N * S, 1, col + gi * Kg * cols * es, 1, cols,
          n0 === 0 ? 0 : 1, dw + gi * Og * Kg * es, Kg, ws);
      }
    }
    return take(dw, dt, n);
  });
  return Tensor._fromData(data, dt, wshape);
}

/**
 * Both gradients of conv(x, w) in one scratch pass (gy is transposed once; per batch chunk the
 * columns of x feed the weight gradient, then the same buffer takes the input-gradient columns).
 */
function convBothRaw(x: Tensor, w: Tensor, gy: Tensor, g: Geo): [Tensor, Tensor] {
  if (x.is_webgpu) return convBothGpu(x, w, gy, g);
  const dt = x.dtype, es = esOf(dt), s = sfx(dt);
  const [N, C, H, W] = x.shape, [O, Cg, kh, kw] = w.shape, [, , OH, OW] = gy.shape;
  const S = OH * OW, Kg = Cg * kh * kw, Og = O / g.groups;
  const nx = numel(x.shape), nw = numel(w.shape);
  if (nx === 0 || nw === 0 || N * S === 0) return [convInputRaw(gy, w, [...x.shape], g), convWeightRaw(x, gy, [...w.shape], g)];
  const [dxd, dwd] = scratch(() => {
    const xp = materialize(x, dt), wp = materialize(w, dt), gp = materialize(gy, dt);
    const gt = alloc(O * N * S * es);
    K[`ncs_to_cns_${s}`](gp, gt, N, O, S);
    const dx = alloc(nx * es), dw = alloc(nw * es);
    K.zero_bytes(dx, nx * es);
    const Nc = chunkOf(N, C * kh * kw, S, es);
    const col = alloc(C * kh * kw * Nc * S * es);
    const ws = alloc(Math.max(K[`gemm_${s}_workspace`](Og, Kg, Nc * S), K[`gemm_${s}_workspace`](Kg, Nc * S, Og)));
    const gemm = K[`gemm_${s}`];
    for (let n0 = 0; n0 < N; n0 += Nc) {
      const nc = Math.min(Nc, N - n0), cols = nc * S;
      K[`im2col_${s}`](xp + n0 * C * H * W * es, col, nc, C, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, OH, OW);
      for (let gi = 0; gi < g.groups; gi++) {
        gemm(Og, Kg, cols, 1, gt + (gi * Og * N * S + n0 * S) * es, N * S, 1, col + gi * Kg * cols * es, 1, cols,
          n0 === 0 ? 0 : 1, dw + gi * Og * Kg * es, Kg, ws);
      }
      for (let gi = 0; gi < g.groups; gi++) {
        gemm(Kg, cols, Og, 1, wp + gi * Og * Kg * es, 1, Kg, gt + (gi * Og * N * S + n0 * S) * es, N * S, 1, 0,
          col + gi * Kg * cols * es, cols, ws);
      }
      K[`col2im_${s}`](col, dx + n0 * C * H * W * es, nc, C, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, OH, OW);
    }
    return [take(dx, dt, nx), take(dw, dt, nw)];
  });
  return [Tensor._fromData(dxd, dt, [...x.shape]), Tensor._fromData(dwd, dt, [...w.shape])];
}

function convFn(x: Tensor, w: Tensor, b: Tensor | null, g: Geo, OH: number, OW: number): Tensor {
  return applyFunction('ConvolutionBackward0', (ctx, xx: Tensor, ww: Tensor, bb: Tensor | null) => {
    ctx.save_for_backward(xx, ww);
    return convRaw(xx, ww, bb, g, OH, OW);
  }, (ctx, gy) => {
    const [xx, ww] = ctx.saved_tensors;
    const gb = ctx.needs_input_grad[2] ? gy.sum([0, 2, 3]) : null;
    if (ctx.needs_input_grad[0] && ctx.needs_input_grad[1]) {
      // one pass computes both; each result is still wrapped as its own differentiable op
      const [gx, gw] = no_grad(() => convBothRaw(xx, ww, gy, g));
      return [convInputFn(gy, ww, [...xx.shape], g, gx), convWeightFn(xx, gy, [...ww.shape], g, gw), gb];
    }
    return [
      ctx.needs_input_grad[0] ? convInputFn(gy, ww, [...xx.shape], g) : null,
      ctx.needs_input_grad[1] ? convWeightFn(xx, gy, [...ww.shape], g) : null,
      gb,
    ];
  }, [x, w, b]);
}

function convInputFn(gy: Tensor, w: Tensor, xshape: number[], g: Geo, precomputed?: Tensor): Tensor {
  return applyFunction('ConvolutionBackwardInput', (ctx, gg: Tensor, ww: Tensor) => {
    ctx.save_for_backward(gg, ww);
    return precomputed ?? convInputRaw(gg, ww, xshape, g);
  }, (ctx, ggx) => {
    const [gg, ww] = ctx.saved_tensors;
    return [
      ctx.needs_input_grad[0] ? convFn(ggx, ww, null, g, gg.shape[2], gg.shape[3]) : null,
      ctx.needs_input_grad[1] ? convWeightFn(ggx, gg, [...ww.shape], g) : null,
    ];
  }, [gy, w]);
}

function convWeightFn(x: Tensor, gy: Tensor, wshape: number[], g: Geo, precomputed?: Tensor): Tensor {
  return applyFunction('ConvolutionBackwardWeight', (ctx, xx: Tensor, gg: Tensor) => {
    ctx.save_for_backward(xx, gg);
    return precomputed ?? convWeightRaw(xx, gg, wshape, g);
  }, (ctx, ggw) => {
    const [xx, gg] = ctx.saved_tensors;
    return [
      ctx.needs_input_grad[0] ? convInputFn(gg, ggw, [...xx.shape], g) : null,
      ctx.needs_input_grad[1] ? convFn(xx, ggw, null, g, gg.shape[2], gg.shape[3]) : null,
    ];
  }, [x, gy]);
}

// ------------------------------------------------------------------ public functional forms

export type Padding = number | number[] | 'same' | 'valid';

interface ConvArgs { bias: Tensor | null; stride: number | number[]; padding: Padding; dilation: number | number[]; groups: number }

/** Checks shapes as PyTorch does and returns [batched input, was unbatched]. */
function checkConv(op: string, nd: number, x: Tensor, w: Tensor, b: Tensor | null, groups: number): [Tensor, boolean] {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor, not ${typeof x}`);
  if (!(w instanceof Tensor)) throw new TypeError(`${op}(): argument 'weight' must be Tensor, not ${typeof w}`);
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
    throw new RangeError(`Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: ${sizeStr(x.shape)}`);
  }
  if (w.ndim !== nd + 2) throw new RangeError(`${op}: expected weight to be ${nd + 2}-dimensional, but got weight of size ${sizeStr(w.shape)}`);
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError('non-positive groups is not supported');
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
  onWebgpu(op, [xb, w, b]); // one device, checked before any kernel reads them
  return [xb, unbatched];
}

/** conv over the last two dims of x [N, C, H, W] with w [O, C/g, kh, kw]; pads given per dim as [before, after]. */
function conv2dCore(op: string, x: Tensor, w: Tensor, b: Tensor | null, stride: number[], pads: [number, number][], dil: number[], groups: number): Tensor {
  const [, , H, W] = x.shape, [, , kh, kw] = w.shape;
  const eh = dil[0] * (kh - 1) + 1, ew = dil[1] * (kw - 1) + 1;
  const Hp = H + pads[0][0] + pads[0][1], Wp = W + pads[1][0] + pads[1][1];
  if (Hp < eh || Wp < ew) {
    const two = op !== 'conv1d';
    throw new RangeError(`${op}: Calculated padded input size per channel: (${two ? `${Hp} x ${Wp}` : Wp}). Kernel size: (${two ? `${eh} x ${ew}` : ew}). Kernel size can't be greater than actual input size`);
  }
  const OH = Math.floor((Hp - eh) / stride[0]) + 1, OW = Math.floor((Wp - ew) / stride[1]) + 1;
  return convFn(x, w, b, { sh: stride[0], sw: stride[1], pt: pads[0][0], pl: pads[1][0], dh: dil[0], dw: dil[1], groups }, OH, OW);
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
export function conv2d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  const a = parseArgs<ConvArgs>('conv2d', rest, ['bias', 'stride', 'padding', 'dilation', 'groups'], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 });
  const [x, unb] = checkConv('conv2d', 2, input, weight, a.bias, a.groups);
  const stride = ntuple(a.stride, 2, 'conv2d', 'stride'), dil = ntuple(a.dilation, 2, 'conv2d', 'dilation');
  checkPositive('conv2d', 'stride', stride); checkPositive('conv2d', 'dilation', dil);
  const pads = resolvePadding('conv2d', a.padding, 2, weight.shape.slice(2), dil, stride);
  const y = conv2dCore('conv2d', x, weight, a.bias, stride, pads, dil, a.groups);
  return unb ? y.squeeze(0) : y;
}

/** F.conv1d(input, weight, bias?, stride=1, padding=0, dilation=1, groups=1) */
export function conv1d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  const a = parseArgs<ConvArgs>('conv1d', rest, ['bias', 'stride', 'padding', 'dilation', 'groups'], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 });
  const [x, unb] = checkConv('conv1d', 1, input, weight, a.bias, a.groups);
  const stride = ntuple(a.stride, 1, 'conv1d', 'stride'), dil = ntuple(a.dilation, 1, 'conv1d', 'dilation');
  checkPositive('conv1d', 'stride', stride); checkPositive('conv1d', 'dilation', dil);
  const pads = resolvePadding('conv1d', a.padding, 1, weight.shape.slice(2), dil, stride);
  const y = conv2dCore('conv1d', x.unsqueeze(2), weight.unsqueeze(2), a.bias, [1, stride[0]], [[0, 0], pads[0]], [1, dil[0]], a.groups).squeeze(2);
  return unb ? y.squeeze(0) : y;
}

interface ConvTArgs { bias: Tensor | null; stride: number | number[]; padding: number | number[]; output_padding: number | number[]; groups: number; dilation: number | number[] }

/** F.conv_transpose2d(input, weight, bias?, stride=1, padding=0, output_padding=0, groups=1, dilation=1) */
export function conv_transpose2d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  const op = 'conv_transpose2d';
  const a = parseArgs<ConvTArgs>(op, rest, ['bias', 'stride', 'padding', 'output_padding', 'groups', 'dilation'], { bias: null, stride: 1, padding: 0, output_padding: 0, groups: 1, dilation: 1 });
  if (!(input instanceof Tensor) || (input.ndim !== 3 && input.ndim !== 4)) {
    throw new RangeError(`Expected 3D (unbatched) or 4D (batched) input to ${op}, but got input of size: ${sizeStr(input?.shape ?? [])}`);
  }
  if (weight.ndim !== 4) throw new RangeError(`${op}: expected weight to be 4-dimensional, but got weight of size ${sizeStr(weight.shape)}`);
  const unb = input.ndim === 3;
  const x = unb ? input.unsqueeze(0) : input;
  const g = a.groups;
  if (x.shape[1] !== weight.shape[0]) {
    throw new RangeError(`Given transposed=1, weight of size ${sizeStr(weight.shape)}, expected input${sizeStr(x.shape)} to have ${weight.shape[0]} channels, but got ${x.shape[1]} channels instead`);
  }
  if (weight.shape[0] % g !== 0) throw new RangeError(`Given groups=${g}, expected weight to be divisible by ${g} at dimension 0`);
  kdtype(op, x, weight);
  onWebgpu(op, [x, weight, a.bias]);
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
  let y = convInputFn(x, weight, [N, Cout, Ho, Wo], { sh: stride[0], sw: stride[1], pt: pad[0], pl: pad[1], dh: dil[0], dw: dil[1], groups: g });
  if (a.bias) y = y.add(a.bias.view([1, Cout, 1, 1]));
  return unb ? y.squeeze(0) : y;
}

export { conv2dCore as _conv2dCore };

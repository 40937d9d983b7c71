// Pooling on the wasm kernels in assembly/pool.ts. Max pooling returns argmax indices (flat in
// each H*W plane, as PyTorch); its backward scatters through them, and the backward of that is a
// gather, so double backward works. Average pooling's backward is linear and its own adjoint pair.
// The kernels are the backend's (ts/backend/kernels/pool.ts; same windows, same results on
// every backend).
import { Tensor } from '../../tensor.js';
import { isFloating } from '../../dtype.js';
import { backendFor } from '../../backend/dispatch.js';
import type { PoolGeom } from '../../backend/kernels/pool.js';
import { applyFunction } from '../../autograd/function.js';
import type { FunctionCtx } from '../../autograd/node.js';
import { parseArgs, required, ntuple, sizeStr } from './args.js';

/** A 2-d sliding-window geometry. */
function windowGeom(H: number, W: number, OH: number, OW: number, k: number[], s: number[], p: number[], d: number[]): PoolGeom {
  return { H, W, OH, OW, adaptive: false, k, s, p, d };
}

function checkFloat(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor, not ${typeof x}`);
  if (!isFloating(x.dtype)) throw new TypeError(`"${op}" not implemented for '${x.dtype}'`);
}

/** dx[P, HW] = scatter-add of g[P, S] through idx[P, S] (inShape ends in [H, W]); `geom` is the pool's */
function scatterRaw(g: Tensor, idx: Tensor, inShape: number[], geom: PoolGeom): Tensor {
  return new Tensor(backendFor('max_pool2d_backward', [g, idx]).maxPoolBackward(g, idx, geom, inShape), inShape);
}

/** out[P, S] = x[P, idx[P, S]] */
function gatherRaw(x: Tensor, idx: Tensor): Tensor {
  return new Tensor(backendFor('max_pool2d_backward', [x, idx]).poolGather(x, idx), idx.shape);
}

function scatterFn(g: Tensor, idx: Tensor, inShape: number[], geom: PoolGeom): Tensor {
  return applyFunction('MaxPool2DWithIndicesBackward0', () => scatterRaw(g, idx, inShape, geom),
    (_ctx, gg) => [gatherFn(gg, idx, geom)], [g]);
}
function gatherFn(x: Tensor, idx: Tensor, geom: PoolGeom): Tensor {
  const shape = [...x.shape];
  return applyFunction('PoolGatherBackward', () => gatherRaw(x, idx), (_ctx, gg) => [scatterFn(gg, idx, shape, geom)], [x]);
}

/** Output length of a pooling window sweep, with PyTorch's ceil_mode rule. */
function pooledSize(op: string, inSize: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = inSize + 2 * p - d * (k - 1) - 1;
  let out = Math.floor((num + (ceil ? s - 1 : 0)) / s) + 1;
  // the last window must start inside the input or left padding
  if (ceil && (out - 1) * s >= inSize + p) out--;
  if (out <= 0) throw new RangeError(`${op}: Given input size: (${inSize}). Calculated output size: (${out}). Output size is too small`);
  return out;
}

/** Splits [.., H, W] into P planes; returns [batched 4-D-ish view, leading shape]. */
function planes(op: string, x: Tensor, nd: number): number[] {
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
    throw new RangeError(`${op}: Expected ${nd + 1}D or ${nd + 2}D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${sizeStr(x.shape)}`);
  }
  return x.shape.slice(0, x.ndim - nd);
}

interface PoolArgs { kernel_size: number | number[]; stride: number | number[] | null; padding: number | number[]; dilation: number | number[]; ceil_mode: boolean; return_indices: boolean }

function maxPoolCore(op: string, x: Tensor, nd: number, a: PoolArgs): [Tensor, Tensor] {
  checkFloat(op, x);
  const lead = planes(op, x, nd);
  const k = ntuple(a.kernel_size, nd, op, 'kernel_size');
  const s = a.stride === null || (Array.isArray(a.stride) && a.stride.length === 0) ? k : ntuple(a.stride, nd, op, 'stride');
  const p = ntuple(a.padding, nd, op, 'padding'), d = ntuple(a.dilation, nd, op, 'dilation');
  if (k.some((v) => v <= 0)) throw new RangeError(`${op}: kernel_size must be greater than zero, but got ${sizeStr(k)}`);
  if (s.some((v) => v <= 0)) throw new RangeError(`${op}: stride must be greater than zero, but got ${sizeStr(s)}`);
  if (d.some((v) => v <= 0)) throw new RangeError(`${op}: dilation must be greater than zero, but got ${sizeStr(d)}`);
  if (p.some((v, i) => v < 0 || v > k[i] / 2)) throw new RangeError(`${op}: pad should be at most half of effective kernel size, but got pad=${p.join(', ')}, kernel_size=${k.join(', ')}`);
  // 1-d pools run as 2-d with H = 1
  const K2 = nd === 1 ? [1, k[0]] : k, S2 = nd === 1 ? [1, s[0]] : s, P2 = nd === 1 ? [0, p[0]] : p, D2 = nd === 1 ? [1, d[0]] : d;
  const H = nd === 1 ? 1 : x.shape[x.ndim - 2], W = x.shape[x.ndim - 1];
  const OH = nd === 1 ? 1 : pooledSize(op, H, K2[0], S2[0], P2[0], D2[0], a.ceil_mode);
  const OW = pooledSize(op, W, K2[1], S2[1], P2[1], D2[1], a.ceil_mode);
  const outShape = nd === 1 ? [...lead, OW] : [...lead, OH, OW];
  const inShape = [...x.shape];
  const geom = windowGeom(H, W, OH, OW, K2, S2, P2, D2);
  const res = applyFunction('MaxPool2DWithIndicesBackward0', (ctx, xx: Tensor) => maxPoolRaw(op, ctx, xx, geom, outShape), (ctx, g) => {
    const [idx] = ctx.saved_tensors;
    return [scatterFn(g, idx, nd === 1 ? [...inShape.slice(0, -1), 1, inShape[inShape.length - 1]] : inShape, geom).reshape(inShape)];
  }, [x], { kernel_shape: k, strides: s, pads: [...p, ...p], dilations: d, ceil_mode: a.ceil_mode ? 1 : 0 }) as Tensor[];
  return [res[0], res[1]];
}

/** Max pooling's values and indices (saved for backward, not differentiable). */
function maxPoolRaw(op: string, ctx: FunctionCtx, x: Tensor, geom: PoolGeom, outShape: number[]): Tensor[] {
  const [v, i] = backendFor(op, [x]).maxPool(x, geom, outShape);
  const values = new Tensor(v, outShape), indices = new Tensor(i, outShape);
  ctx.save_for_backward(indices);
  ctx.mark_non_differentiable(indices);
  return [values, indices];
}

const POOL_NAMES: (keyof PoolArgs)[] = ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices'];
const POOL_DEFAULTS: Partial<PoolArgs> = { stride: null, padding: 0, dilation: 1, ceil_mode: false, return_indices: false };

/** F.max_pool2d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false) */
export function max_pool2d(input: Tensor, ...rest: unknown[]): any {
  const a = parseArgs<PoolArgs>('max_pool2d', rest, POOL_NAMES, POOL_DEFAULTS);
  const [v, i] = maxPoolCore('max_pool2d', input, 2, a);
  return a.return_indices ? [v, i] : v;
}
export function max_pool2d_with_indices(input: Tensor, ...rest: unknown[]): [Tensor, Tensor] {
  const a = parseArgs<PoolArgs>('max_pool2d_with_indices', rest, POOL_NAMES, POOL_DEFAULTS);
  return maxPoolCore('max_pool2d', input, 2, a);
}
/** F.max_pool1d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false) */
export function max_pool1d(input: Tensor, ...rest: unknown[]): any {
  const a = parseArgs<PoolArgs>('max_pool1d', rest, POOL_NAMES, POOL_DEFAULTS);
  const [v, i] = maxPoolCore('max_pool1d', input, 1, a);
  return a.return_indices ? [v, i] : v;
}

interface AvgArgs { kernel_size: number | number[]; stride: number | number[] | null; padding: number | number[]; ceil_mode: boolean; count_include_pad: boolean; divisor_override: number | null }

/** Average pooling (forward: x -> `shape` [..., OH, OW]) or its backward (x: the output gradient -> `shape` [..., H, W]). */
function avgRaw(op: string, x: Tensor, geom: PoolGeom, backward: boolean, shape: number[]): Tensor {
  return new Tensor(backendFor(op, [x]).avgPool(x, geom, backward, shape), shape);
}

function avgFn(x: Tensor, geom: PoolGeom, backward: boolean, inShape: number[], outShape: number[]): Tensor {
  return applyFunction(backward ? 'AvgPool2DBackwardBackward0' : 'AvgPool2DBackward0',
    () => avgRaw('avg_pool2d', x, geom, backward, backward ? inShape : outShape),
    (_ctx, g) => [avgFn(g, geom, !backward, inShape, outShape)], [x]);
}

/** F.avg_pool2d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true, divisor_override=null) */
export function avg_pool2d(input: Tensor, ...rest: unknown[]): Tensor {
  const op = 'avg_pool2d';
  const a = parseArgs<AvgArgs>(op, rest, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'],
    { stride: null, padding: 0, ceil_mode: false, count_include_pad: true, divisor_override: null });
  checkFloat(op, input);
  const lead = planes(op, input, 2);
  const k = ntuple(a.kernel_size, 2, op, 'kernel_size');
  const s = a.stride === null || (Array.isArray(a.stride) && a.stride.length === 0) ? k : ntuple(a.stride, 2, op, 'stride');
  const p = ntuple(a.padding, 2, op, 'padding');
  if (k.some((v) => v <= 0)) throw new RangeError(`${op}: kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
  if (s.some((v) => v <= 0)) throw new RangeError(`${op}: stride should not be zero`);
  if (p.some((v, i) => v > k[i] / 2)) throw new RangeError(`${op}: pad should be smaller than or equal to half of kernel size, but got padW = ${p[1]}, padH = ${p[0]}, kW = ${k[1]}, kH = ${k[0]}`);
  if (a.divisor_override !== null && a.divisor_override <= 0) throw new RangeError(`${op}: divisor must be not zero`);
  const H = input.shape[input.ndim - 2], W = input.shape[input.ndim - 1];
  const OH = pooledSize(op, H, k[0], s[0], p[0], 1, a.ceil_mode), OW = pooledSize(op, W, k[1], s[1], p[1], 1, a.ceil_mode);
  const geom: PoolGeom = { ...windowGeom(H, W, OH, OW, k, s, p, [1, 1]), includePad: a.count_include_pad, divisor: a.divisor_override ?? 0 };
  return avgFn(input, geom, false, [...input.shape], [...lead, OH, OW]);
}

function adaptiveAvgFn(x: Tensor, H: number, W: number, OH: number, OW: number, backward: boolean, inShape: number[], outShape: number[]): Tensor {
  return applyFunction(backward ? 'AdaptiveAvgPool2DBackwardBackward0' : 'AdaptiveAvgPool2DBackward0',
    () => avgRaw('adaptive_avg_pool2d', x, { H, W, OH, OW, adaptive: true }, backward, backward ? inShape : outShape), (_ctx, g) => [adaptiveAvgFn(g, H, W, OH, OW, !backward, inShape, outShape)], [x]);
}

function outputSize(op: string, v: unknown, x: Tensor): number[] {
  const o = Array.isArray(v) ? v : [v, v];
  if (o.length !== 2) throw new RangeError(`${op}: output_size must be 2`);
  const out = o.map((e, i) => (e === null || e === undefined ? x.shape[x.ndim - 2 + i] : (e as number)));
  if (out.some((e) => !Number.isInteger(e) || e < 0)) throw new RangeError(`${op}: elements of output_size must be greater than or equal to 0 but received {${out.join(', ')}}`);
  return out;
}

/** F.adaptive_avg_pool2d(input, output_size) */
type AdaptiveArgs = { output_size: number | (number | null)[]; return_indices: boolean };
function adaptiveArgs(op: string, args: unknown[], names: (keyof AdaptiveArgs)[]): AdaptiveArgs {
  const a = parseArgs<AdaptiveArgs>(op, args, names, { return_indices: false });
  required(op, a, ['output_size']);
  return a;
}

export function adaptive_avg_pool2d(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'adaptive_avg_pool2d';
  const { output_size } = adaptiveArgs(op, args, ['output_size']);
  checkFloat(op, input);
  const lead = planes(op, input, 2);
  if (input.shape.slice(-2).some((v) => v === 0)) throw new RangeError(`${op}: Expected input to have non-zero size for non-batch dimensions, but input has sizes ${sizeStr(input.shape)}`);
  const [OH, OW] = outputSize(op, output_size, input);
  return adaptiveAvgFn(input, input.shape[input.ndim - 2], input.shape[input.ndim - 1], OH, OW, false, [...input.shape], [...lead, OH, OW]);
}

/** F.adaptive_max_pool2d(input, output_size, return_indices=false) */
export function adaptive_max_pool2d(input: Tensor, ...args: unknown[]): any {
  const op = 'adaptive_max_pool2d';
  const { output_size, return_indices: ri } = adaptiveArgs(op, args, ['output_size', 'return_indices']);
  checkFloat(op, input);
  const lead = planes(op, input, 2);
  const [OH, OW] = outputSize(op, output_size, input);
  const H = input.shape[input.ndim - 2], W = input.shape[input.ndim - 1];
  const outShape = [...lead, OH, OW], inShape = [...input.shape];
  const geom: PoolGeom = { H, W, OH, OW, adaptive: true };
  const res = applyFunction('AdaptiveMaxPool2DBackward0', (ctx, xx: Tensor) => maxPoolRaw(op, ctx, xx, geom, outShape), (ctx, g) => [scatterFn(g, ctx.saved_tensors[0], inShape, geom)], [input]) as Tensor[];
  return ri ? [res[0], res[1]] : res[0];
}

/** A 1-d pool's input: [C, L] or [N, C, L], in PyTorch's words. */
function checkRank1d(op: string, input: Tensor): void {
  if (!(input instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor`);
  if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`${op}: Expected 2 to 3 dimensions, but got ${input.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for ${op})`);
}

/** F.max_unpool-free helper: F.adaptive_avg_pool1d(input, output_size) */
export function adaptive_avg_pool1d(input: Tensor, ...args: unknown[]): Tensor {
  const { output_size } = adaptiveArgs('adaptive_avg_pool1d', args, ['output_size']);
  checkRank1d('adaptive_avg_pool1d', input);
  return adaptive_avg_pool2d(input.unsqueeze(-2), [1, output_size]).squeeze(-2);
}

/** F.avg_pool1d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true) */
export function avg_pool1d(input: Tensor, ...rest: unknown[]): Tensor {
  const a = parseArgs<AvgArgs>('avg_pool1d', rest, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'],
    { stride: null, padding: 0, ceil_mode: false, count_include_pad: true });
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v) as number;
  checkRank1d('avg_pool1d', input);
  return avg_pool2d(input.unsqueeze(-2), [1, one(a.kernel_size)], a.stride === null ? null : [1, one(a.stride)], [0, one(a.padding)], a.ceil_mode, a.count_include_pad).squeeze(-2);
}

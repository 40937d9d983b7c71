// linear, bilinear, dropout, embedding, pad, interpolate, normalize, one_hot.
// Tensors made here (masks, index tensors, padding) are created on the input's device.
import { Tensor } from '../../tensor.js';
import { isFloating } from '../../dtype.js';
import { named, numel } from '../../shape.js';
import { applyFunction } from '../../autograd/function.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { rand, zeros, full, on, tensor as makeTensor } from '../../creation.js';
import { one_hot as oneHotCore } from '../../ops/indexing.js';
import { checkTensor } from '../../ops/pointwise.js';
import { backendFor } from '../../backend/dispatch.js';
import { randomFill } from '../../random.js';
import { parseArgs, leading, required, sizeStr } from './args.js';

/** F.linear(input, weight, bias=null): input @ weight.T + bias */
export function linear(input: Tensor, ...args: unknown[]): Tensor {
  return named('linear', () => {
    const { weight, bias } = parseArgs<{ weight: Tensor; bias: Tensor | null }>('linear', args, ['weight', 'bias'], { bias: null });
    required('linear', { weight }, ['weight']);
    if (!(input instanceof Tensor)) throw new TypeError(`linear(): argument 'input' must be Tensor, not ${typeof input}`);
    if (!(weight instanceof Tensor)) throw new TypeError(`linear(): argument 'weight' (position 2) must be Tensor, not ${typeof weight}`);
    if (weight.ndim === 0) throw new RangeError('mat2 must be a matrix, got 0-D tensor');
    const k = input.shape[input.ndim - 1];
    if (input.ndim === 0 || k !== weight.shape[weight.ndim - 1]) {
      const rows = input.ndim ? numel(input.shape.slice(0, -1)) : 1;
      throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${rows}x${input.ndim ? k : 1} and ${weight.shape[weight.ndim - 1]}x${weight.shape[0]})`);
    }
    // PyTorch's addmm checks: the bias (self) against the weight (mat2) first, then the input (mat1)
    if (bias && bias.dtype !== weight.dtype) throw new TypeError(`self and mat2 must have the same dtype, but got ${bias.dtype} and ${weight.dtype}`);
    if (input.dtype !== weight.dtype) throw new TypeError(`mat1 and mat2 must have the same dtype, but got ${input.dtype} and ${weight.dtype}`);
    let y: Tensor;
    if (input.ndim === 2 && bias && bias.ndim === 1) y = bias.addmm(input, weight.t());
    else if (input.ndim === 3 && weight.ndim === 2 && bias && bias.ndim === 1 && input.is_contiguous()) {
      // as PyTorch's linear: a contiguous 3-D input folds into one addmm (grad_fn ViewBackward0)
      y = bias.addmm(input.view([-1, k]), weight.t()).view([input.shape[0], input.shape[1], weight.shape[0]]);
    } else {
      y = input.matmul(weight.t());
      if (bias) y = y.add(bias);
    }
    return y;
  });
}

/** F.bilinear(input1, input2, weight [O, I1, I2], bias=null): y[.., o] = x1 W[o] x2 + b[o] */
export function bilinear(input1: Tensor, ...args: unknown[]): Tensor {
  return named('bilinear', () => {
    const { input2, weight, bias } = parseArgs<{ input2: Tensor; weight: Tensor; bias: Tensor | null }>('bilinear', args, ['input2', 'weight', 'bias'], { bias: null });
    required('bilinear', { input2, weight }, ['input2', 'weight']);
    const [O, I1, I2] = weight.shape;
    if (weight.ndim !== 3) throw new RangeError(`bilinear(): weight must be three-dimensional, got ${sizeStr(weight.shape)}`);
    if (input1.shape[input1.ndim - 1] !== I1) throw new RangeError(`bilinear(): input1 size does not match weight size: got ${input1.shape[input1.ndim - 1]} but expected ${I1}`);
    if (input2.shape[input2.ndim - 1] !== I2) throw new RangeError(`bilinear(): input2 size does not match weight size: got ${input2.shape[input2.ndim - 1]} but expected ${I2}`);
    if (input1.shape.slice(0, -1).join() !== input2.shape.slice(0, -1).join()) {
      throw new RangeError(`bilinear(): input batch dimensions do not match: got ${sizeStr(input1.shape.slice(0, -1))} and ${sizeStr(input2.shape.slice(0, -1))}`);
    }
    const C: Record<string, string> = { float32: 'Float', float64: 'Double', int32: 'Int', uint8: 'Byte', bool: 'Bool' };
    for (const t of [input2, weight, bias]) if (t && t.dtype !== input1.dtype) throw new TypeError(`expected scalar type ${C[input1.dtype]} but found ${C[t.dtype]}`);
    const lead = input1.shape.slice(0, -1), B = numel(lead);
    const x1 = input1.reshape([B, I1]), x2 = input2.reshape([B, I2]);
    const t = x1.matmul(weight.permute([1, 0, 2]).reshape([I1, O * I2])).reshape([B, O, I2]);
    let y = t.mul(x2.unsqueeze(1)).sum(2);
    if (bias) y = y.add(bias);
    return y.reshape([...lead, O]);
  });
}

interface DropArgs { p: number; training: boolean; inplace: boolean }

/** The scaled keep-mask; its random numbers come from the CPU generator, so a seed gives the same mask on every device. */
function dropoutMask(x: Tensor, shape: number[], p: number): Tensor {
  if (x.dtype === 'float32' || x.dtype === 'float64') return randomFill('dropout', shape, x.dtype, p, 0, undefined, x.device.type);
  return no_grad(() => rand(shape, on(x)).ge(p).to(x.dtype).div(1 - p));
}

/** input * mask; the backward keeps only the mask (not input), so the in-place form keeps a valid graph */
function applyMask(input: Tensor, mask: Tensor, inplace: boolean): Tensor {
  const y = applyFunction('MulBackward0', () => no_grad(() => input.mul(mask)), (_c, g) => [g.mul(mask)], [input]) as Tensor;
  return inplace ? input.copy_(y) : y;
}

/** F.dropout(input, p=0.5, training=true, inplace=false) */
export function dropout(input: Tensor, ...rest: unknown[]): Tensor {
  return named('dropout', () => {
    checkTensor('dropout', input);
    const a = parseArgs<DropArgs>('dropout', rest, ['p', 'training', 'inplace'], { p: 0.5, training: true, inplace: false });
    if (a.p < 0 || a.p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${a.p}`);
    if (!a.training || a.p === 0) return input;
    return applyMask(input, a.p === 1 ? zeros([...input.shape], on(input)) : dropoutMask(input, [...input.shape], a.p), a.inplace);
  });
}

/** F.dropout2d / dropout1d: zeroes whole channels ([N, C, ...] batched or [C, ...] unbatched). */
function channelDropout(op: string, input: Tensor, nd: number, rest: unknown[]): Tensor {
  const a = parseArgs<DropArgs>(op, rest, ['p', 'training', 'inplace'], { p: 0.5, training: true, inplace: false });
  if (a.p < 0 || a.p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${a.p}`);
  if (input.ndim !== nd + 1 && input.ndim !== nd + 2) {
    throw new RangeError(`${op}: Expected ${nd + 1}D or ${nd + 2}D input, but received a ${input.ndim}D input`);
  }
  if (!a.training || a.p === 0) return input;
  const lead = input.ndim === nd + 2 ? 2 : 1;
  const shape = input.shape.map((s, i) => (i < lead ? s : 1));
  return applyMask(input, a.p === 1 ? zeros(shape, on(input)) : dropoutMask(input, shape, a.p), a.inplace);
}
/**
 * F.dropout2d(input, p=0.5, training=true, inplace=false): zeroes whole channels of [N, C, H, W]
 * or [C, H, W]... as PyTorch 1.13 does: a 3-D input is taken as [N, C, L] (1-D channel dropout),
 * other ranks as [N, C, ...], each with PyTorch's warning.
 */
export function dropout2d(input: Tensor, ...rest: unknown[]): Tensor {
  return named('dropout2d', () => dropout2dChecked(input, rest));
}
function dropout2dChecked(input: Tensor, rest: unknown[]): Tensor {
  checkTensor('dropout2d', input);
  const a = parseArgs<DropArgs>('dropout2d', rest, ['p', 'training', 'inplace'], { p: 0.5, training: true, inplace: false });
  if (a.p < 0 || a.p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${a.p}`);
  const nd = input.ndim;
  if (nd !== 3 && nd !== 4) {
    warnOnce(`dropout2d: Received a ${nd}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`);
  }
  if (nd === 3) {
    warnOnce('dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.');
  }
  if (!a.training || a.p === 0) return input;
  if (nd < 2) throw new RangeError(`dropout2d: Feature dropout requires at least 2 dimensions in the input, got a ${nd}D input`);
  // PyTorch draws a float mask and multiplies in place into the input's type
  if (!isFloating(input.dtype)) throw new TypeError(`result type Float can't be cast to the desired output type ${{ int32: 'Int', uint8: 'Byte', bool: 'Bool' }[input.dtype as string]}`);
  const shape = input.shape.map((s, i) => (i < 2 ? s : 1));
  return applyMask(input, a.p === 1 ? zeros(shape, on(input)) : dropoutMask(input, shape, a.p), a.inplace);
}
const warned = new Set<string>();
/** console.warn once per message, as Python's default warning filter does */
function warnOnce(msg: string): void { if (!warned.has(msg)) { warned.add(msg); console.warn(msg); } }
export function dropout1d(input: Tensor, ...rest: unknown[]): Tensor { return named('dropout1d', () => channelDropout('dropout1d', input, 1, rest)); }

interface EmbArgs { padding_idx: number | null; max_norm: number | null; norm_type: number; scale_grad_by_freq: boolean; sparse: boolean }

/** F.embedding(input, weight, padding_idx=null): rows of weight; the padding row gets no gradient. */
export function embedding(input: Tensor, ...args: unknown[]): Tensor {
  const [[weight], rest] = leading('embedding', args, ['weight']) as [[Tensor], unknown[]];
  const a = parseArgs<EmbArgs>('embedding', rest, ['padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'], { padding_idx: null, max_norm: null, norm_type: 2, scale_grad_by_freq: false, sparse: false });
  if (!(input instanceof Tensor) || input.dtype !== 'int32') {
    throw new TypeError(`embedding: Expected tensor for argument #1 'indices' to have scalar type int32 (PyTorch's Long); but got ${input instanceof Tensor ? input.dtype : typeof input} instead`);
  }
  if (weight.ndim !== 2) throw new RangeError("embedding: 'weight' must be 2-D");
  if (a.max_norm !== null) throw new Error('embedding: max_norm is not supported yet in webtorch');
  if (a.scale_grad_by_freq || a.sparse) throw new Error('embedding: scale_grad_by_freq and sparse are not supported in webtorch');
  const [V, D] = weight.shape;
  let pad = a.padding_idx;
  if (pad !== null) {
    if (pad >= V || pad < -V) throw new RangeError('Padding_idx must be within num_embeddings');
    if (pad < 0) pad += V;
  }
  let flat = input.reshape([-1]);
  if (!backendFor('embedding', [input, weight]).syncReads) {
    // no synchronous check (webgpu): indices outside [0, V) give zero rows and no gradient
    // (index_select would count negative ones from the end, so they are moved out of range)
    flat = flat.masked_fill(flat.lt(0), V);
  } else if (input.numel() && (input.lt(0).any().itemSync() || input.ge(V).any().itemSync())) {
    throw new RangeError('embedding: index out of range in self');
  }
  const outShape = [...input.shape, D];
  return applyFunction('EmbeddingBackward0', (_ctx, w: Tensor) => w.index_select(0, flat).reshape(outShape), (_ctx, g) => {
    let gw = zeros([V, D], on(g)).scatter_add(0, flat.reshape([-1, 1]).expand([flat.numel(), D]), g.reshape([-1, D]));
    if (pad !== null) {
      const keepRows = full([V, 1], 1, on(g));
      no_grad(() => keepRows.narrow(0, pad!, 1).fill_(0));
      gw = gw.mul(keepRows);
    }
    return [gw];
  }, [weight]);
}

interface PadArgs { mode: 'constant' | 'reflect' | 'replicate' | 'circular'; value: number }

/** Index tensor mapping each padded position of a dim of size n to a source position. */
function padIndex(x: Tensor, n: number, lo: number, hi: number, mode: string): Tensor {
  const out: number[] = [];
  for (let i = -lo; i < n + hi; i++) {
    let j = i;
    if (mode === 'reflect') {
      const period = 2 * (n - 1);
      j = period ? ((i % period) + period) % period : 0;
      if (j >= n) j = period - j;
    } else if (mode === 'replicate') j = Math.min(Math.max(i, 0), n - 1);
    else if (mode === 'circular') j = ((i % n) + n) % n;
    out.push(j);
  }
  return makeTensor(out, { dtype: 'int32', device: x.device });
}

function constantPad(x: Tensor, pads: number[], value: number): Tensor {
  const nd = pads.length / 2;
  const outShape = [...x.shape];
  for (let i = 0; i < nd; i++) {
    const d = x.ndim - 1 - i;
    outShape[d] = x.shape[d] + pads[2 * i] + pads[2 * i + 1];
    if (outShape[d] < 0) throw new RangeError(`The input size ${x.shape[d]}, plus negative padding ${pads[2 * i]} and ${pads[2 * i + 1]} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`);
  }
  return applyFunction('ConstantPadNdBackward0', (_ctx, xx: Tensor) => {
    const out = full(outShape, value, on(xx));
    let dst = out, src = xx;
    for (let i = 0; i < nd; i++) {
      const d = xx.ndim - 1 - i, lo = pads[2 * i], hi = pads[2 * i + 1];
      const srcStart = Math.max(0, -lo), dstStart = Math.max(0, lo);
      const len = xx.shape[d] - srcStart - Math.max(0, -hi);
      if (len <= 0) return out;
      src = src.narrow(d, srcStart, len);
      dst = dst.narrow(d, dstStart, len);
    }
    dst.copy_(src);
    return out;
  }, (_ctx, g) => [constantPad(g, pads.map((p) => -p), 0)], [x]);
}

/** F.pad(input, pad, mode='constant', value=0); pad = [left, right, top, bottom, ...] from the last dim. */
export function pad(input: Tensor, ...rest: unknown[]): Tensor {
  checkTensor('pad', input);
  const a = parseArgs<PadArgs & { pad: number[] }>('pad', rest, ['pad', 'mode', 'value'], { mode: 'constant', value: 0 });
  required('pad', a, ['pad']);
  const padding = a.pad;
  if (padding.length % 2 !== 0) throw new RangeError('Padding length must be divisible by 2');
  if (padding.length / 2 > input.ndim) throw new RangeError('Padding length too large');
  if (a.mode === 'constant') return constantPad(input, padding, a.value ?? 0);
  if (!['reflect', 'replicate', 'circular'].includes(a.mode)) throw new RangeError(`Unrecognised padding mode ${a.mode}`);
  let y = input;
  for (let i = 0; i < padding.length / 2; i++) {
    const d = input.ndim - 1 - i, lo = padding[2 * i], hi = padding[2 * i + 1], n = input.shape[d];
    if (a.mode === 'reflect' && (lo >= n || hi >= n)) {
      throw new RangeError(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${lo}, ${hi}) at dimension ${d} of input ${sizeStr(input.shape)}`);
    }
    if (lo || hi) y = y.index_select(d, padIndex(input, n, lo, hi, a.mode));
  }
  return y;
}

interface InterpArgs { size: number | number[] | null; scale_factor: number | number[] | null; mode: string; align_corners: boolean | null; recompute_scale_factor: boolean | null; antialias: boolean }

/** F.interpolate(input, size=null, scale_factor=null, mode='nearest', align_corners=null) for nearest / linear / bilinear. */
export function interpolate(input: Tensor, ...rest: unknown[]): Tensor {
  checkTensor('interpolate', input);
  const a = parseArgs<InterpArgs>('interpolate', rest, ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor', 'antialias'],
    { size: null, scale_factor: null, mode: 'nearest', align_corners: null, recompute_scale_factor: null, antialias: false });
  const nd = input.ndim - 2;
  if (nd < 1) throw new RangeError(`interpolate: expected a 3-D, 4-D or 5-D input (batch and channel dims first), got ${sizeStr(input.shape)}`);
  const mode = a.mode;
  const linear = mode === 'linear' || mode === 'bilinear' || mode === 'trilinear';
  if (!['nearest', 'linear', 'bilinear'].includes(mode)) throw new Error(`interpolate: mode '${mode}' is not supported in webtorch (nearest, linear, bilinear)`);
  if (mode === 'linear' && nd !== 1) throw new RangeError(`Got ${input.ndim}D input, but linear mode needs 3D input`);
  if (mode === 'bilinear' && nd !== 2) throw new RangeError(`Got ${input.ndim}D input, but bilinear mode needs 4D input`);
  if (!linear && a.align_corners !== null) throw new RangeError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  if ((a.size === null) === (a.scale_factor === null)) throw new RangeError('either size or scale_factor should be defined, and not both');
  if (!isFloating(input.dtype)) throw new TypeError(`interpolate: expected a floating point input, got ${input.dtype}`);
  const inSizes = input.shape.slice(2);
  const sf = a.scale_factor === null ? null : Array.isArray(a.scale_factor) ? a.scale_factor : inSizes.map(() => a.scale_factor as number);
  const outSizes = a.size !== null ? (Array.isArray(a.size) ? a.size : inSizes.map(() => a.size as number)) : inSizes.map((s, i) => Math.floor(s * sf![i]));
  if ([...inSizes, ...outSizes].some((n) => !(n > 0))) {
    const names = ['D', 'H', 'W'].slice(3 - nd);
    const sizes = (v: number[]) => v.map((n, i) => `${names[i]}: ${n}`).join(', ');
    throw new RangeError(`interpolate: Input and output sizes should be greater than 0, but got input (${sizes(inSizes)}) output (${sizes(outSizes)})`);
  }
  const scales = sf && !a.recompute_scale_factor ? sf : inSizes.map(() => null);
  const align = !!a.align_corners;
  let y = input;
  for (let i = 0; i < nd; i++) {
    const d = 2 + i, n = inSizes[i], m = outSizes[i], sc = scales[i];
    if (!linear) {
      const idx: number[] = [];
      const scale = Math.fround(sc && sc > 0 ? 1 / sc : n / m);
      for (let o = 0; o < m; o++) idx.push(m === n ? o : m === 2 * n ? o >> 1 : Math.min(Math.floor(Math.fround(o * scale)), n - 1));
      y = y.index_select(d, makeTensor(idx, { dtype: 'int32', device: input.device }));
      continue;
    }
    const scale = align ? (m > 1 ? (n - 1) / (m - 1) : 0) : (sc && sc > 0 ? 1 / sc : n / m);
    const i0: number[] = [], i1: number[] = [], l1: number[] = [];
    for (let o = 0; o < m; o++) {
      let src = align ? scale * o : scale * (o + 0.5) - 0.5;
      if (src < 0) src = 0;
      const f = Math.floor(src);
      i0.push(f); i1.push(f < n - 1 ? f + 1 : f); l1.push(src - f);
    }
    const wshape = y.shape.map((_, k) => (k === d ? m : 1));
    const dev = { device: input.device };
    const w1 = makeTensor(l1, { dtype: y.dtype, ...dev }).reshape(wshape);
    const w0 = makeTensor(l1.map((l) => 1 - l), { dtype: y.dtype, ...dev }).reshape(wshape);
    const a0 = y.index_select(d, makeTensor(i0, { dtype: 'int32', ...dev })), a1 = y.index_select(d, makeTensor(i1, { dtype: 'int32', ...dev }));
    // PyTorch's w0 * a0 + w1 * a1: an infinite neighbour with weight 0 does not turn the result into NaN
    y = a0.mul(w0).add(a1.mul(w1));
  }
  return y;
}

/** F.upsample is interpolate. */
export const upsample = interpolate;

/** F.normalize(input, p=2, dim=1, eps=1e-12) */
export function normalize(input: Tensor, ...rest: unknown[]): Tensor {
  checkTensor('normalize', input);
  const a = parseArgs<{ p: number; dim: number; eps: number }>('normalize', rest, ['p', 'dim', 'eps'], { p: 2, dim: 1, eps: 1e-12 });
  const n = input.norm(a.p, a.dim, true).clamp(a.eps, null);
  return input.div(n.expand(input.shape));
}

/** F.one_hot(tensor, num_classes=-1): int32 (PyTorch's int64) */
export function one_hot(x: Tensor, ...args: unknown[]): Tensor {
  return oneHotCore(x, parseArgs<{ num_classes: number }>('one_hot', args, ['num_classes'], { num_classes: -1 }).num_classes);
}

// torchvision.transforms for tensors. Each transform is a function (call it with or without
// `new`, as in Python: transforms.ToTensor()), so a transform is just `(x) => y`.
//
//   const transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])]);
import { Tensor } from '../tensor.js';
import { arrayFor, type DType } from '../dtype.js';
import { randint, rand } from '../creation.js';
import type { Generator } from '../random.js';
import { interpolate } from '../nn/functional/misc.js';
import { pyFloat } from '../nn/repr.js';

export type Transform<I = any, O = any> = ((x: I) => O) & { repr?: string };

function named<F extends (x: any) => any>(fn: F, repr: string, props: object = {}): F & { repr: string } {
  Object.assign(fn, props, { repr, toString: () => repr });
  return fn as F & { repr: string };
}

/** Applies a transform given as a function, or as an object with forward() / __call__(). */
export function applyTransform<O>(t: unknown, x: unknown): O {
  if (typeof t === 'function') return t(x);
  const o = t as { forward?: (x: unknown) => O; __call__?: (x: unknown) => O };
  if (o && typeof o.forward === 'function') return o.forward(x);
  if (o && typeof o.__call__ === 'function') return o.__call__(x);
  throw new TypeError('a transform must be a function (or an object with forward(x))');
}

/** Composes several transforms, applied in order. */
export function Compose(transforms: unknown[]): Transform {
  if (!Array.isArray(transforms)) throw new TypeError('Compose expects an array of transforms');
  const list = [...transforms];
  return named((x: unknown) => list.reduce((v, t) => applyTransform(t, v), x),
    `Compose(\n${list.map((t) => `    ${(t as { repr?: string }).repr ?? 'Lambda()'}`).join('\n')}\n)`, { transforms: list });
}

/**
 * uint8 image tensor HxW or HxWxC (values 0-255) -> float32 tensor CxHxW in [0, 1]. Floating
 * inputs are only reshaped, as torchvision does for non-uint8 arrays. Typed arrays of length
 * H*W may be passed with their shape as a second argument.
 */
export function ToTensor(): Transform<Tensor, Tensor> {
  return named((img: Tensor) => {
    if (!(img instanceof Tensor)) throw new TypeError(`ToTensor: expected an image tensor (HxW or HxWxC), got ${typeof img}`);
    if (img.ndim !== 2 && img.ndim !== 3) throw new RangeError(`ToTensor: expected an image of 2 or 3 dimensions (HxW or HxWxC), got shape [${img.shape}]`);
    const [h, w] = img.shape, c = img.ndim === 3 ? img.shape[2] : 1;
    let out: Float32Array | Float64Array;
    if (img.dtype === 'uint8') out = bytesToUnit(img.is_contiguous() ? (img._bytes() as Uint8Array).subarray(img._offset, img._offset + h * w * c) : img.dataSync() as Uint8Array);
    else if (img.dtype === 'float64') out = img.dataSync() as Float64Array;
    else out = Float32Array.from(img.dataSync() as ArrayLike<number>);
    const dtype = out instanceof Float64Array ? 'float64' : 'float32';
    if (c === 1) return Tensor._fromData(out, dtype, [1, h, w]);
    return Tensor._fromData(out, dtype, [h, w, c]).permute(2, 0, 1).contiguous();
  }, 'ToTensor()');
}

function bytesToUnit(src: Uint8Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255; // exactly float32(x) / 255
  return out;
}

function normalize32(src: Float32Array, out: Float32Array, from: number, to: number, m: number, s: number): void {
  for (let i = from; i < to; i++) out[i] = Math.fround(src[i] - m) / s;
}
function normalize64(src: Float64Array, out: Float64Array, from: number, to: number, m: number, s: number): void {
  for (let i = from; i < to; i++) out[i] = (src[i] - m) / s;
}

/** (x - mean[c]) / std[c] for each channel c of a float CxHxW (or ...xCxHxW) tensor. */
export function Normalize(mean: number[] | number, std: number[] | number, opts: { inplace?: boolean } = {}): Transform<Tensor, Tensor> {
  const m = Array.isArray(mean) ? [...mean] : [mean], s = Array.isArray(std) ? [...std] : [std];
  if (s.some((v) => v === 0)) throw new RangeError(`std evaluated to zero after conversion to float32, leading to division by zero.`);
  return named((x: Tensor) => {
    imageHW('Normalize', x);
    if (!x.is_floating_point()) throw new TypeError(`Normalize: Input tensor should be a float tensor. Got ${x.dtype}.`);
    if (x.ndim < 3) throw new RangeError(`Normalize: Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = [${x.shape}]`);
    const c = x.shape[x.ndim - 3], hw = x.shape[x.ndim - 1] * x.shape[x.ndim - 2];
    if (m.length !== 1 && m.length !== c) throw new RangeError(`Normalize: mean has ${m.length} values for ${c} channels`);
    if (s.length !== 1 && s.length !== c) throw new RangeError(`Normalize: std has ${s.length} values for ${c} channels`);
    const src = x.dataSync() as Float32Array | Float64Array;
    const out = arrayFor(x.dtype, src.length) as Float32Array | Float64Array;
    const f32 = x.dtype === 'float32';
    for (let base = 0, ch = 0; base < src.length; base += hw, ch = (ch + 1) % c) {
      const mc = m[m.length === 1 ? 0 : ch], sc = s[s.length === 1 ? 0 : ch];
      if (f32) normalize32(src as Float32Array, out as Float32Array, base, base + hw, Math.fround(mc), Math.fround(sc));
      else normalize64(src as Float64Array, out as Float64Array, base, base + hw, mc, sc);
    }
    const t = Tensor._fromData(out, x.dtype, x.shape);
    return opts.inplace ? x.copy_(t) : t;
  }, `Normalize(mean=[${m.join(', ')}], std=[${s.join(', ')}])`, { mean: m, std: s });
}

/** A user function as a transform. */
export function Lambda<I, O>(fn: (x: I) => O): Transform<I, O> {
  if (typeof fn !== 'function') throw new TypeError(`Argument lambd should be callable, got ${typeof fn}`);
  return named((x: I) => fn(x), 'Lambda()');
}

/** A crop size as [h, w]; a negative size is refused (torchvision slices it to an empty image). */
function pair(op: string, size: number | number[]): [number, number] {
  const hw: [number, number] = typeof size === 'number' ? [size, size] : size.length === 1 ? [size[0], size[0]] : [size[0], size[1]];
  if (hw.some((v) => !(v >= 0))) throw new RangeError(`${op}: the crop size must be non-negative, got ${pySize(size)}`);
  return hw;
}

/** Constant padding of the last two dims of a tensor [..., H, W]: [left, top, right, bottom]. */
function pad2d(x: Tensor, [l, t, r, b]: number[], fill: number): Tensor {
  const h = x.shape[x.ndim - 2], w = x.shape[x.ndim - 1];
  const H = h + t + b, W = w + l + r, lead = x.numel() / (h * w || 1);
  const src = x.dataSync();
  const out = arrayFor(x.dtype, lead * H * W);
  if (fill) out.fill(fill);
  for (let k = 0; k < lead; k++) for (let i = 0; i < h; i++) {
    out.set(src.subarray((k * h + i) * w, (k * h + i + 1) * w) as never, (k * H + i + t) * W + l);
  }
  return Tensor._fromData(out, x.dtype, [...x.shape.slice(0, -2), H, W]);
}

/** Crops a random size[0] x size[1] window of a tensor image [..., H, W]. */
export function RandomCrop(size: number | number[], opts: { padding?: number | number[] | null; pad_if_needed?: boolean; fill?: number; padding_mode?: 'constant'; generator?: Generator } = {}): Transform<Tensor, Tensor> {
  const [th, tw] = pair('RandomCrop', size);
  const fill = opts.fill ?? 0;
  if (opts.padding_mode && opts.padding_mode !== 'constant') throw new Error(`RandomCrop: padding_mode '${opts.padding_mode}' is not supported (only 'constant')`);
  return named((img: Tensor) => {
    imageHW('RandomCrop', img);
    let x = img;
    if (opts.padding != null) {
      const p = typeof opts.padding === 'number' ? [opts.padding, opts.padding, opts.padding, opts.padding]
        : opts.padding.length === 2 ? [opts.padding[0], opts.padding[1], opts.padding[0], opts.padding[1]] : opts.padding;
      x = pad2d(x, p, fill);
    }
    let h = x.shape[x.ndim - 2], w = x.shape[x.ndim - 1];
    if (opts.pad_if_needed && w < tw) { x = pad2d(x, [tw - w, 0, tw - w, 0], fill); w = x.shape[x.ndim - 1]; }
    if (opts.pad_if_needed && h < th) { x = pad2d(x, [0, th - h, 0, th - h], fill); h = x.shape[x.ndim - 2]; }
    if (h < th || w < tw) throw new RangeError(`Required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`);
    if (h === th && w === tw) return x;
    const g = opts.generator ? { generator: opts.generator } : {};
    const i = randint(0, h - th + 1, [1], g).itemSync() as number;
    const j = randint(0, w - tw + 1, [1], g).itemSync() as number;
    return x.narrow(x.ndim - 2, i, th).narrow(x.ndim - 1, j, tw);
  }, `RandomCrop(size=(${th}, ${tw}), padding=${opts.padding ?? null})`);
}

/** Rotates a tensor image [..., H, W] by a random angle in degrees (counter-clockwise), nearest-neighbour. */
export function RandomRotation(degrees: number | [number, number], opts: { interpolation?: 'nearest'; expand?: false; center?: [number, number] | null; fill?: number; generator?: Generator } = {}): Transform<Tensor, Tensor> {
  const [d0, d1] = typeof degrees === 'number' ? (degrees < 0 ? (() => { throw new RangeError('If degrees is a single number, it must be positive.'); })() : [-degrees, degrees]) : degrees;
  if (opts.interpolation && opts.interpolation !== 'nearest') throw new Error(`RandomRotation: interpolation '${opts.interpolation}' is not supported (only 'nearest')`);
  if (opts.expand) throw new Error('RandomRotation: expand=true is not supported');
  const fill = opts.fill ?? 0;
  return named((img: Tensor) => {
    imageHW('RandomRotation', img);
    const u = rand(1, { dtype: 'float64', ...(opts.generator ? { generator: opts.generator } : {}) }).itemSync() as number;
    const angle = d0 + (d1 - d0) * u;
    const h = img.shape[img.ndim - 2], w = img.shape[img.ndim - 1], lead = img.numel() / (h * w || 1);
    const [cx, cy] = opts.center ?? [(w - 1) / 2, (h - 1) / 2];
    const th = (angle * Math.PI) / 180, cos = Math.cos(th), sin = Math.sin(th);
    const src = img.dataSync();
    const out = arrayFor(img.dtype, src.length);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const dx = x - cx, dy = y - cy;
      const sx = Math.round(cx + cos * dx - sin * dy), sy = Math.round(cy + sin * dx + cos * dy);
      const inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
      for (let k = 0; k < lead; k++) out[(k * h + y) * w + x] = inside ? src[(k * h + sy) * w + sx] : fill;
    }
    return Tensor._fromData(out, img.dtype, img.shape);
  }, `RandomRotation(degrees=[${d0}, ${d1}], interpolation=nearest)`);
}

/** torchvision.transforms.InterpolationMode (the modes webtorch's Resize supports). */
export const InterpolationMode = { NEAREST: 'nearest', BILINEAR: 'bilinear' } as const;
export type InterpolationMode = (typeof InterpolationMode)[keyof typeof InterpolationMode];

const pySize = (size: number | number[]): string => (typeof size === 'number' ? String(size) : `[${size.join(', ')}]`);

function imageHW(op: string, img: unknown): [number, number] {
  if (!(img instanceof Tensor)) throw new TypeError(`${op}: Unexpected type ${typeof img === 'string' ? 'str' : typeof img} (expected a tensor image [..., H, W])`);
  if (img.ndim < 2) throw new RangeError(`${op}: Tensor is not a torch image. (a tensor image is [..., H, W]; got shape [${img.shape}])`);
  return [img.shape[img.ndim - 2], img.shape[img.ndim - 1]];
}

/** torchvision's _compute_resized_output_size: [new_h, new_w]. */
function resizedSize(h: number, w: number, size: number | number[], max_size: number | null): [number, number] {
  if (typeof size !== 'number' && size.length === 2) return [size[0], size[1]];
  const requested = typeof size === 'number' ? size : size[0];
  const [short, long] = w <= h ? [w, h] : [h, w];
  let newShort = requested, newLong = Math.trunc((requested * long) / short);
  if (max_size !== null) {
    if (max_size <= requested) throw new RangeError(`max_size = ${max_size} must be strictly greater than the requested size for the smaller edge size = ${pySize(size)}`);
    if (newLong > max_size) { newShort = Math.trunc((max_size * newShort) / newLong); newLong = max_size; }
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/**
 * torchvision.transforms.Resize(size, interpolation='bilinear', max_size=null, antialias=null) on
 * tensor images [..., H, W]: an int size matches the smaller edge (aspect ratio kept), [h, w] is
 * exact. As torchvision 0.14 does for tensors, antialias=null means no antialiasing; uint8 images
 * are interpolated in float32 and rounded back (a value within float32 rounding of a half may
 * round the other way than PyTorch's CPU kernel: off by one in a few pixels).
 */
export function Resize(size: number | number[], opts: { interpolation?: InterpolationMode; max_size?: number | null; antialias?: boolean | null } = {}): Transform<Tensor, Tensor> {
  const mode = opts.interpolation ?? 'bilinear', max_size = opts.max_size ?? null, antialias = opts.antialias ?? null;
  if (typeof size !== 'number' && (!Array.isArray(size) || (size.length !== 1 && size.length !== 2))) {
    throw new RangeError(`Size must be an int or a 1 or 2 element tuple/list, not a ${Array.isArray(size) ? size.length : typeof size} element tuple/list`);
  }
  if (max_size !== null && typeof size !== 'number' && size.length !== 1) {
    throw new RangeError('max_size should only be passed if size specifies the length of the smaller edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.');
  }
  if (mode !== 'bilinear' && mode !== 'nearest') throw new RangeError(`Resize: interpolation '${mode}' is not supported in webtorch (nearest, bilinear)`);
  if (antialias) throw new RangeError('Resize: antialias=true is not supported in webtorch (torchvision 0.14 tensors default to antialias=False)');
  return named((img: Tensor) => {
    const [h, w] = imageHW('Resize', img);
    const [oh, ow] = resizedSize(h, w, size, max_size);
    // torchvision interpolates [N, C, H, W] at most: a 5-D image has three spatial dims for two sizes
    if (img.ndim > 4) throw new RangeError(`Resize: Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [${img.shape.slice(2).join(', ')}] and output size of [${oh}, ${ow}]`);
    if (oh === h && ow === w) return img;
    const lead = img.shape.slice(0, -2);
    const float = img.is_floating_point();
    const x = (float ? img : img.to('float32')).reshape([1, -1, h, w]);
    const y = interpolate(x, { size: [oh, ow], mode, align_corners: mode === 'bilinear' ? false : null }).reshape([...lead, oh, ow]);
    return float ? y : y.round().to(img.dtype);
  }, `Resize(size=${pySize(size)}, interpolation=${mode}, max_size=${max_size ?? 'None'}, antialias=${antialias === null ? 'None' : antialias ? 'True' : 'False'})`);
}

/** Python's round() of a half-integer: to the even neighbour. */
const roundHalfEven = (v: number): number => { const r = Math.round(v); return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r; };

/** torchvision.transforms.CenterCrop(size): the centre th x tw window, zero-padded where the image is smaller. */
export function CenterCrop(size: number | number[]): Transform<Tensor, Tensor> {
  const [th, tw] = pair('CenterCrop', size);
  const repr = typeof size === 'number' || size.length === 1 ? `(${th}, ${tw})` : `[${th}, ${tw}]`;
  return named((img: Tensor) => {
    let [h, w] = imageHW('CenterCrop', img);
    let x = img;
    if (tw > w || th > h) {
      const p = [tw > w ? (tw - w) >> 1 : 0, th > h ? (th - h) >> 1 : 0, tw > w ? (tw - w + 1) >> 1 : 0, th > h ? (th - h + 1) >> 1 : 0];
      x = pad2d(img.contiguous(), p, 0);
      [h, w] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
      if (h === th && w === tw) return x;
    }
    const top = roundHalfEven((h - th) / 2), left = roundHalfEven((w - tw) / 2);
    return x.narrow(x.ndim - 2, top, th).narrow(x.ndim - 1, left, tw);
  }, `CenterCrop(size=${repr})`);
}

/** torchvision.transforms.RandomHorizontalFlip(p=0.5): flips the last dim with probability p. */
export function RandomHorizontalFlip(p: number | { p?: number; generator?: Generator } = 0.5): Transform<Tensor, Tensor> {
  const o = typeof p === 'number' ? { p } : p;
  const prob = o.p ?? 0.5;
  return named((img: Tensor) => {
    // as torchvision: the image is checked only when it is flipped
    const u = rand(1, o.generator ? { generator: o.generator } : {}).itemSync() as number;
    if (u >= prob) return img;
    imageHW('RandomHorizontalFlip', img);
    return img.flip(-1);
  }, `RandomHorizontalFlip(p=${pyFloat(prob)})`, { p: prob });
}

/** torchvision.transforms.ConvertImageDtype(dtype): uint8 [0, 255] <-> float [0, 1] (floats to floats: a cast). */
export function ConvertImageDtype(dtype: DType = 'float32'): Transform<Tensor, Tensor> {
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'uint8') throw new TypeError(`ConvertImageDtype: dtype must be float32, float64 or uint8, got ${dtype}`);
  return named((img: Tensor) => {
    if (!(img instanceof Tensor)) throw new TypeError(`ConvertImageDtype: expected a tensor image, got ${typeof img}`);
    if (img.dtype === dtype) return img;
    const float = img.is_floating_point();
    if (dtype === 'uint8') {
      if (!float) throw new TypeError(`ConvertImageDtype: cannot convert ${img.dtype} to uint8 (only float or uint8 images)`);
      return img.mul(255 + 1 - 1e-3).to('uint8');
    }
    if (float) return img.to(dtype);
    // an integer image spans [0, the dtype's largest value] (torchvision's _max_value; bool: 1)
    return img.to(dtype).div(img.dtype === 'uint8' ? 255 : img.dtype === 'int32' ? 2147483647 : 1);
  }, 'ConvertImageDtype()');
}

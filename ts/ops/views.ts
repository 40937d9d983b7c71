// View ops: new geometry over the same storage, and their gradients. Also the history rewrite
// that in-place ops on views need (PyTorch's CopySlices).
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { contiguousStrides, numel, shapeStr, wrapDim, kwarg, broadcastShapes, named } from '../shape.js';
import { isContiguousView } from '../backend/view.js';
import { copyTensor, copyAs } from './copy.js';
import { writeView } from '../backend/move.js';
import { applyFunction } from '../autograd/function.js';
import { zeros, on, tensor as makeTensor } from '../creation.js';
import { index_select } from './indexing.js';
import { backendFor } from '../backend/dispatch.js';
import { sumTo as sumToShape } from '../autograd/grad_utils.js';
import { installMethods } from './methods.js';
import { checkTensor } from './pointwise.js';

interface Geom { shape: number[]; strides: number[]; offset: number }

function viewOp(name: string, x: Tensor, geom: (x: Tensor) => Geom, backward: (g: Tensor, x: { shape: number[] }) => Tensor, attrs?: Record<string, unknown>): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${name}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  return applyFunction(name, (ctx, a: Tensor) => {
    ctx.inShape = [...a.shape];
    const gm = geom(a);
    return a._view(gm.shape, gm.strides, gm.offset);
  }, (ctx, g) => [backward(g, { shape: ctx.inShape as number[] })], [x], attrs);
}

/** zeros of `shape` with `g` written into the region `geom` (in contiguous coordinates) */
export function embed(g: Tensor, shape: number[], geom: Geom): Tensor {
  return applyFunction('EmbedBackward', (_c, a: Tensor) => {
    const z = zeros(shape, on(a));
    writeView(z._view(geom.shape, geom.strides, geom.offset), a);
    return z;
  }, (_c, gg) => [gg.contiguous()._view(geom.shape, geom.strides, gg._offset + geom.offset)], [g]);
}

/** PyTorch's stride computation for view(): null when the shape cannot be a view. */
function viewStrides(oldShape: number[], oldStrides: number[], newShape: number[]): number[] | null {
  if (numel(oldShape) === 0 || oldShape.length === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorNumel = 1, viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) { chunkBase = oldStrides[d - 1]; tensorNumel = 1; viewNumel = 1; }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

function inferShape(x: Tensor, args: unknown[], op: string): number[] {
  const raw = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as number[];
  const n = x.numel();
  let infer = -1, known = 1;
  const out = raw.map((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}(): argument 'size' must be a list of ints, got ${JSON.stringify(raw)}`);
    if (v === -1) {
      if (infer >= 0) throw new Error(`${op}: only one dimension can be inferred`);
      infer = i;
      return -1;
    }
    if (v < 0) throw new Error(`${op}: invalid shape dimension ${v}`);
    known *= v;
    return v;
  });
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new RangeError(`shape '${shapeStr(raw)}' is invalid for input of size ${n}`);
    out[infer] = n / known;
  }
  if (numel(out) !== n) throw new RangeError(`shape '${shapeStr(raw)}' is invalid for input of size ${n}`);
  return out;
}

export function view(x: Tensor, ...args: (number | number[] | DType)[]): Tensor {
  checkTensor('view', x);
  const shape = inferShape(x, args, 'view');
  const st = viewStrides(x.shape, x._strides, shape);
  if (!st) {
    throw new Error(`view size is not compatible with input tensor's size and stride (input shape ${shapeStr(x.shape)}, stride ${shapeStr(x._strides)}, requested ${shapeStr(shape)}). Use .reshape(...) instead.`);
  }
  return viewOp('ViewBackward0', x, (a) => ({ shape, strides: st, offset: a._offset }), (g, i) => g.reshape(i.shape));
}

export function reshape(x: Tensor, ...args: (number | number[])[]): Tensor {
  checkTensor('reshape', x);
  const shape = inferShape(x, args, 'reshape');
  const st = viewStrides(x.shape, x._strides, shape);
  if (st) return viewOp('ViewBackward0', x, (a) => ({ shape, strides: st, offset: a._offset }), (g, i) => g.reshape(i.shape));
  return applyFunction('UnsafeViewBackward0', (ctx, a: Tensor) => {
    ctx.inShape = [...a.shape];
    return copyAs(a, shape);
  }, (ctx, g) => [g.reshape(ctx.inShape as number[])], [x]);
}

export function permute(x: Tensor, ...args: (number | number[])[]): Tensor {
  checkTensor('permute', x);
  const dims = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as number[];
  if (dims.length !== x.ndim) throw new RangeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`);
  const d = dims.map((v) => wrapDim(v, x.ndim, 'permute'));
  if (new Set(d).size !== d.length) throw new Error('permute(): duplicate dims are not allowed.');
  const inv = new Array<number>(d.length);
  d.forEach((v, i) => { inv[v] = i; });
  return viewOp('PermuteBackward0', x, (a) => ({ shape: d.map((i) => a.shape[i]), strides: d.map((i) => a._strides[i]), offset: a._offset }), (g) => g.permute(inv), { perm: d });
}

export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  checkTensor('transpose', x);
  const a = wrapDim(d0, x.ndim, 'transpose'), b = wrapDim(d1, x.ndim, 'transpose');
  const swap = <T>(v: T[]): T[] => { const r = [...v]; if (r.length) { r[a] = v[b]; r[b] = v[a]; } return r; };
  return viewOp('TransposeBackward0', x, (t) => ({ shape: swap(t.shape), strides: swap(t._strides), offset: t._offset }), (g) => g.transpose(a, b), { perm: swap([...x.shape.keys()]) });
}

export function t(x: Tensor): Tensor {
  checkTensor('t', x);
  if (x.ndim > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  if (x.ndim < 2) return viewOp('TBackward0', x, (a) => ({ shape: a.shape, strides: a._strides, offset: a._offset }), (g) => g);
  return viewOp('TBackward0', x, (a) => ({ shape: [a.shape[1], a.shape[0]], strides: [a._strides[1], a._strides[0]], offset: a._offset }), (g) => g.t());
}

export function squeeze(x: Tensor, dim?: number | number[] | { dim?: number | number[] }): Tensor {
  checkTensor('squeeze', x);
  dim = kwarg<number | number[] | undefined>(dim, 'dim', undefined);
  const dims = dim === undefined ? null : (Array.isArray(dim) ? dim : [dim]).map((d) => wrapDim(d, x.ndim, 'squeeze'));
  const keep = x.shape.map((s, i) => !(s === 1 && (dims === null || dims.includes(i))));
  return viewOp(dim === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1', x, (a) => ({
    shape: a.shape.filter((_, i) => keep[i]), strides: a._strides.filter((_, i) => keep[i]), offset: a._offset,
  }), (g, i) => g.reshape(i.shape));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', x);
  const d = wrapDim(dim, x.ndim + 1, 'unsqueeze');
  return viewOp('UnsqueezeBackward0', x, (a) => {
    const shape = [...a.shape], strides = [...a._strides];
    shape.splice(d, 0, 1);
    strides.splice(d, 0, d < a.ndim ? a._strides[d] * a.shape[d] : 1);
    return { shape, strides, offset: a._offset };
  }, (g) => g.squeeze(d));
}

export function expand(x: Tensor, ...args: (number | number[])[]): Tensor {
  checkTensor('expand', x);
  const sizes = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as number[];
  if (sizes.length < x.ndim) {
    throw new RangeError(`expand: the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const lead = sizes.length - x.ndim;
  const shape: number[] = [], strides: number[] = [];
  sizes.forEach((s, i) => {
    const j = i - lead;
    if (j < 0) {
      if (s < 0) throw new RangeError(`expand: -1 is not allowed in a leading, non-existing dimension ${i}`);
      shape.push(s); strides.push(0);
      return;
    }
    const cur = x.shape[j];
    const target = s === -1 ? cur : s;
    if (cur !== target) {
      if (cur !== 1) throw new RangeError(`The expanded size of the tensor (${target}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: ${shapeStr(sizes)}.  Tensor sizes: ${shapeStr(x.shape)}`);
      shape.push(target); strides.push(0);
    } else { shape.push(cur); strides.push(x._strides[j]); }
  });
  return viewOp('ExpandBackward0', x, (a) => ({ shape, strides, offset: a._offset }), (g, i) => sumToShape(g, i.shape));
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor('narrow', x);
  const d = wrapDim(dim, x.ndim, 'narrow');
  const size = x.shape[d];
  if (start < -size || start > size) throw new RangeError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  const s = start < 0 ? start + size : start;
  if (length < 0 || s + length > size) throw new RangeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  return sliceOp(x, d, s, s + length, 1);
}

function sliceOp(x: Tensor, d: number, start: number, end: number, step: number): Tensor {
  const len = Math.max(0, Math.ceil((end - start) / step));
  return viewOp('SliceBackward0', x, (a) => {
    const shape = [...a.shape], strides = [...a._strides];
    shape[d] = len; strides[d] = a._strides[d] * step;
    return { shape, strides, offset: a._offset + start * a._strides[d] };
  }, (g, i) => {
    const cs = contiguousStrides(i.shape);
    const strides = [...cs]; strides[d] = cs[d] * step;
    return embed(g, i.shape, { shape: [...g.shape], strides, offset: start * cs[d] });
  }, { axes: [d], starts: [start], ends: [start + len * step], steps: [step] });
}

/** Python slicing along one dim: start/end clamp to the size; step must be positive. */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  const d = wrapDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step <= 0) throw new RangeError('slice step must be positive');
  const n = x.shape[d];
  const norm = (v: number | null | undefined, def: number) => {
    if (v === null || v === undefined) return def;
    const r = v < 0 ? v + n : v;
    return Math.min(Math.max(r, 0), n);
  };
  const s = norm(start, 0), e = Math.max(norm(end, n), s);
  return sliceOp(x, d, s, e, step);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor('select', x);
  if (x.ndim === 0) throw new RangeError('select() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, x.ndim, 'select');
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`select(): index ${index} out of range for tensor of size ${shapeStr(x.shape)} at dimension ${d}`);
  const i0 = index < 0 ? index + n : index;
  return viewOp('SelectBackward0', x, (a) => ({
    shape: a.shape.filter((_, i) => i !== d), strides: a._strides.filter((_, i) => i !== d), offset: a._offset + i0 * a._strides[d],
  }), (g, i) => {
    const cs = contiguousStrides(i.shape);
    return embed(g, i.shape, { shape: [...g.shape], strides: cs.filter((_, k) => k !== d), offset: i0 * cs[d] });
  });
}

export function as_strided(x: Tensor, size: number[], stride: number[], storage_offset?: number): Tensor {
  checkTensor('as_strided', x);
  if (size.length !== stride.length) throw new RangeError(`as_strided: mismatch in length of strides and shape`);
  const off = storage_offset ?? x._offset;
  // the view must stay inside the storage (PyTorch's setStorage check): reading past it would read freed or foreign memory
  if (size.some((s) => !Number.isInteger(s) || s < 0) || stride.some((s) => !Number.isInteger(s) || s < 0) || !Number.isInteger(off) || off < 0) {
    throw new RangeError(`as_strided: sizes ${shapeStr(size)}, strides ${shapeStr(stride)} and storage offset ${off} must be non-negative integers`);
  }
  const need = size.some((s) => s === 0) ? 0 : off + size.reduce((a, s, i) => a + (s - 1) * stride[i], 0) + 1;
  if (need > x._storage.length) {
    throw new RangeError(`as_strided: setStorage: sizes ${shapeStr(size)}, strides ${shapeStr(stride)}, storage offset ${off}, and itemsize ${x.element_size()} requiring a storage size of ${need * x.element_size()} are out of bounds for storage of size ${x._storage.length * x.element_size()}`);
  }
  return viewOp('AsStridedBackward0', x, () => ({ shape: [...size], strides: [...stride], offset: off }),
    (g, i) => embed(g, i.shape, { shape: [...size], strides: [...stride], offset: off - x._offset }));
}

export function flatten(x: Tensor, start?: number | { start_dim?: number; end_dim?: number }, end?: number): Tensor {
  checkTensor('flatten', x);
  if (typeof start === 'object') { end = start.end_dim; start = start.start_dim; }
  if (x.ndim === 0) { wrapDim(start ?? 0, 1, 'flatten'); wrapDim(end ?? -1, 1, 'flatten'); return reshape(x, [1]); } // dims wrap as for 1-d, as in PyTorch
  const s = wrapDim(start ?? 0, x.ndim, 'flatten'), e = wrapDim(end ?? -1, x.ndim, 'flatten');
  if (s > e) throw new RangeError('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  checkTensor('unflatten', x);
  const d = wrapDim(dim, x.ndim, 'unflatten');
  let inferred = sizes;
  if (sizes.includes(-1)) {
    const known = numel(sizes.filter((s) => s !== -1));
    inferred = sizes.map((s) => (s === -1 ? x.shape[d] / known : s));
  }
  if (numel(inferred) !== x.shape[d]) throw new RangeError(`unflatten: Provided sizes ${shapeStr(sizes)} don't multiply up to the size of dim ${dim} (${x.shape[d]}) in the input tensor`);
  return reshape(x, [...x.shape.slice(0, d), ...inferred, ...x.shape.slice(d + 1)]);
}

export function contiguous(x: Tensor): Tensor {
  if (x.is_contiguous()) return x;
  return clone(x);
}

export function clone(x: Tensor): Tensor {
  checkTensor('clone', x);
  return applyFunction('CloneBackward0', (_c, a: Tensor) => copyTensor(a), (_c, g) => [g], [x]);
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor('unbind', x);
  const d = wrapDim(dim, x.ndim, 'unbind');
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

// ------------------------------------------------------------------ indexing
type NestedIndex = number | boolean | NestedIndex[];
export type IndexItem = number | null | '...' | string | { start?: number | null; stop?: number | null; step?: number } | Tensor | NestedIndex[];

const isAdvanced = (it: IndexItem): it is Tensor | NestedIndex[] => it instanceof Tensor || Array.isArray(it);
const isMask = (t: Tensor) => t.dtype === 'bool' || t.dtype === 'uint8';

/**
 * Python's x[...]: numbers select, null inserts a dim, '...' is an ellipsis, 'a:b:c' strings (or
 * {start, stop, step}) slice; index tensors (or number arrays) and boolean masks index as in
 * PyTorch's advanced indexing: the index tensors broadcast together, and their shape takes the
 * place of the indexed dims when those are adjacent, else goes to the front.
 */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  const { r, picks } = applyBasic('index', x, items);
  return picks.length ? advancedIndex(r, picks) : r;
}

interface Pick { dim: number; idx: Tensor }

/** The basic items applied (a view of x), and the advanced ones as (dim of that view, index tensor). */
function applyBasic(op: string, x: Tensor, items: IndexItem[]): { r: Tensor; picks: Pick[] } {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  const adv = items.map((it) => (isAdvanced(it) ? (it instanceof Tensor ? it : makeTensor(it as never)) : null));
  const width = (it: IndexItem, i: number) => (it === null || it === '...' ? 0 : adv[i] && isMask(adv[i]!) ? Math.max(adv[i]!.ndim, 0) : 1);
  const used = items.reduce<number>((n, it, i) => n + width(it, i), 0);
  if (used > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim}`);
  if (items.filter((it) => it === '...').length > 1) throw new Error('index: an index can only have a single ellipsis');
  let r = x, d = 0;
  const picks: Pick[] = [];
  items.forEach((it, i) => {
    if (it === '...') { d += x.ndim - used; return; }
    if (it === null) { r = unsqueeze(r, d); d++; return; }
    const t = adv[i];
    if (t) {
      if (isMask(t)) {
        if (t.ndim === 0) { r = unsqueeze(r, d); picks.push({ dim: d, idx: maskIndices(t.reshape([1]), [1], d)[0] }); d++; return; }
        maskIndices(t, r.shape.slice(d, d + t.ndim), d).forEach((idx, k) => picks.push({ dim: d + k, idx }));
        d += t.ndim;
        return;
      }
      if (t.dtype !== 'int32') throw new TypeError(`index: tensors used as indices must be long, int, byte or bool tensors (got ${t.dtype})`);
      picks.push({ dim: d, idx: t });
      d++;
      return;
    }
    if (typeof it === 'number') {
      const n = r.shape[d];
      if (!Number.isInteger(it) || it < -n || it >= n) throw new RangeError(`index ${it} is out of bounds for dimension ${d} with size ${n}`);
      r = select(r, d, it);
      return;
    }
    const sl = typeof it === 'string' ? parseSlice(it) : (it as { start?: number | null; stop?: number | null; step?: number });
    r = slice(r, d, sl.start, sl.stop, sl.step ?? 1);
    d++;
  });
  return { r, picks };
}

/** the coordinates of a mask's true entries, one int index tensor per mask dim (PyTorch's nonzero) */
function maskIndices(mask: Tensor, shape: number[], at: number): Tensor[] {
  mask.shape.forEach((s, k) => {
    if (s !== shape[k]) throw new RangeError(`The shape of the mask ${shapeStr(mask.shape)} at index ${k} does not match the shape of the indexed tensor ${shapeStr(shape)} at index ${at + k}`);
  });
  if (!backendFor('index', [mask]).syncReads) {
    throw new Error(`index: a boolean mask on ${mask.device} sizes the result by its values, and reading webgpu values back is asynchronous: index with a CPU mask (await mask.cpu()), or use masked_fill / where`);
  }
  const v = mask.contiguous().dataSync();
  const cols: number[][] = mask.shape.map(() => []);
  const strides = contiguousStrides(mask.shape);
  for (let i = 0; i < v.length; i++) {
    if (!v[i]) continue;
    let rem = i;
    strides.forEach((st, k) => { cols[k].push(Math.floor(rem / st)); rem %= st; });
  }
  return cols.map((c) => makeTensor(c, { dtype: 'int32', device: mask.device }));
}

/** The advanced picks as one row-major linear index over their dims (broadcast shape B, negatives wrapped, range-checked). */
function linearIndex(r: Tensor, picks: Pick[]): { lin: Tensor; B: number[]; dims: number[]; sizes: number[] } {
  const B = picks.map((p) => p.idx.shape).reduce((a, b) => broadcastShapes('index', a, b));
  const dims = picks.map((p) => p.dim);
  const sizes = dims.map((dm) => r.shape[dm]);
  // the row-major linear index over the indexed dims, negatives wrapped
  let lin: Tensor | null = null;
  picks.forEach((p, k) => {
    const n = sizes[k];
    // values are checked where they can be read synchronously (a CPU index, also for a webgpu x)
    if (backendFor('index', [p.idx]).syncReads && p.idx.numel()) {
      const v = p.idx.contiguous().dataSync();
      for (const e of v) if (e < -n || e >= n) throw new RangeError(`index ${e} is out of bounds for dimension ${p.dim} with size ${n}`);
    }
    let idx = p.idx.device === r.device ? p.idx : p.idx.to(r.device);
    idx = idx.where(idx.ge(0), idx.add(n));
    const scaled = idx.mul(sizes.slice(k + 1).reduce((a, b) => a * b, 1));
    lin = lin ? lin.add(scaled) : scaled;
  });
  return { lin: expand(lin!, B), B, dims, sizes };
}

/** where the broadcast index shape goes in the result: at the first indexed dim when the indexed dims are adjacent, else first */
const placeAt = (dims: number[]) => (dims.every((dm, k) => k === 0 || dm === dims[k - 1] + 1) ? dims[0] : 0);

function advancedIndex(r: Tensor, picks: Pick[]): Tensor {
  const { lin, B, dims, sizes } = linearIndex(r, picks);
  const others = [...r.shape.keys()].filter((i) => !dims.includes(i));
  const rest = others.map((i) => r.shape[i]);
  const flat = reshape(permute(r, [...dims, ...others]), [sizes.reduce((a, b) => a * b, 1), ...rest]);
  const out = reshape(index_select(flat, 0, lin.reshape([-1])), [...B, ...rest]);
  const p0 = placeAt(dims);
  return p0 > 0 ? permute(out, moveBlock(B.length, p0, rest.length)) : out;
}

/** the permutation of [...B(nb), ...rest(nr)] that moves the B block to position p0 */
const moveBlock = (nb: number, p0: number, nr: number): number[] =>
  [...[...Array(p0).keys()].map((i) => nb + i), ...Array(nb).keys(), ...[...Array(nr - p0).keys()].map((i) => nb + p0 + i)];

/**
 * Python's `x[items] = values` (and index_put_ with accumulate: `x[items] += values` that sums
 * repeated indices): writes in place into x, recorded for autograd.
 */
export function index_put_<T extends Tensor>(x: T, indices: IndexItem[] | IndexItem, values: Tensor | number | boolean, opts: boolean | { accumulate?: boolean } = {}): T {
  const accumulate = typeof opts === 'boolean' ? opts : opts?.accumulate ?? false;
  // a list holds the items as index() takes them ([rows, cols] is x[rows, cols]); anything else is one item
  const items = Array.isArray(indices) ? indices as IndexItem[] : [indices];
  const { r, picks } = applyBasic('index_put_', x, items);
  let v = values instanceof Tensor ? values : makeTensor(+values as number, { dtype: x.dtype, device: x.device });
  if (v.device !== x.device) v = v.to(x.device);
  if (picks.length && values instanceof Tensor && v.dtype !== x.dtype) {
    const C: Record<string, string> = { float32: 'Float', float64: 'Double', int32: 'Int', uint8: 'Byte', bool: 'Bool' };
    throw new TypeError(`index_put_: Index put requires the source and destination dtypes match, got ${C[x.dtype]} for the destination and ${C[v.dtype]} for the source.`);
  }
  if (v.dtype !== x.dtype) v = v.to(x.dtype);
  if (!picks.length) {
    if (accumulate) r.copy_(r.add(v.expand(r.shape))); else r.copy_(v.expand(r.shape));
    return x;
  }
  const { lin, B, dims } = linearIndex(r, picks);
  const others = [...r.shape.keys()].filter((i) => !dims.includes(i));
  const rest = others.map((i) => r.shape[i]);
  const rp = permute(r, [...dims, ...others]);
  // values come in the result's layout (B placed as x[items] places it); bring B to the front
  const p0 = placeAt(dims), nb = B.length;
  const full = [...B, ...rest], perm = moveBlock(nb, p0, rest.length);
  const resultShape = p0 > 0 ? perm.map((i) => full[i]) : full;
  let vb = v.expand(resultShape);
  if (p0 > 0) { const inv: number[] = []; perm.forEach((src, dst) => { inv[src] = dst; }); vb = permute(vb, inv); }
  const n = numel(B), P = numel(rp.shape.slice(0, dims.length));
  const cur = reshape(rp, [P, ...rest]);
  const vals = reshape(vb, [n, ...rest]);
  const idx = lin.reshape([n, ...rest.map(() => 1)]).expand([n, ...rest]);
  const updated = accumulate ? cur.scatter_add(0, idx, vals) : cur.scatter(0, idx, vals);
  rp.copy_(reshape(updated, rp.shape));
  return x;
}

function parseSlice(s: string): { start: number | null; stop: number | null; step: number } {
  const parts = s.split(':');
  if (parts.length < 2 || parts.length > 3) throw new Error(`index: invalid slice '${s}'`);
  const num = (p: string | undefined) => (p === undefined || p.trim() === '' ? null : Number(p));
  const [a, b, c = null] = parts.map(num);
  if ([a, b, c].some((v) => v !== null && !Number.isInteger(v))) throw new Error(`index: invalid slice '${s}'`);
  return { start: a, stop: b, step: c ?? 1 };
}

// ------------------------------------------------------------------ in-place history
/** After an in-place op wrote `result` into `self`, move self's (and its base's) history. */
export function rebaseHistory(self: Tensor, result: Tensor): void {
  const base = self._base;
  if (!base || !isContiguousView(base.shape, base._strides)) {
    self._setHistory(result.grad_fn!, result._output_nr);
    return;
  }
  if (base.is_leaf && base.requires_grad) throw new Error('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  const geom: Geom = { shape: [...self.shape], strides: [...self._strides], offset: self._offset - base._offset };
  const updated = applyFunction('CopySlices', (_c, b: Tensor) => b._alias(), (_c, g) => {
    const gBase = g.clone();
    writeView(gBase._view(geom.shape, geom.strides, geom.offset), zeros([], { dtype: g.dtype }));
    const gView = g.contiguous()._view(geom.shape, geom.strides, geom.offset).clone();
    return [gBase, gView];
  }, [base, result]) as Tensor;
  base._setHistory(updated.grad_fn!, 0);
  const v = as_strided(base, geom.shape, geom.strides, base._offset + geom.offset);
  self._setHistory(v.grad_fn!, 0);
}


// ------------------------------------------------------------------ Tensor methods
type Sizes = (number | number[])[];
declare module '../tensor.js' {
  interface Tensor {
    view(...shape: (number | number[] | DType)[]): Tensor;
    view_as(other: Tensor): Tensor;
    reshape(...shape: Sizes): Tensor;
    reshape_as(other: Tensor): Tensor;
    permute(...dims: Sizes): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    swapaxes(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** all dims reversed */
    readonly T: Tensor;
    /** the last two dims swapped */
    readonly mT: Tensor;
    squeeze(dim?: number | number[] | { dim?: number | number[] }): Tensor;
    unsqueeze(dim: number): Tensor;
    expand(...sizes: Sizes): Tensor;
    expand_as(other: Tensor): Tensor;
    broadcast_to(shape: number[]): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    flatten(start_dim?: number | { start_dim?: number; end_dim?: number }, end_dim?: number): Tensor;
    unflatten(dim: number, sizes: number[]): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    unbind(dim?: number): Tensor[];
    as_strided(size: number[], stride: number[], storage_offset?: number): Tensor;
    /** Basic slicing along one dim: t.slice(dim, start, end, step). */
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
    /**
     * Python's x[...]: numbers select, ranges ('a:b:c' or { start, stop, step }) slice, null inserts a
     * dim, '...' is an ellipsis; int tensors or number arrays and boolean masks are PyTorch's advanced indexing.
     */
    index(...idx: IndexItem[]): Tensor;
    /** Python's `x[items] = values`: x.index_put_([rows, cols], values, { accumulate }); index items as in index(). */
    index_put_(indices: IndexItem[] | IndexItem, values: Tensor | number | boolean, opts?: boolean | { accumulate?: boolean }): this;
    /** index_put_ on a copy */
    index_put(indices: IndexItem[] | IndexItem, values: Tensor | number | boolean, opts?: boolean | { accumulate?: boolean }): Tensor;
    /** Python's `for row in t`: the views t.select(0, i). A 0-d tensor is not iterable (PyTorch raises TypeError). */
    [Symbol.iterator](): Iterator<Tensor>;
  }
}

installMethods({
  view,
  view_as: (x, o) => view(x, o.shape),
  reshape,
  reshape_as: (x, o) => reshape(x, o.shape),
  permute,
  transpose,
  swapaxes: transpose,
  t,
  T: { get: (x) => permute(x, [...x.shape.keys()].reverse()) },
  mT: { get: (x) => transpose(x, -2, -1) },
  squeeze,
  unsqueeze,
  expand,
  expand_as: (x, o) => named('expand_as', () => expand(x, o.shape)),
  broadcast_to: (x, shape) => named('broadcast_to', () => expand(x, shape)),
  narrow,
  select,
  flatten,
  unflatten,
  contiguous,
  clone,
  unbind,
  as_strided,
  slice,
  index,
  index_put_: ((x: Tensor, i: IndexItem[] | IndexItem, v: Tensor | number | boolean, o?: boolean | { accumulate?: boolean }) => named('index_put_', () => index_put_(x, i, v, o))) as never,
  index_put: (x, i, v, o) => named('index_put', () => index_put_(clone(x), i, v, o)),
});

// Python's `for row in t`. The iterator exists only on tensors with a dim to iterate: a 0-d
// tensor is not iterable (`[...t]` throws TypeError, as PyTorch's 'iteration over a 0-d tensor'),
// and deep-equality helpers that follow iterators (vitest's toEqual) stop at 0-d rows and
// compare their fields.
function* rows(this: Tensor): Iterator<Tensor> {
  const n = this.shape[0];
  for (let i = 0; i < n; i++) yield select(this, 0, i);
}
Object.defineProperty(Tensor.prototype, Symbol.iterator, {
  configurable: true, enumerable: false,
  get(this: Tensor) { return this.ndim ? rows : undefined; },
});

// Elementwise ops. Each table row of ts/ops/pointwise_table.ts becomes an op here (type
// promotion, broadcasting, one backend call, its autograd node) and, where the row names them,
// Tensor methods and their in-place forms. Hand-written below: the ops with options or several
// kernels (add/sub alpha, div rounding modes, pow with a number, clamp, gelu approximate,
// softplus beta/threshold, round decimals), in-place machinery, fills and copies.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { arrayFor, category, isFloating, resultType, scalarDType, get_default_dtype } from '../dtype.js';
import { broadcastShapes, named, numel, shapeStr } from '../shape.js';
import { backendFor } from '../backend/dispatch.js';
import { isContiguousView } from '../backend/view.js';
import { isOn, needsAsyncRead, writeView } from '../backend/move.js';
import { copyTensor, toDevice } from './copy.js';
import { rebaseHistory } from './views.js';
import { zeros, on } from '../creation.js';
import { POINTWISE, type PointwiseName, type PointwiseDef, type G } from './pointwise_table.js';
import { applyFunction } from '../autograd/function.js';
import { tracer } from '../onnx/hook.js';
import type { FunctionCtx } from '../autograd/node.js';
import { is_grad_enabled } from '../autograd/grad_mode.js';
import type { TensorOrScalar, Scalar } from './types.js';
import { randomFill, type RandomKind } from '../random.js';
import { installMethods, installInplace, type MethodTable, type InplaceMethods } from './methods.js';

type Operand = Tensor | Scalar;

const rankOf = (x: Operand): 0 | 1 | 2 => (x instanceof Tensor ? (x.ndim ? 2 : 1) : 0);
const dtypeOf = (x: Operand): DType => (x instanceof Tensor ? x.dtype : scalarDType(x));
export const promote = (...xs: Operand[]): DType => resultType(xs.map((x) => ({ dtype: dtypeOf(x), rank: rankOf(x) })));

function checkOperand(op: string, x: unknown): void {
  if (x instanceof Tensor || typeof x === 'number' || typeof x === 'boolean') return;
  throw new TypeError(`${op}(): argument 'other' must be Tensor or Number, not ${x === null ? 'null' : typeof x}`);
}

/** Python's name for the type of a JS value, as PyTorch's argument errors print it. */
const pyType = (x: unknown): string => (x === null || x === undefined ? 'NoneType' : typeof x === 'string' ? 'str' : typeof x === 'number' ? (Number.isInteger(x) ? 'int' : 'float')
  : typeof x === 'boolean' ? 'bool' : Array.isArray(x) ? 'list' : typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x);
export function checkTensor(op: string, x: unknown, name = 'input', position = 1): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument '${name}' (position ${position}) must be Tensor, not ${pyType(x)}`);
}

/** Kernel compute type for a result dtype: floats as themselves, integers and bools in int32. */
const computeFor = (d: DType): DType => (isFloating(d) ? d : 'int32');

/**
 * Runs pointwise kernel `name` over broadcast inputs, computing in `compute` (f32/f64/i32) and
 * returning a tensor of `out`. No autograd: callers wrap this in applyFunction.
 */
export function kernel(name: PointwiseName, inputs: Operand[], compute: DType, out: DType, p = 0, q = 0): Tensor {
  const def: PointwiseDef = POINTWISE[name];
  if (compute === 'int32' && !def.i) throw new TypeError(`${name}: not implemented for integer tensors of type ${inputs.map(dtypeOf).join(', ')}`);
  const tensors = inputs.filter((x): x is Tensor => x instanceof Tensor);
  const shape = broadcastShapes(name, ...tensors.map((t) => t.shape));
  const backend = backendFor(name, tensors, true);
  const layout = denseLayout(tensors, shape);
  if (!layout) return new Tensor(backend.pointwise(name, inputs, compute, out, shape, p, q), shape);
  // every operand is the same dense permuted layout (a transpose, say): run over the bytes in
  // memory order and give the result that layout, as PyTorch's TensorIterator does
  const n = [numel(shape)];
  const flat = inputs.map((x) => (x instanceof Tensor && x.ndim ? { _storage: x._storage, dtype: x.dtype, shape: n, _strides: [1], _offset: x._offset, is_disposed: x.is_disposed } : x));
  return new Tensor(backend.pointwise(name, flat, compute, out, n, p, q), shape, layout);
}

/**
 * The strides shared by every operand that is not 0-d, when they are dense and non-overlapping
 * but not contiguous (each dim longer than 1, taken by increasing stride, steps over exactly the
 * dims before it); otherwise null.
 */
function denseLayout(tensors: Tensor[], shape: readonly number[]): number[] | null {
  const first = tensors.find((t) => t.ndim);
  const s = first?._strides;
  if (!s || isContiguousView(shape, s) || !numel(shape)) return null;
  if (tensors.some((t) => t.ndim && (t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i] || t._strides[i] !== s[i])))) return null;
  let step = 1;
  for (const i of shape.map((_, i) => i).filter((i) => shape[i] > 1).sort((a, b) => s[a] - s[b])) {
    if (s[i] !== step) return null;
    step *= shape[i];
  }
  return [...s];
}

const floatOf = (d: DType): DType => (isFloating(d) ? d : get_default_dtype());
const asTensor = (x: Operand, like: Tensor): Tensor => (x instanceof Tensor ? x : scalarTensor(x, like.dtype));
export function scalarTensor(v: Scalar, dtype: DType): Tensor {
  const a = arrayFor(dtype, 1);
  a[0] = dtype === 'bool' ? (+v !== 0 ? 1 : 0) : +v; // a bool holds 0 or 1 (NaN is true), as in PyTorch
  return Tensor._fromData(a, dtype, []);
}
/** backward builds differentiable graphs only under create_graph */
const differentiable = (...ts: (Tensor | null)[]): boolean => is_grad_enabled() && ts.some((x) => x?.requires_grad);
/** a zero gradient (not g * 0, which would turn inf/nan gradients into nan) */
const zerosLike = (g: Tensor): Tensor => zeros(g.shape, on(g));

// The table's gradient formulas are written against G, the Tensor methods they call (the table
// imports nothing); here they run on Tensors. Every method of G must be one of Tensor's:
type UnaryGrad = (g: Tensor, x: Tensor, y: Tensor, p: number, q: number) => Tensor;
type BinaryGrad = (g: Tensor, x: Tensor, y: Tensor) => Tensor;
const gIsTensorMethods: [Exclude<keyof G, keyof Tensor>] extends [never] ? true : never = true;
void gIsTensorMethods;

// ------------------------------------------------------------------ ops built from the table rows
type Rows = typeof POINTWISE;
/** the rows that are ops: those with an autograd node, and the bool-valued predicates */
type OpName = { [K in PointwiseName]: Rows[K] extends { grad_fn: string } | { out: 'bool' } ? K : never }[PointwiseName];
type OpFn<R> = R extends { arity: 1 } ? (x: Tensor) => Tensor
  : R extends { tensors: true } ? (a: Tensor, b: Tensor) => Tensor : (a: TensorOrScalar, b: TensorOrScalar) => Tensor;

/** A unary row as an op; `p` and `q` are the kernel's parameters (softplus's beta and threshold). */
function unaryOp(name: PointwiseName, def: PointwiseDef): (x: Tensor, p?: number, q?: number) => Tensor {
  if (def.out === 'bool') {
    return (x) => { checkTensor(name, x); return kernel(name, [x], computeFor(x.dtype), 'bool'); };
  }
  const gradName = def.grad_fn!, saves = def.saves ?? 'none', float = def.dtype === 'float';
  const grad = def.grad as unknown as UnaryGrad | null;
  const fused = def.fused as PointwiseName | undefined;
  return (x, p = 0, q = 0) => {
    checkTensor(name, x);
    return applyFunction(gradName, (ctx, a: Tensor) => {
      let y: Tensor;
      if (float) {
        const d = floatOf(a.dtype);
        y = kernel(name, [a], d, d, p, q);
      } else {
        if (a.dtype === 'bool' && !def.bool) throw new TypeError(`${name}: not supported for bool tensors`);
        y = kernel(name, [a], computeFor(a.dtype), a.dtype, p, q);
      }
      ctx.save_for_backward(saves === 'x' ? a : null, saves === 'y' ? y : null);
      return y;
    }, (ctx, g) => {
      if (grad === null) return [zerosLike(g)];
      const [a, y] = ctx.saved_tensors;
      const saved = saves === 'x' ? a : y;
      if (fused && !differentiable(g, saved)) return [kernel(fused, [g, saved], g.dtype, g.dtype)];
      return [grad(g, a, y, p, q)];
    }, [x]);
  };
}

/** A binary row as an op. */
function binaryOp(name: PointwiseName, def: PointwiseDef): (a: TensorOrScalar, b: TensorOrScalar) => Tensor {
  const check: (op: string, x: unknown) => void = def.tensors ? checkTensor : checkOperand;
  if (def.out === 'bool') {
    return (a, b) => {
      check(name, a); check(name, b);
      return kernel(name, [a, b], computeFor(promote(a, b)), 'bool');
    };
  }
  const gradName = def.grad_fn!, saves = def.saves === 'xy', float = def.dtype === 'float';
  const grads = def.grad as unknown as readonly [BinaryGrad, BinaryGrad] | null;
  return (a, b) => {
    check(name, a); check(name, b);
    return applyFunction(gradName, (ctx, x: Operand, y: Operand) => {
      const out = float ? floatOf(promote(x, y)) : promote(x, y);
      const r = kernel(name, [x, y], computeFor(out), out);
      if (saves) {
        ctx.save_for_backward(x instanceof Tensor ? x : null, y instanceof Tensor ? y : null);
        ctx.scalars = [x, y];
      }
      return r;
    }, (ctx, g) => {
      let x: Tensor | undefined, y: Tensor | undefined;
      if (saves) {
        const [tx, ty] = ctx.saved_tensors;
        const [sx, sy] = ctx.scalars as Operand[];
        x = tx ?? asTensor(sx, g);
        y = ty ?? asTensor(sy, g);
      }
      return [0, 1].map((i) => {
        if (!ctx.needs_input_grad[i]) return null;
        return grads === null ? zerosLike(g) : grads[i](g, x!, y!);
      });
    }, [a, b]);
  };
}

const unary = {} as Record<PointwiseName, (x: Tensor, p?: number, q?: number) => Tensor>;
const built = {} as Record<string, unknown>;
for (const [name, def] of Object.entries(POINTWISE) as [PointwiseName, PointwiseDef][]) {
  if (!def.grad_fn && def.out !== 'bool') continue;
  if (def.arity === 1) built[name] = unary[name] = unaryOp(name, def);
  else built[name] = binaryOp(name, def);
}
/** Every op of the table, by row name. */
export const ops = built as { readonly [K in OpName]: OpFn<Rows[K]> };

export const {
  neg, abs, sign, reciprocal, exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, erf, silu, floor, ceil, trunc,
  logical_not, isnan, mul, remainder, minimum, maximum, eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor,
} = ops;

// ------------------------------------------------------------------ hand-written ops
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const a = opts.approximate ?? 'none';
  if (a !== 'none' && a !== 'tanh') throw new Error(`gelu: approximate argument must be either none or tanh, got '${a}'`);
  return a === 'tanh' ? ops.gelu_tanh(x) : ops.gelu(x);
}

export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } | number = {}, threshold?: number): Tensor {
  const o = typeof opts === 'number' ? { beta: opts, threshold } : opts;
  return unary.softplus(x, o.beta ?? 1, o.threshold ?? 20);
}

export function round(x: Tensor, opts: { decimals?: number } = {}): Tensor {
  const d = opts.decimals ?? 0;
  if (!d) return ops.round(x);
  const s = 10 ** d;
  return ops.round(x.mul(s)).div(s);
}

function alphaOf(opts: { alpha?: number } | number | undefined): number {
  return typeof opts === 'number' ? opts : opts?.alpha ?? 1;
}
export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number } | number): Tensor {
  const alpha = alphaOf(opts);
  return ops.add(a, alpha === 1 ? b : mul(b, alpha));
}
export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number } | number): Tensor {
  const alpha = alphaOf(opts);
  if (dtypeOf(a) === 'bool' || dtypeOf(b) === 'bool') {
    throw new TypeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
  return ops.sub(a, alpha === 1 ? b : mul(b, alpha));
}
type RoundingMode = { rounding_mode?: 'trunc' | 'floor' | null };
export function div(a: TensorOrScalar, b: TensorOrScalar, opts: RoundingMode = {}): Tensor {
  const m = opts.rounding_mode ?? null;
  if (m === null) return ops.div(a, b);
  if (m === 'floor') return ops.div_floor(a, b);
  if (m === 'trunc') return ops.div_trunc(a, b);
  throw new Error(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${m}'`);
}

export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  checkOperand('pow', a); checkOperand('pow', b);
  if (a instanceof Tensor && !(b instanceof Tensor)) {
    const e = +b;
    if (e === 1) return a.clone();
    return applyFunction('PowBackward0', (ctx, x: Tensor) => {
      const out = promote(x, b);
      if (!isFloating(out) && e < 0) throw new Error('Integers to negative integer powers are not allowed.');
      ctx.save_for_backward(x);
      if (e === 2 && isFloating(out)) return kernel('mul', [x, x], out, out);
      return kernel('pow', [x, e], computeFor(out), out);
    }, (ctx, g) => {
      const [x] = ctx.saved_tensors;
      return [e === 0 ? zerosLike(g) : g.mul(e).mul(x.pow(e - 1))];
    }, [a]);
  }
  if (!(a instanceof Tensor) && b instanceof Tensor) {
    const base = +a;
    return applyFunction('PowBackward2', (ctx, y: Tensor) => {
      const out = promote(a, y);
      const r = kernel('pow', [base, y], computeFor(out), out);
      ctx.save_for_backward(r);
      return r;
    }, (ctx, g) => {
      const [r] = ctx.saved_tensors;
      return [base === 0 ? g.mul(r).mul(0) : g.mul(r).mul(Math.log(base))];
    }, [b]);
  }
  return ops.pow(a, b);
}

type Bound = TensorOrScalar | null;
export function clamp(x: Tensor, min?: Bound | { min?: Bound; max?: Bound }, max?: Bound): Tensor {
  checkTensor('clamp', x);
  if (min !== null && typeof min === 'object' && !(min instanceof Tensor)) { max = min.max; min = min.min; }
  const lo = min ?? null, hi = max ?? null;
  if (lo === null && hi === null) throw new Error("clamp: At least one of 'min' or 'max' must not be None");
  if (lo instanceof Tensor || hi instanceof Tensor) {
    return applyFunction('ClampBackward0', (ctx, a: Tensor, l: Bound, h: Bound) => {
      let r = a;
      if (l !== null) r = maximum(r, l instanceof Tensor ? l : scalarTensor(l, a.dtype));
      if (h !== null) r = minimum(r, h instanceof Tensor ? h : scalarTensor(h, a.dtype));
      ctx.save_for_backward(a, l instanceof Tensor ? l : null, h instanceof Tensor ? h : null);
      ctx.bounds = [l, h];
      return r === a ? a.clone() : r;
    }, (ctx, g) => {
      const [a, lt, ht] = ctx.saved_tensors;
      const [l, h] = ctx.bounds as Bound[];
      const lv = lt ?? l, hv = ht ?? h;
      let inRange = a.eq(a);
      if (lv !== null) inRange = inRange.logical_and(a.ge(lv));
      if (hv !== null) inRange = inRange.logical_and(a.le(hv));
      return [
        g.where(inRange, 0),
        // PyTorch: min gets no gradient where min > max; max takes it there
        lt && ctx.needs_input_grad[1] ? g.where(hv === null ? a.lt(lt) : a.lt(lt).logical_and(lt.lt(hv)), 0) : null,
        ht && ctx.needs_input_grad[2] ? g.where(lv === null ? a.gt(ht) : a.gt(ht).logical_or(ht.lt(lv)), 0) : null,
      ];
    }, [x, lo, hi]);
  }
  const l = lo === null ? -Infinity : +lo, h = hi === null ? Infinity : +hi;
  return applyFunction('ClampBackward1', (ctx, a: Tensor) => {
    const out = promote(a, lo ?? hi ?? 0, hi ?? lo ?? 0);
    ctx.save_for_backward(a);
    if (isFloating(out)) return kernel('clamp', [a], out, out, l, h);
    if (h < l) return kernel('clamp', [a], 'int32', out, h, h);
    return kernel('clamp', [a], 'int32', out, Math.max(l, -2147483648), Math.min(h, 2147483647));
  }, (ctx, g) => {
    const [a] = ctx.saved_tensors;
    return [g.where(a.ge(l).logical_and(a.le(h)), 0)];
  }, [x]);
}

// ------------------------------------------------------------------ in place, fills and copies
/** PyTorch's rule for writing into `self` while grad mode is on: not a leaf that requires grad. */
function checkInplace(self: Tensor): void {
  if (self.requires_grad && self.is_leaf && is_grad_enabled()) throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
}

/**
 * Makes an in-place op out of its out-of-place result: checks PyTorch's in-place rules, writes
 * the values into `self`, bumps the version counter and moves self's history onto the result's node.
 */
export function inplace<T extends Tensor>(self: T, result: Tensor): T {
  checkInplace(self);
  if (category(result.dtype) > category(self.dtype)) {
    throw new TypeError(`result type ${typeName(result.dtype)} can't be cast to the desired output type ${typeName(self.dtype)}`);
  }
  if (result.shape.length > self.shape.length || result.shape.some((s, i) => s !== self.shape[self.ndim - result.ndim + i] && s !== 1)) {
    throw new RangeError(`output with shape ${shapeStr(self.shape)} doesn't match the broadcast shape ${shapeStr(result.shape)}`);
  }
  const node = result.grad_fn;
  if (node?.ctx) {
    // values saved from `self` must survive the overwrite: keep a snapshot, as PyTorch's original_self
    const saved = node.ctx._saved;
    saved.forEach((s, i) => {
      if (s.tensor === self) saved[i] = new (s.constructor as any)(copyTensor(self), false);
    });
  }
  writeView(self, result);
  tracer?.inplace(self, result);
  self._bumpVersion();
  if (result.requires_grad && is_grad_enabled()) rebaseHistory(self, result);
  // no graph holds the out-of-place result: its bytes go now, not when the collector finds them
  // (a clip_grad_norm_ or optimizer loop without scopes would otherwise get a fresh array per op)
  else if (!tracer && result !== self) result.dispose();
  return self;
}

const typeName = (d: DType): string => ({ float32: 'Float', float64: 'Double', int32: 'Int', uint8: 'Byte', bool: 'Bool' }[d]);

/** Positional numbers and/or a trailing options object (Python keywords): normal_(0, 0.02), normal_({ mean: 0, std: 0.02 }). */
function randArgs(op: string, args: unknown[], names: string[], defs: number[]): number[] {
  const out = [...defs];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === undefined || a === null) continue;
    if (typeof a === 'object') {
      for (const [k, v] of Object.entries(a as object)) {
        const j = names.indexOf(k);
        if (k === 'generator') continue;
        if (j < 0) throw new TypeError(`${op}() got an unexpected keyword argument '${k}'`);
        if (v !== undefined) out[j] = v as number;
      }
    } else if (typeof a === 'number') out[i] = a;
    else throw new TypeError(`${op}(): argument '${names[i]}' must be a number, not ${typeof a}`);
  }
  return out;
}

/** PyTorch's lerp: start + w * (end - start) for w < 0.5, end - (end - start) * (1 - w) above (exact at w = 1, inf stays inf). */
function lerp(x: Tensor, end: Tensor, weight: TensorOrScalar): Tensor {
  const cname = (d: string) => ({ float32: 'float', float64: 'double', int32: 'int', uint8: 'unsigned char', bool: 'bool' } as Record<string, string>)[d];
  if (end instanceof Tensor && end.dtype !== x.dtype) throw new TypeError(`lerp: expected dtype ${cname(x.dtype)} for \`end\` but got dtype ${cname(end.dtype)}`);
  if (weight instanceof Tensor && weight.dtype !== x.dtype) throw new TypeError(`lerp: expected dtype ${cname(x.dtype)} for \`weight\` but got dtype ${cname(weight.dtype)}`);
  const d = sub(end, x);
  if (typeof weight === 'number' || typeof weight === 'boolean') return +weight < 0.5 ? add(x, mul(d, +weight)) : sub(end, mul(d, 1 - +weight));
  return add(x, mul(d, weight)).where(weight.lt(0.5), sub(end, mul(d, weight.neg().add(1))));
}

export function fill_<T extends Tensor>(self: T, value: TensorOrScalar): T {
  if (value instanceof Tensor && value.ndim !== 0) throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
  checkInplace(self);
  const v = value instanceof Tensor ? value : scalarTensor(value, self.dtype);
  backendFor('fill_', [self, v], true);
  writeView(self, v);
  self._bumpVersion();
  if (is_grad_enabled() && (self.requires_grad || v.requires_grad)) {
    rebaseHistory(self, applyFunction('FillBackward0', () => copyTensor(v, self.dtype, self.shape),
      (_c, g) => [g.sum()], [v]) as Tensor);
  }
  return self;
}

export function copy_<T extends Tensor>(self: T, src: Tensor): T {
  checkTensor('copy_', src);
  broadcastShapes('copy_', self.shape, src.shape);
  if (src.ndim > self.ndim && numel(src.shape) !== numel(self.shape)) throw new RangeError(`copy_: cannot broadcast ${shapeStr(src.shape)} to ${shapeStr(self.shape)}`);
  checkInplace(self);
  const here = isOn(src, self.device.type);
  if (needsAsyncRead(src, self.device.type)) {
    throw new Error(`copy_: writing a ${src.device.type} tensor (shape ${shapeStr(src.shape)}) into a ${self.device.type} tensor needs an asynchronous read: use \`dst.copy_(await src.cpu())\``);
  }
  // a source on another device is moved first
  const from = here ? src : toDevice(src, self.device.type, 'copy_');
  try { writeView(self, from); } finally { if (from !== src) from.dispose(); }
  tracer?.inplace(self, src);
  self._bumpVersion();
  if (is_grad_enabled() && src.requires_grad) {
    if (!here) throw new Error('copy_: a copy between devices is not differentiable here');
    rebaseHistory(self, applyFunction('CopyBackwards', () => copyTensor(src, self.dtype, self.shape),
      (_c, g) => [g], [src]) as Tensor);
  }
  return self;
}

export function fill_random_<T extends Tensor>(self: T, kind: RandomKind, a: number, b: number): T {
  checkInplace(self);
  if (kind !== 'bernoulli' && !isFloating(self.dtype)) throw new TypeError(`${kind}_ expects a floating point tensor, got ${self.dtype}`);
  writeView(self, randomFill(kind, self.shape, self.dtype, a, b));
  self._bumpVersion();
  return self;
}

// ------------------------------------------------------------------ Tensor methods
type MethodNames<R> = R extends { method: readonly (infer M extends string)[] } ? M : never;
type TableMethodName = { [K in PointwiseName]: MethodNames<Rows[K]> }[PointwiseName];
type RowOf<M> = { [K in PointwiseName]: M extends MethodNames<Rows[K]> ? Rows[K] : never }[PointwiseName];
type MethodOf<R> = R extends { arity: 1 } ? () => Tensor : R extends { tensors: true } ? (other: Tensor) => Tensor : (other: TensorOrScalar) => Tensor;
type TableInplaceName = { [K in PointwiseName]: Rows[K] extends { inplace: true } ? MethodNames<Rows[K]> : never }[PointwiseName];
/** The methods the table rows name (`method`), and their in-place forms (`inplace`). */
export type TableMethods = { [M in TableMethodName]: MethodOf<RowOf<M>> };
type TableInplaceMethods = InplaceMethods<TableMethods, TableInplaceName>;

type AlphaOpts = { alpha?: number } | number;
type ClampArgs = [min?: Bound | { min?: Bound; max?: Bound }, max?: Bound];
/** The hand-written elementwise methods. */
export interface PointwiseMethods {
  add(other: TensorOrScalar, opts?: AlphaOpts): Tensor;
  sub(other: TensorOrScalar, opts?: AlphaOpts): Tensor;
  subtract(other: TensorOrScalar, opts?: AlphaOpts): Tensor;
  div(other: TensorOrScalar, opts?: RoundingMode): Tensor;
  divide(other: TensorOrScalar, opts?: RoundingMode): Tensor;
  true_divide(other: TensorOrScalar): Tensor;
  floor_divide(other: TensorOrScalar): Tensor;
  pow(exponent: TensorOrScalar): Tensor;
  square(): Tensor;
  round(opts?: { decimals?: number }): Tensor;
  clamp(...args: ClampArgs): Tensor;
  clip(min?: Bound, max?: Bound): Tensor;
  clamp_min(min: TensorOrScalar): Tensor;
  clamp_max(max: TensorOrScalar): Tensor;
  lerp(end: Tensor, weight: TensorOrScalar): Tensor;
  addcmul(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): Tensor;
  addcdiv(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): Tensor;
}
const INPLACE = ['add', 'sub', 'subtract', 'div', 'divide', 'true_divide', 'floor_divide', 'pow', 'round', 'clamp', 'clip', 'clamp_min', 'clamp_max', 'lerp', 'addcmul', 'addcdiv'] as const;

declare module '../tensor.js' {
  interface Tensor extends TableMethods, TableInplaceMethods, PointwiseMethods, InplaceMethods<PointwiseMethods, typeof INPLACE[number]> {
    fill_(value: TensorOrScalar | { value: TensorOrScalar }): this;
    zero_(): this;
    copy_(src: Tensor): this;
    uniform_(from?: number | { from?: number; to?: number }, to?: number | { to?: number }): this;
    normal_(mean?: number | { mean?: number; std?: number }, std?: number | { std?: number }): this;
    bernoulli_(p?: number | { p?: number }): this;
  }
}

const tableMethods: Record<string, (x: Tensor, other?: TensorOrScalar) => Tensor> = {};
const tableInplace: string[] = [];
for (const [name, def] of Object.entries(POINTWISE) as [PointwiseName, PointwiseDef][]) {
  const op = built[name] as (x: Tensor, other?: TensorOrScalar) => Tensor;
  for (const m of def.method ?? []) {
    tableMethods[m] = def.arity === 1 ? (x) => op(x) : op;
    if (def.inplace) tableInplace.push(m);
  }
}
installMethods(tableMethods as MethodTable);
installInplace(tableInplace as TableInplaceName[], inplace);

installMethods({
  add, sub, subtract: sub, div, divide: div,
  true_divide: (x, o) => div(x, o),
  floor_divide: (x, o) => div(x, o, { rounding_mode: 'floor' }),
  pow,
  square: (x) => (x.dtype === 'bool' ? mul(x.to('int32'), x.to('int32')) : mul(x, x)), // True * True is 1, as PyTorch's pow(x, 2)
  round,
  clamp,
  clip: (x, lo, hi) => clamp(x, lo, hi),
  clamp_min: (x, lo) => clamp(x, lo, null),
  clamp_max: (x, hi) => clamp(x, null, hi),
  lerp: (x, end, weight) => named('lerp', () => lerp(x, end, weight)),
  addcmul: (x, t1, t2, opts) => named('addcmul', () => add(x, mul(mul(t1, t2), opts?.value ?? 1))),
  addcdiv: (x, t1, t2, opts) => named('addcdiv', () => add(x, mul(div(t1, t2), opts?.value ?? 1))),
  fill_: (x, v) => fill_(x, v !== null && typeof v === 'object' && !(v instanceof Tensor) ? (v as { value: TensorOrScalar }).value : v),
  zero_: (x) => fill_(x, 0),
  copy_,
  uniform_: (x, from?: unknown, to?: unknown) => { const [a, b] = randArgs('uniform_', [from, to], ['from', 'to'], [0, 1]); return fill_random_(x, 'uniform', a, b); },
  normal_: (x, mean?: unknown, std?: unknown) => { const [a, b] = randArgs('normal_', [mean, std], ['mean', 'std'], [0, 1]); return fill_random_(x, 'normal', a, b); },
  bernoulli_: (x, p?: unknown) => { const [a] = randArgs('bernoulli_', [p], ['p'], [0.5]); return fill_random_(x, 'bernoulli', a, 0); },
});
installInplace(INPLACE, inplace);

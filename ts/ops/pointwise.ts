// Elementwise ops: type promotion, broadcasting, the wasm kernel call, and each op's gradient.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { arrayFor, category, isFloating, resultType, scalarDType, get_default_dtype } from '../dtype.js';
import { broadcastShapes, numel, shapeStr } from '../shape.js';
import { copyTensor, writeView, toDevice } from '../backend/move.js';
import { backendFor } from '../backend/dispatch.js';
import type { DeviceType } from '../backend/storage.js';
import { rebaseHistory } from './views.js';
import { zeros, on } from '../creation.js';
import { POINTWISE, type PointwiseName } from './pointwise_table.js';
import { applyFunction } from '../autograd/function.js';
import type { FunctionCtx } from '../autograd/node.js';
import { is_grad_enabled } from '../autograd/grad_mode.js';
import type { TensorOrScalar, Scalar } from './types.js';
import { randomFill, type RandomKind } from '../random.js';

type Operand = Tensor | Scalar;

const rankOf = (x: Operand): 0 | 1 | 2 => (x instanceof Tensor ? (x.ndim ? 2 : 1) : 0);
const dtypeOf = (x: Operand): DType => (x instanceof Tensor ? x.dtype : scalarDType(x));
export const promote = (...xs: Operand[]): DType => resultType(xs.map((x) => ({ dtype: dtypeOf(x), rank: rankOf(x) })));

function checkOperand(op: string, x: unknown): void {
  if (x instanceof Tensor || typeof x === 'number' || typeof x === 'boolean') return;
  throw new TypeError(`${op}(): argument 'other' must be Tensor or Number, not ${x === null ? 'null' : typeof x}`);
}

/** Kernel compute type for a result dtype: floats as themselves, integers and bools in int32. */
const computeFor = (d: DType): DType => (isFloating(d) ? d : 'int32');

/**
 * Runs pointwise kernel `name` over broadcast inputs, computing in `compute` (f32/f64/i32) and
 * returning a tensor of `out`. No autograd: callers wrap this in applyFunction.
 */
export function kernel(name: PointwiseName, inputs: Operand[], compute: DType, out: DType, p = 0, q = 0): Tensor {
  const def = POINTWISE[name];
  if (compute === 'int32' && !('i' in def)) throw new TypeError(`${name}: not implemented for integer tensors of type ${inputs.map(dtypeOf).join(', ')}`);
  const tensors = inputs.filter((x): x is Tensor => x instanceof Tensor);
  const shape = broadcastShapes(name, ...tensors.map((t) => t.shape));
  return new Tensor(backendFor(name, tensors, true).pointwise(name, inputs, compute, out, shape, p, q), shape);
}

const floatOf = (d: DType): DType => (isFloating(d) ? d : get_default_dtype());
const t = (x: Operand, like: Tensor): Tensor => (x instanceof Tensor ? x : scalarTensor(x, like.dtype));
export function scalarTensor(v: Scalar, dtype: DType): Tensor {
  const a = arrayFor(dtype, 1);
  a[0] = +v;
  return Tensor._fromData(a, dtype, []);
}
/** grads are only built for inputs that need them */
const need = (ctx: FunctionCtx, i: number): boolean => ctx.needs_input_grad[i];
/** backward builds differentiable graphs only under create_graph */
const differentiable = (...ts: Tensor[]): boolean => is_grad_enabled() && ts.some((x) => x.requires_grad);

// ------------------------------------------------------------------ unary float ops
type UnaryGrad = (g: Tensor, x: Tensor, y: Tensor, ctx: FunctionCtx) => Tensor | null;

/** which value a backward formula needs: the input x, the result y, or neither (as in PyTorch) */
type Saves = 'x' | 'y' | 'none';

function saveFor(ctx: FunctionCtx, saves: Saves, a: Tensor, y: Tensor): void {
  ctx.save_for_backward(saves === 'x' ? a : null, saves === 'y' ? y : null);
}

function unaryFloat(name: PointwiseName, gradName: string, saves: Saves, grad: UnaryGrad, p = 0, q = 0) {
  return (x: Tensor): Tensor => {
    checkTensor(name, x);
    return applyFunction(gradName, (ctx, a: Tensor) => {
      const d = floatOf(a.dtype);
      const y = kernel(name, [a], d, d, p, q);
      saveFor(ctx, saves, a, y);
      return y;
    }, (ctx, g) => {
      const [a, y] = ctx.saved_tensors;
      return [grad(g, a as Tensor, y as Tensor, ctx)];
    }, [x]);
  };
}

export function checkTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor, not ${x === null ? 'null' : typeof x}`);
}

export const exp = unaryFloat('exp', 'ExpBackward0', 'y', (g, _x, y) => g.mul(y));
export const log = unaryFloat('log', 'LogBackward0', 'x', (g, x) => g.div(x));
export const log1p = unaryFloat('log1p', 'Log1PBackward0', 'x', (g, x) => g.div(x.add(1)));
export const expm1 = unaryFloat('expm1', 'Expm1Backward0', 'y', (g, _x, y) => g.mul(y.add(1)));
export const sqrt = unaryFloat('sqrt', 'SqrtBackward0', 'y', (g, _x, y) => g.div(y.mul(2)));
export const rsqrt = unaryFloat('rsqrt', 'RsqrtBackward0', 'y', (g, _x, y) => g.mul(y.pow(3)).mul(-0.5));
export const sin = unaryFloat('sin', 'SinBackward0', 'x', (g, x) => g.mul(x.cos()));
export const cos = unaryFloat('cos', 'CosBackward0', 'x', (g, x) => g.mul(x.sin()).neg());
export const tanh = unaryFloat('tanh', 'TanhBackward0', 'y', (g, _x, y) =>
  differentiable(g, y) ? g.mul(y.mul(y).neg().add(1)) : kernel('tanh_backward', [g, y], g.dtype, g.dtype));
export const sigmoid = unaryFloat('sigmoid', 'SigmoidBackward0', 'y', (g, _x, y) =>
  differentiable(g, y) ? g.mul(y).mul(y.neg().add(1)) : kernel('sigmoid_backward', [g, y], g.dtype, g.dtype));
export const reciprocal = unaryFloat('reciprocal', 'ReciprocalBackward0', 'y', (g, _x, y) => g.mul(y).mul(y).neg());
export const erf = unaryFloat('erf', 'ErfBackward0', 'x', (g, x) => g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI))));
export const silu = unaryFloat('silu', 'SiluBackward0', 'x', (g, x) => {
  const s = x.sigmoid();
  return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
});
const SQRT1_2PI = 1 / Math.sqrt(2 * Math.PI);
const geluExact = unaryFloat('gelu', 'GeluBackward0', 'x', (g, x) => {
  const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
  const pdf = x.mul(x).mul(-0.5).exp().mul(SQRT1_2PI);
  return g.mul(cdf.add(x.mul(pdf)));
});
const geluTanh = unaryFloat('gelu_tanh', 'GeluBackward0', 'x', (g, x) => {
  const k = Math.sqrt(2 / Math.PI), c = 0.044715;
  const inner = x.add(x.pow(3).mul(c)).mul(k);
  const th = inner.tanh();
  const dInner = x.mul(x).mul(3 * c).add(1).mul(k);
  return g.mul(th.add(1).mul(0.5).add(x.mul(0.5).mul(th.mul(th).neg().add(1)).mul(dInner)));
});
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const a = opts.approximate ?? 'none';
  if (a !== 'none' && a !== 'tanh') throw new Error(`gelu: approximate argument must be either none or tanh, got '${a}'`);
  return a === 'tanh' ? geluTanh(x) : geluExact(x);
}
export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } | number = {}, threshold?: number): Tensor {
  const o = typeof opts === 'number' ? { beta: opts, threshold } : opts;
  const beta = o.beta ?? 1, th = o.threshold ?? 20;
  return unaryFloat('softplus', 'SoftplusBackward0', 'x', (g, a) => {
    const s = a.mul(beta).sigmoid();
    return g.mul(s).where(a.mul(beta).le(th), g);
  }, beta, th)(x);
}

function unaryKeep(name: PointwiseName, gradName: string, saves: Saves, grad: UnaryGrad | null) {
  // ops that keep integer dtypes (neg, abs, relu, ...); grad null = zero gradient
  return (x: Tensor): Tensor => {
    checkTensor(name, x);
    return applyFunction(gradName, (ctx, a: Tensor) => {
      if (a.dtype === 'bool' && name !== 'abs') throw new TypeError(`${name}: not supported for bool tensors`);
      const y = kernel(name, [a], computeFor(a.dtype), a.dtype);
      saveFor(ctx, saves, a, y);
      return y;
    }, (ctx, g) => {
      const [a, y] = ctx.saved_tensors;
      return [grad ? grad(g, a as Tensor, y as Tensor, ctx) : zerosLike(g)];
    }, [x]);
  };
}
/** a zero gradient (not g * 0, which would turn inf/nan gradients into nan) */
const zerosLike = (g: Tensor): Tensor => zeros(g.shape, on(g));
export const neg = unaryKeep('neg', 'NegBackward0', 'none', (g) => g.neg());
export const abs = unaryKeep('abs', 'AbsBackward0', 'x', (g, x) => g.mul(x.sign()));
export const sign = unaryKeep('sign', 'SignBackward0', 'none', null);
export const relu = unaryKeep('relu', 'ReluBackward0', 'y', (g, _x, y) =>
  differentiable(g) ? g.mul(y.gt(0).to(g.dtype)) : kernel('relu_backward', [g, y], g.dtype, g.dtype));
export const floor = unaryKeep('floor', 'FloorBackward0', 'none', null);
export const ceil = unaryKeep('ceil', 'CeilBackward0', 'none', null);
export const trunc = unaryKeep('trunc', 'TruncBackward0', 'none', null);
const round0 = unaryKeep('round', 'RoundBackward0', 'none', null);
export function round(x: Tensor, opts: { decimals?: number } = {}): Tensor {
  const d = opts.decimals ?? 0;
  if (!d) return round0(x);
  const s = 10 ** d;
  return round0(x.mul(s)).div(s);
}

// ------------------------------------------------------------------ binary arithmetic
type BinGrad = (g: Tensor, a: Tensor, b: Tensor, ctx: FunctionCtx) => [Tensor | null, Tensor | null];

function binary(name: PointwiseName, gradName: string, outType: (a: Operand, b: Operand) => DType, grad: BinGrad, saves = true) {
  return (a: TensorOrScalar, b: TensorOrScalar): Tensor => {
    checkOperand(name, a); checkOperand(name, b);
    return applyFunction(gradName, (ctx, x: Operand, y: Operand) => {
      const out = outType(x, y);
      const r = kernel(name, [x, y], computeFor(out), out);
      if (saves) ctx.save_for_backward(x instanceof Tensor ? x : null, y instanceof Tensor ? y : null);
      ctx.scalars = saves ? [x, y] : [0, 0];
      return r;
    }, (ctx, g) => {
      const [x, y] = saves ? ctx.saved_tensors : [];
      const [sx, sy] = ctx.scalars as Operand[];
      return grad(g, x ?? t(sx, g), y ?? t(sy, g), ctx);
    }, [a, b]);
  };
}
const arith = (a: Operand, b: Operand): DType => promote(a, b);
const trueDiv = (a: Operand, b: Operand): DType => floatOf(promote(a, b));

const addRaw = binary('add', 'AddBackward0', arith, (g, _a, _b, ctx) => [need(ctx, 0) ? g : null, need(ctx, 1) ? g : null], false);
const subRaw = binary('sub', 'SubBackward0', arith, (g, _a, _b, ctx) => [need(ctx, 0) ? g : null, need(ctx, 1) ? g.neg() : null], false);
export const mulRaw = binary('mul', 'MulBackward0', arith, (g, a, b, ctx) => [need(ctx, 0) ? g.mul(b) : null, need(ctx, 1) ? g.mul(a) : null]);
const divTrue = binary('div', 'DivBackward0', trueDiv, (g, a, b, ctx) => [
  need(ctx, 0) ? g.div(b) : null,
  need(ctx, 1) ? g.neg().mul(a).div(b.mul(b)) : null,
]);
const zeroGrads: BinGrad = (g, _a, _b, ctx) => [need(ctx, 0) ? zerosLike(g) : null, need(ctx, 1) ? zerosLike(g) : null];
const divFloor = binary('div_floor', 'DivBackward1', arith, zeroGrads, false);
const divTrunc = binary('div_trunc', 'DivBackward1', arith, zeroGrads, false);
const remainderRaw = binary('remainder', 'RemainderBackward0', arith, (g, a, b, ctx) => [
  need(ctx, 0) ? g : null, need(ctx, 1) ? g.neg().mul(a.div(b, { rounding_mode: 'floor' })) : null]);

function alphaOf(opts: { alpha?: number } | number | undefined): number {
  return typeof opts === 'number' ? opts : opts?.alpha ?? 1;
}
export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number } | number): Tensor {
  const alpha = alphaOf(opts);
  return addRaw(a, alpha === 1 ? b : mul(b, alpha));
}
export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number } | number): Tensor {
  const alpha = alphaOf(opts);
  if (dtypeOf(a) === 'bool' || dtypeOf(b) === 'bool') {
    throw new TypeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
  return subRaw(a, alpha === 1 ? b : mul(b, alpha));
}
export const mul = (a: TensorOrScalar, b: TensorOrScalar): Tensor => mulRaw(a, b);
export function div(a: TensorOrScalar, b: TensorOrScalar, opts: { rounding_mode?: 'trunc' | 'floor' | null } = {}): Tensor {
  const m = opts.rounding_mode ?? null;
  if (m === null) return divTrue(a, b);
  if (m === 'floor') return divFloor(a, b);
  if (m === 'trunc') return divTrunc(a, b);
  throw new Error(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${m}'`);
}
export const remainder = (a: TensorOrScalar, b: TensorOrScalar): Tensor => remainderRaw(a, b);

const powTT = binary('pow', 'PowBackward1', arith, (g, a, b, ctx) => {
  const y = a.pow(b);
  return [
    need(ctx, 0) ? g.mul(b).mul(a.pow(b.sub(1))).where(b.ne(0), 0) : null,
    need(ctx, 1) ? g.mul(y.mul(a.log())).where(a.ne(0).logical_or(b.lt(0)), 0) : null,
  ];
});
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
  return powTT(a, b);
}

function tieSplit(name: 'minimum' | 'maximum', gradName: string) {
  // the winner takes the gradient; ties split it in half, as in PyTorch
  return binary(name, gradName, arith, (g, a, b, ctx) => {
    const aWins = name === 'maximum' ? a.gt(b) : a.lt(b);
    const bWins = name === 'maximum' ? a.lt(b) : a.gt(b);
    const tieHalf = g.div(2).where(a.eq(b), 0);
    return [need(ctx, 0) ? g.where(aWins, tieHalf) : null, need(ctx, 1) ? g.where(bWins, tieHalf) : null];
  });
}
const minimumRaw = tieSplit('minimum', 'MinimumBackward0');
const maximumRaw = tieSplit('maximum', 'MaximumBackward0');
export function minimum(a: Tensor, b: Tensor): Tensor { checkTensor('minimum', a); checkTensor('minimum', b); return minimumRaw(a, b); }
export function maximum(a: Tensor, b: Tensor): Tensor { checkTensor('maximum', a); checkTensor('maximum', b); return maximumRaw(a, b); }

export function clamp(x: Tensor, min?: TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null }, max?: TensorOrScalar | null): Tensor {
  checkTensor('clamp', x);
  if (min !== null && typeof min === 'object' && !(min instanceof Tensor)) { max = min.max; min = min.min; }
  const lo = min ?? null, hi = max ?? null;
  if (lo === null && hi === null) throw new Error("clamp: At least one of 'min' or 'max' must not be None");
  if (lo instanceof Tensor || hi instanceof Tensor) {
    return applyFunction('ClampBackward0', (ctx, a: Tensor, l: TensorOrScalar | null, h: TensorOrScalar | null) => {
      let r = a;
      if (l !== null) r = maximum(r, l instanceof Tensor ? l : scalarTensor(l, a.dtype));
      if (h !== null) r = minimum(r, h instanceof Tensor ? h : scalarTensor(h, a.dtype));
      ctx.save_for_backward(a, l instanceof Tensor ? l : null, h instanceof Tensor ? h : null);
      ctx.bounds = [l, h];
      return r === a ? a.clone() : r;
    }, (ctx, g) => {
      const [a, lt, ht] = ctx.saved_tensors;
      const [l, h] = ctx.bounds as (TensorOrScalar | null)[];
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

// ------------------------------------------------------------------ comparisons and logic (no gradient)
function compare(name: PointwiseName) {
  return (a: TensorOrScalar, b: TensorOrScalar): Tensor => {
    checkOperand(name, a); checkOperand(name, b);
    return kernel(name, [a, b], computeFor(promote(a, b)), 'bool');
  };
}
export const eq = compare('eq');
export const ne = compare('ne');
export const lt = compare('lt');
export const le = compare('le');
export const gt = compare('gt');
export const ge = compare('ge');
export const logical_and = compare('logical_and');
export const logical_or = compare('logical_or');
export const logical_xor = compare('logical_xor');
export function logical_not(x: Tensor): Tensor { checkTensor('logical_not', x); return kernel('logical_not', [x], computeFor(x.dtype), 'bool'); }
export function isnan(x: Tensor): Tensor {
  checkTensor('isnan', x);
  return isFloating(x.dtype) ? kernel('isnan', [x], x.dtype, 'bool') : kernel('ne', [x, x], 'int32', 'bool');
}

// ------------------------------------------------------------------ casts, in place and fills
export function _to_dtype(x: Tensor, dtype: DType): Tensor {
  return applyFunction('ToCopyBackward0', (ctx, a: Tensor) => {
    ctx.src = a.dtype;
    return copyTensor(a, dtype);
  }, (ctx, g) => [g.to(ctx.src as DType)], [x]);
}

/** x copied to `device` (from the CPU: the reverse needs an asynchronous read, see Tensor.cpu). */
export function _to_device(x: Tensor, device: DeviceType): Tensor {
  if (device === 'webgpu' && x.requires_grad && is_grad_enabled()) {
    throw new Error("to('webgpu'): copying a tensor that requires grad to webgpu is not differentiable here (its backward would need a synchronous GPU read); "
      + "move leaves instead: `x.detach().to('webgpu').requires_grad_()`, or create them on the device with `{ device: 'webgpu' }`");
  }
  return toDevice(x);
}

/**
 * Makes an in-place op out of its out-of-place result: checks PyTorch's in-place rules, writes
 * the values into `self`, bumps the version counter and moves self's history onto the result's node.
 */
export function inplace<T extends Tensor>(self: T, result: Tensor): T {
  if (self.requires_grad && self.is_leaf && is_grad_enabled()) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
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
  self._bumpVersion();
  if (result.requires_grad && is_grad_enabled()) rebaseHistory(self, result);
  return self;
}

const typeName = (d: DType): string => ({ float32: 'Float', float64: 'Double', int32: 'Int', uint8: 'Byte', bool: 'Bool' }[d]);

export function fill_<T extends Tensor>(self: T, value: TensorOrScalar): T {
  if (value instanceof Tensor && value.ndim !== 0) throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
  if (self.requires_grad && self.is_leaf && is_grad_enabled()) throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
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
  if (self.requires_grad && self.is_leaf && is_grad_enabled()) throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  writeView(self, src);
  self._bumpVersion();
  if (is_grad_enabled() && src.requires_grad) {
    if (src.device.type !== self.device.type) throw new Error('copy_: a copy between devices is not differentiable here');
    rebaseHistory(self, applyFunction('CopyBackwards', () => copyTensor(src, self.dtype, self.shape),
      (_c, g) => [g], [src]) as Tensor);
  }
  return self;
}

export function fill_random_<T extends Tensor>(self: T, kind: RandomKind, a: number, b: number): T {
  if (self.requires_grad && self.is_leaf && is_grad_enabled()) throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  if (kind !== 'bernoulli' && !isFloating(self.dtype)) throw new TypeError(`${kind}_ expects a floating point tensor, got ${self.dtype}`);
  const r = randomFill(kind, self.shape, self.is_webgpu ? 'float32' : self.dtype, a, b);
  writeView(self, r);
  self._bumpVersion();
  return self;
}


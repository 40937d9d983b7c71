// The pointwise kernel table: each elementwise op is declared here once.
//
// This file is plain data with no imports: build/gen-pointwise.mjs reads it to generate the
// AssemblyScript kernels (assembly/generated/pointwise.ts), and ts/ops/pointwise.ts reads it to
// know which kernels exist. Expressions are AssemblyScript source over `x` (and `y` for binary
// ops) of the kernel's compute type, plus the op parameters `p` and `q` (always f64; unary ops
// only). `simd` is an optional f32x4 form over v128 values `vx`, `vy` (and splats `vp`, `vq`).
// `w` is the same op in WGSL, for the webgpu kernels (gpu/wgsl/pointwise.ts).
// Types: f = float kernels (f32 and f64), i = int32 kernel. `out: 'bool'` writes uint8 0/1.

export interface PointwiseDef {
  readonly arity: 1 | 2;
  /** scalar expression per compute type; `T` is replaced by f32/f64/i32, `M` by Mathf/Math */
  readonly f?: string;
  readonly i?: string;
  readonly simd?: string;
  /**
   * WGSL expression for the webgpu kernels (f32 and, where `i` exists, i32; `T` is the compute
   * type; helpers ending in `_` live in gpu/wgsl/pointwise.ts). Ops with `out: 'bool'` give a bool.
   */
  readonly w: string;
  /** the int32 WGSL form, where it differs from `w` */
  readonly wi?: string;
  readonly out?: 'bool';
}

export const POINTWISE = {
  // ---- unary ----
  neg: { arity: 1, f: '-x', i: '-x', simd: 'f32x4.neg(vx)', w: '-x' },
  abs: { arity: 1, f: 'M.abs(x)', i: 'x < 0 ? -x : x', simd: 'f32x4.abs(vx)', w: 'abs(x)' },
  sign: { arity: 1, f: 'x > 0 ? <T>1 : (x < 0 ? <T>-1 : x)', i: 'x > 0 ? 1 : (x < 0 ? -1 : 0)', w: 'sign(x)' },
  reciprocal: { arity: 1, f: '<T>1 / x', simd: 'f32x4.div(f32x4.splat(1), vx)', w: 'T(1) / x' },
  exp: { arity: 1, f: 'M.exp(x)', w: 'exp(x)' },
  log: { arity: 1, f: 'M.log(x)', w: 'select(select(log(x), -inf_(), x == 0.0), nan_(), x < 0.0)' },
  log1p: { arity: 1, f: 'M.log1p(x)', w: 'select(select(log1p_(x), -inf_(), x == -1.0), nan_(), x < -1.0)' },
  expm1: { arity: 1, f: 'M.expm1(x)', w: 'expm1_(x)' },
  sqrt: { arity: 1, f: 'M.sqrt(x)', simd: 'f32x4.sqrt(vx)', w: 'select(sqrt(x), nan_(), x < 0.0)' },
  rsqrt: { arity: 1, f: '<T>1 / M.sqrt(x)', simd: 'f32x4.div(f32x4.splat(1), f32x4.sqrt(vx))', w: 'select(1.0 / sqrt(x), nan_(), x < 0.0)' },
  sin: { arity: 1, f: 'M.sin(x)', w: 'sin(x)' },
  cos: { arity: 1, f: 'M.cos(x)', w: 'cos(x)' },
  tanh: { arity: 1, f: 'M.tanh(x)', w: 'tanh(clamp(x, -20.0, 20.0))' },
  sigmoid: { arity: 1, f: 'x >= 0 ? <T>1 / (<T>1 + M.exp(-x)) : M.exp(x) / (<T>1 + M.exp(x))', w: 'select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0)' },
  relu: { arity: 1, f: 'x > 0 ? x : (x != x ? x : <T>0)', i: 'x > 0 ? x : 0', simd: 'f32x4.pmax(vx, f32x4.splat(0))', w: 'select(T(0), x, x > T(0) || isnan_(x))' },
  gelu: { arity: 1, f: '<T>(0.5 * <f64>x * (1.0 + erf64(<f64>x * 0.7071067811865476)))', w: '0.5 * x * (1.0 + erf_(x * 0.7071067811865476))' },
  gelu_tanh: { arity: 1, f: '<T>(0.5 * <f64>x * (1.0 + Math.tanh(0.7978845608028654 * (<f64>x + 0.044715 * <f64>x * <f64>x * <f64>x))))', w: '0.5 * x * (1.0 + tanh(clamp(0.7978845608028654 * (x + 0.044715 * x * x * x), -20.0, 20.0)))' },
  erf: { arity: 1, f: '<T>erf64(<f64>x)', w: 'erf_(x)' },
  silu: { arity: 1, f: 'x >= 0 ? x / (<T>1 + M.exp(-x)) : x * M.exp(x) / (<T>1 + M.exp(x))', w: 'select(x * exp(x) / (1.0 + exp(x)), x / (1.0 + exp(-x)), x >= 0.0)' },
  // softplus(x; beta=p, threshold=q)
  softplus: { arity: 1, f: 'x * <T>p > <T>q ? x : M.log1p(M.exp(x * <T>p)) / <T>p', w: 'select(log1p_(exp(x * p)) / p, x, x * p > q)' },
  floor: { arity: 1, f: 'M.floor(x)', i: 'x', simd: 'f32x4.floor(vx)', w: 'floor(x)', wi: 'x' },
  ceil: { arity: 1, f: 'M.ceil(x)', i: 'x', simd: 'f32x4.ceil(vx)', w: 'ceil(x)', wi: 'x' },
  round: { arity: 1, f: 'nearest<T>(x)', i: 'x', simd: 'f32x4.nearest(vx)', w: 'round(x)', wi: 'x' },
  trunc: { arity: 1, f: 'trunc<T>(x)', i: 'x', simd: 'f32x4.trunc(vx)', w: 'trunc(x)', wi: 'x' },
  // clamp(x; min=p, max=q): NaN bounds are given as +-inf by the caller when absent
  clamp: { arity: 1, f: 'x != x ? x : M.min(M.max(x, <T>p), <T>q)', i: 'min(max(x, <i32>p), <i32>q)', w: 'select(min(max(x, T(p)), T(q)), x, isnan_(x))' },
  leaky_relu: { arity: 1, f: 'x > 0 ? x : x * <T>p', w: 'select(x * p, x, x > 0.0)' },
  elu: { arity: 1, f: 'x > 0 ? x : <T>p * M.expm1(x)', w: 'select(p * expm1_(x), x, x > 0.0)' },
  logical_not: { arity: 1, f: 'x == 0 ? 1 : 0', i: 'x == 0 ? 1 : 0', out: 'bool', w: 'x == T(0)' },
  isnan: { arity: 1, f: 'x != x ? 1 : 0', out: 'bool', w: 'isnan_(x)' },
  // ---- binary ----
  add: { arity: 2, f: 'x + y', i: 'x + y', simd: 'f32x4.add(vx, vy)', w: 'x + y' },
  sub: { arity: 2, f: 'x - y', i: 'x - y', simd: 'f32x4.sub(vx, vy)', w: 'x - y' },
  mul: { arity: 2, f: 'x * y', i: 'x * y', simd: 'f32x4.mul(vx, vy)', w: 'x * y' },
  div: { arity: 2, f: 'x / y', simd: 'f32x4.div(vx, vy)', w: 'x / y' },
  div_trunc: { arity: 2, f: 'trunc<T>(x / y)', i: 'idiv_trunc(x, y)', w: 'trunc_div_(x, y)' },
  div_floor: { arity: 2, f: 'fdiv_floor<T>(x, y)', i: 'idiv_floor(x, y)', w: 'floor_div_(x, y)' },
  remainder: { arity: 2, f: 'fremainder<T>(x, y)', i: 'iremainder(x, y)', w: 'remainder_(x, y)' },
  pow: { arity: 2, f: 'M.pow(x, y)', i: 'ipow(x, y)', w: 'pow_(x, y)' },
  minimum: { arity: 2, f: 'x != x || y != y ? x + y : (x < y ? x : y)', i: 'x < y ? x : y', w: 'select(select(y, x, x < y), x + y, isnan_(x) || isnan_(y))' },
  maximum: { arity: 2, f: 'x != x || y != y ? x + y : (x > y ? x : y)', i: 'x > y ? x : y', w: 'select(select(y, x, x > y), x + y, isnan_(x) || isnan_(y))' },
  atan2: { arity: 2, f: 'M.atan2(x, y)', w: 'atan2(x, y)' },
  eq: { arity: 2, f: 'x == y ? 1 : 0', i: 'x == y ? 1 : 0', out: 'bool', w: 'x == y && !isnan_(x)' },
  ne: { arity: 2, f: 'x != y ? 1 : 0', i: 'x != y ? 1 : 0', out: 'bool', w: 'x != y || isnan_(x) || isnan_(y)' },
  lt: { arity: 2, f: 'x < y ? 1 : 0', i: 'x < y ? 1 : 0', out: 'bool', w: 'x < y && !isnan_(x) && !isnan_(y)' },
  le: { arity: 2, f: 'x <= y ? 1 : 0', i: 'x <= y ? 1 : 0', out: 'bool', w: 'x <= y && !isnan_(x) && !isnan_(y)' },
  gt: { arity: 2, f: 'x > y ? 1 : 0', i: 'x > y ? 1 : 0', out: 'bool', w: 'x > y && !isnan_(x) && !isnan_(y)' },
  ge: { arity: 2, f: 'x >= y ? 1 : 0', i: 'x >= y ? 1 : 0', out: 'bool', w: 'x >= y && !isnan_(x) && !isnan_(y)' },
  logical_and: { arity: 2, f: 'x != 0 && y != 0 ? 1 : 0', i: 'x != 0 && y != 0 ? 1 : 0', out: 'bool', w: 'x != T(0) && y != T(0)' },
  logical_or: { arity: 2, f: 'x != 0 || y != 0 ? 1 : 0', i: 'x != 0 || y != 0 ? 1 : 0', out: 'bool', w: 'x != T(0) || y != T(0)' },
  logical_xor: { arity: 2, f: '(x != 0) != (y != 0) ? 1 : 0', i: '(x != 0) != (y != 0) ? 1 : 0', out: 'bool', w: '(x != T(0)) != (y != T(0))' },
  // fused backward helpers (grad = x, saved input/output = y)
  relu_backward: { arity: 2, f: 'y > 0 ? x : <T>0', simd: 'v128.and(vx, f32x4.gt(vy, f32x4.splat(0)))', w: 'select(T(0), x, y > T(0))' },
  sigmoid_backward: { arity: 2, f: 'x * y * (<T>1 - y)', simd: 'f32x4.mul(f32x4.mul(vx, vy), f32x4.sub(f32x4.splat(1), vy))', w: 'x * y * (T(1) - y)' },
  tanh_backward: { arity: 2, f: 'x * (<T>1 - y * y)', simd: 'f32x4.mul(vx, f32x4.sub(f32x4.splat(1), f32x4.mul(vy, vy)))', w: 'x * (T(1) - y * y)' },
} as const satisfies Record<string, PointwiseDef>;

export type PointwiseName = keyof typeof POINTWISE;

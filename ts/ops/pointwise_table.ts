// The pointwise kernel table: each elementwise op is declared here once.
//
// This file is plain data with no imports: build/gen-pointwise.mjs reads it to generate the
// AssemblyScript kernels (assembly/generated/pointwise.ts), and ts/ops/pointwise.ts reads it to
// know which kernels exist. Expressions are AssemblyScript source over `x` (and `y` for binary
// ops) of the kernel's compute type, plus the op parameters `p` and `q` (always f64; unary ops
// only). `simd` is an optional f32x4 form over v128 values `vx`, `vy` (and splats `vp`, `vq`).
// Types: f = float kernels (f32 and f64), i = int32 kernel. `out: 'bool'` writes uint8 0/1.

export interface PointwiseDef {
  readonly arity: 1 | 2;
  /** scalar expression per compute type; `T` is replaced by f32/f64/i32, `M` by Mathf/Math */
  readonly f?: string;
  readonly i?: string;
  readonly simd?: string;
  readonly out?: 'bool';
}

export const POINTWISE = {
  // ---- unary ----
  neg: { arity: 1, f: '-x', i: '-x', simd: 'f32x4.neg(vx)' },
  abs: { arity: 1, f: 'M.abs(x)', i: 'x < 0 ? -x : x', simd: 'f32x4.abs(vx)' },
  sign: { arity: 1, f: 'x > 0 ? <T>1 : (x < 0 ? <T>-1 : x)', i: 'x > 0 ? 1 : (x < 0 ? -1 : 0)' },
  reciprocal: { arity: 1, f: '<T>1 / x', simd: 'f32x4.div(f32x4.splat(1), vx)' },
  exp: { arity: 1, f: 'M.exp(x)' },
  log: { arity: 1, f: 'M.log(x)' },
  log1p: { arity: 1, f: 'M.log1p(x)' },
  expm1: { arity: 1, f: 'M.expm1(x)' },
  sqrt: { arity: 1, f: 'M.sqrt(x)', simd: 'f32x4.sqrt(vx)' },
  rsqrt: { arity: 1, f: '<T>1 / M.sqrt(x)', simd: 'f32x4.div(f32x4.splat(1), f32x4.sqrt(vx))' },
  sin: { arity: 1, f: 'M.sin(x)' },
  cos: { arity: 1, f: 'M.cos(x)' },
  tanh: { arity: 1, f: 'M.tanh(x)' },
  sigmoid: { arity: 1, f: 'x >= 0 ? <T>1 / (<T>1 + M.exp(-x)) : M.exp(x) / (<T>1 + M.exp(x))' },
  relu: { arity: 1, f: 'x > 0 ? x : (x != x ? x : <T>0)', i: 'x > 0 ? x : 0', simd: 'f32x4.pmax(vx, f32x4.splat(0))' },
  gelu: { arity: 1, f: '<T>(0.5 * <f64>x * (1.0 + erf64(<f64>x * 0.7071067811865476)))' },
  gelu_tanh: { arity: 1, f: '<T>(0.5 * <f64>x * (1.0 + Math.tanh(0.7978845608028654 * (<f64>x + 0.044715 * <f64>x * <f64>x * <f64>x))))' },
  erf: { arity: 1, f: '<T>erf64(<f64>x)' },
  silu: { arity: 1, f: 'x >= 0 ? x / (<T>1 + M.exp(-x)) : x * M.exp(x) / (<T>1 + M.exp(x))' },
  // softplus(x; beta=p, threshold=q)
  softplus: { arity: 1, f: 'x * <T>p > <T>q ? x : M.log1p(M.exp(x * <T>p)) / <T>p' },
  floor: { arity: 1, f: 'M.floor(x)', i: 'x', simd: 'f32x4.floor(vx)' },
  ceil: { arity: 1, f: 'M.ceil(x)', i: 'x', simd: 'f32x4.ceil(vx)' },
  round: { arity: 1, f: 'nearest<T>(x)', i: 'x', simd: 'f32x4.nearest(vx)' },
  trunc: { arity: 1, f: 'trunc<T>(x)', i: 'x', simd: 'f32x4.trunc(vx)' },
  // clamp(x; min=p, max=q): NaN bounds are given as +-inf by the caller when absent
  clamp: { arity: 1, f: 'x != x ? x : M.min(M.max(x, <T>p), <T>q)', i: 'min(max(x, <i32>p), <i32>q)' },
  leaky_relu: { arity: 1, f: 'x > 0 ? x : x * <T>p' },
  elu: { arity: 1, f: 'x > 0 ? x : <T>p * M.expm1(x)' },
  logical_not: { arity: 1, f: 'x == 0 ? 1 : 0', i: 'x == 0 ? 1 : 0', out: 'bool' },
  isnan: { arity: 1, f: 'x != x ? 1 : 0', out: 'bool' },
  // ---- binary ----
  add: { arity: 2, f: 'x + y', i: 'x + y', simd: 'f32x4.add(vx, vy)' },
  sub: { arity: 2, f: 'x - y', i: 'x - y', simd: 'f32x4.sub(vx, vy)' },
  mul: { arity: 2, f: 'x * y', i: 'x * y', simd: 'f32x4.mul(vx, vy)' },
  div: { arity: 2, f: 'x / y', simd: 'f32x4.div(vx, vy)' },
  div_trunc: { arity: 2, f: 'trunc<T>(x / y)', i: 'idiv_trunc(x, y)' },
  div_floor: { arity: 2, f: 'fdiv_floor<T>(x, y)', i: 'idiv_floor(x, y)' },
  remainder: { arity: 2, f: 'fremainder<T>(x, y)', i: 'iremainder(x, y)' },
  pow: { arity: 2, f: 'M.pow(x, y)', i: 'ipow(x, y)' },
  minimum: { arity: 2, f: 'x != x || y != y ? x + y : (x < y ? x : y)', i: 'x < y ? x : y' },
  maximum: { arity: 2, f: 'x != x || y != y ? x + y : (x > y ? x : y)', i: 'x > y ? x : y' },
  atan2: { arity: 2, f: 'M.atan2(x, y)' },
  eq: { arity: 2, f: 'x == y ? 1 : 0', i: 'x == y ? 1 : 0', out: 'bool' },
  ne: { arity: 2, f: 'x != y ? 1 : 0', i: 'x != y ? 1 : 0', out: 'bool' },
  lt: { arity: 2, f: 'x < y ? 1 : 0', i: 'x < y ? 1 : 0', out: 'bool' },
  le: { arity: 2, f: 'x <= y ? 1 : 0', i: 'x <= y ? 1 : 0', out: 'bool' },
  gt: { arity: 2, f: 'x > y ? 1 : 0', i: 'x > y ? 1 : 0', out: 'bool' },
  ge: { arity: 2, f: 'x >= y ? 1 : 0', i: 'x >= y ? 1 : 0', out: 'bool' },
  logical_and: { arity: 2, f: 'x != 0 && y != 0 ? 1 : 0', i: 'x != 0 && y != 0 ? 1 : 0', out: 'bool' },
  logical_or: { arity: 2, f: 'x != 0 || y != 0 ? 1 : 0', i: 'x != 0 || y != 0 ? 1 : 0', out: 'bool' },
  logical_xor: { arity: 2, f: '(x != 0) != (y != 0) ? 1 : 0', i: '(x != 0) != (y != 0) ? 1 : 0', out: 'bool' },
  // fused backward helpers (grad = x, saved input/output = y)
  relu_backward: { arity: 2, f: 'y > 0 ? x : <T>0', simd: 'v128.and(vx, f32x4.gt(vy, f32x4.splat(0)))' },
  sigmoid_backward: { arity: 2, f: 'x * y * (<T>1 - y)', simd: 'f32x4.mul(f32x4.mul(vx, vy), f32x4.sub(f32x4.splat(1), vy))' },
  tanh_backward: { arity: 2, f: 'x * (<T>1 - y * y)', simd: 'f32x4.mul(vx, f32x4.sub(f32x4.splat(1), f32x4.mul(vy, vy)))' },
} as const satisfies Record<string, PointwiseDef>;

export type PointwiseName = keyof typeof POINTWISE;

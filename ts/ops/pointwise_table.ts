// The elementwise ops, each declared here once: its kernels (wasm and WGSL), its autograd formula
// and its names. Adding an elementwise op is one row here (plus its PyTorch fixture line).
//
// This file has no imports: build/gen-pointwise.mjs transpiles it to generate the AssemblyScript
// kernels (assembly/generated/pointwise.ts), gpu/wgsl/pointwise.ts generates the WGSL kernels
// from it, and ts/ops/pointwise.ts builds the torch.* functions, the autograd nodes and the Tensor
// methods from it.
//
// Kernels. Expressions are AssemblyScript source over `x` (and `y` for binary ops) of the
// kernel's compute type, plus the op parameters `p` and `q` (always f64; unary ops only). `simd`
// is an optional f32x4 form over v128 values `vx`, `vy` (and splats `vp`, `vq`); `vec` names a
// whole-array kernel of assembly/expv.ts instead. `w` is the same op in WGSL, for the webgpu kernels
// (which read it from its generated copy, gpu/wgsl/generated/pointwise_wgsl.ts: the bundles strip
// these strings from the table). Types: f = float kernels (f32 and f64), i = int32 kernel.
// `out: 'bool'` writes uint8 0/1 (comparisons and predicates: no gradient, any input dtype).
//
// The op. A row with `grad_fn` is an op ts/ops/pointwise.ts builds (a row without one is a kernel
// that a hand-written op or backward formula runs):
//   grad_fn  the autograd node's name, as PyTorch's (e.g. 'ExpBackward0')
//   saves    what backward needs. Unary: the input 'x', the result 'y', or 'none'. Binary: both
//            inputs 'xy', or 'none'.
//   grad     the gradient, written with Tensor methods. Unary: (g, x, y, p, q) => grad of x, where
//            y is the result (only what `saves` names is there). Binary: [grad of x, grad of y],
//            each (g, x, y) => ..., x and y being the inputs (a scalar operand comes as a 0-dim
//            tensor). null: a zero gradient (floor, sign, ...).
//   fused    a kernel (a row below) computing the gradient from (g, saved value) in one pass,
//            used when the gradient itself needs no graph (no create_graph)
//   dtype    'float': computes in floating point (integer inputs promote to the default dtype);
//            'keep': integer dtypes stay (bool too only with `bool: true`). Binary ops promote
//            their operands first, as PyTorch's type promotion.
//   method   Tensor method names (the first is the op's own name, the rest aliases)
//   inplace  each method also has an in-place form `name_`
//   tensors  (binary) both operands must be tensors (no Python-number operand)

/** What a gradient formula may call: Tensor methods (Tensor satisfies this; the table has no imports). */
/** An operand of G's methods: a tensor or a number (booleans too, as in Tensor). */
export type GS = G | number | boolean;
export interface G {
  readonly dtype: string;
  add(o: GS): G;
  sub(o: GS): G;
  mul(o: GS): G;
  div(o: GS, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): G;
  pow(e: GS): G;
  neg(): G;
  log(): G;
  sign(): G;
  exp(): G;
  sin(): G;
  cos(): G;
  erf(): G;
  tanh(): G;
  sigmoid(): G;
  where(condition: G, other: GS): G;
  eq(o: GS): G;
  lt(o: GS): G;
  le(o: GS): G;
  gt(o: GS): G;
  ge(o: GS): G;
  ne(o: GS): G;
  logical_and(o: G): G;
  logical_or(o: G): G;
  logical_not(): G;
}
export type UnaryGrad = (g: G, x: G, y: G, p: number, q: number) => G;
export type BinaryGrad = (g: G, x: G, y: G) => G;

export interface PointwiseDef {
  readonly arity: 1 | 2;
  /** scalar expression per compute type; `T` is replaced by f32/f64/i32, `M` by Mathf/Math */
  readonly f?: string;
  readonly i?: string;
  readonly simd?: string;
  /** a whole-array float32 kernel of assembly/expv.ts (SIMD exp family, tails included) instead of `simd` */
  readonly vec?: string;
  /**
   * WGSL expression for the webgpu kernels (f32 and, where `i` exists, i32; `T` is the compute
   * type; helpers ending in `_` live in gpu/wgsl/pointwise.ts). Ops with `out: 'bool'` give a bool.
   */
  readonly w: string;
  /** the int32 WGSL form, where it differs from `w` */
  readonly wi?: string;
  readonly out?: 'bool';
  // ---- the op (see above)
  readonly grad_fn?: string;
  readonly saves?: 'x' | 'y' | 'xy' | 'none';
  readonly grad?: UnaryGrad | readonly [BinaryGrad, BinaryGrad] | null;
  readonly fused?: string;
  readonly dtype?: 'float' | 'keep';
  readonly bool?: true;
  readonly method?: readonly string[];
  readonly inplace?: true;
  readonly tensors?: true;
}

const SQRT1_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_K = Math.sqrt(2 / Math.PI), GELU_C = 0.044715;
/** maximum/minimum: the winner takes the gradient, ties split it in half (as PyTorch) */
const tie = (g: G, x: G, y: G): G => g.div(2).where(x.eq(y), 0);

export const POINTWISE = {
  // ---- unary ----
  neg: { arity: 1, f: '-x', i: '-x', simd: 'f32x4.neg(vx)', w: '-x',
    grad_fn: 'NegBackward0', saves: 'none', grad: (g) => g.neg(), dtype: 'keep', method: ['neg', 'negative'], inplace: true },
  abs: { arity: 1, f: 'M.abs(x)', i: 'x < 0 ? -x : x', simd: 'f32x4.abs(vx)', w: 'abs(x)',
    grad_fn: 'AbsBackward0', saves: 'x', grad: (g, x) => g.mul(x.sign()), dtype: 'keep', method: ['abs'], inplace: true },
  sign: { arity: 1, f: 'x > 0 ? <T>1 : (x < 0 ? <T>-1 : x)', i: 'x > 0 ? 1 : (x < 0 ? -1 : 0)', w: 'sign(x)',
    grad_fn: 'SignBackward0', saves: 'none', grad: null, dtype: 'keep', bool: true, method: ['sign'] },
  reciprocal: { arity: 1, f: '<T>1 / x', simd: 'f32x4.div(f32x4.splat(1), vx)', w: 'T(1) / x',
    grad_fn: 'ReciprocalBackward0', saves: 'y', grad: (g, _x, y) => g.mul(y).mul(y).neg(), dtype: 'float', method: ['reciprocal'] },
  exp: { arity: 1, f: 'M.exp(x)', vec: 'expv_f32', w: 'exp(x)',
    grad_fn: 'ExpBackward0', saves: 'y', grad: (g, _x, y) => g.mul(y), dtype: 'float', method: ['exp'], inplace: true },
  log: { arity: 1, f: 'M.log(x)', w: 'select(select(log(x), -inf_(), x == 0.0), nan_(), x < 0.0)',
    grad_fn: 'LogBackward0', saves: 'x', grad: (g, x) => g.div(x), dtype: 'float', method: ['log'], inplace: true },
  log1p: { arity: 1, f: 'M.log1p(x)', w: 'select(select(log1p_(x), -inf_(), x == -1.0), nan_(), x < -1.0)',
    grad_fn: 'Log1PBackward0', saves: 'x', grad: (g, x) => g.div(x.add(1)), dtype: 'float', method: ['log1p'] },
  expm1: { arity: 1, f: 'M.expm1(x)', w: 'expm1_(x)',
    grad_fn: 'Expm1Backward0', saves: 'y', grad: (g, _x, y) => g.mul(y.add(1)), dtype: 'float', method: ['expm1'] },
  sqrt: { arity: 1, f: 'M.sqrt(x)', simd: 'f32x4.sqrt(vx)', w: 'select(sqrt(x), nan_(), x < 0.0)',
    grad_fn: 'SqrtBackward0', saves: 'y', grad: (g, _x, y) => g.div(y.mul(2)), dtype: 'float', method: ['sqrt'], inplace: true },
  rsqrt: { arity: 1, f: '<T>1 / M.sqrt(x)', simd: 'f32x4.div(f32x4.splat(1), f32x4.sqrt(vx))', w: 'select(1.0 / sqrt(x), nan_(), x < 0.0)',
    grad_fn: 'RsqrtBackward0', saves: 'y', grad: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5), dtype: 'float', method: ['rsqrt'] },
  sin: { arity: 1, f: 'M.sin(x)', w: 'sin(x)',
    grad_fn: 'SinBackward0', saves: 'x', grad: (g, x) => g.mul(x.cos()), dtype: 'float', method: ['sin'] },
  cos: { arity: 1, f: 'M.cos(x)', w: 'cos(x)',
    grad_fn: 'CosBackward0', saves: 'x', grad: (g, x) => g.mul(x.sin()).neg(), dtype: 'float', method: ['cos'] },
  tanh: { arity: 1, f: 'M.tanh(x)', vec: 'tanhv_f32', w: 'tanh(clamp(x, -20.0, 20.0))',
    grad_fn: 'TanhBackward0', saves: 'y', grad: (g, _x, y) => g.mul(y.mul(y).neg().add(1)), fused: 'tanh_backward', dtype: 'float', method: ['tanh'], inplace: true },
  sigmoid: { arity: 1, f: 'x >= 0 ? <T>1 / (<T>1 + M.exp(-x)) : M.exp(x) / (<T>1 + M.exp(x))', vec: 'sigmoidv_f32', w: 'select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0)',
    grad_fn: 'SigmoidBackward0', saves: 'y', grad: (g, _x, y) => g.mul(y).mul(y.neg().add(1)), fused: 'sigmoid_backward', dtype: 'float', method: ['sigmoid'], inplace: true },
  relu: { arity: 1, f: 'x > 0 ? x : (x != x ? x : <T>0)', i: 'x > 0 ? x : 0', simd: 'f32x4.pmax(vx, f32x4.splat(0))', w: 'select(T(0), x, x > T(0) || isnan_(x))',
    grad_fn: 'ReluBackward0', saves: 'y', grad: (g, _x, y) => g.where(y.gt(0), 0), fused: 'relu_backward', dtype: 'keep', method: ['relu'], inplace: true },
  gelu: { arity: 1, f: '<T>(0.5 * <f64>x * (1.0 + erf64(<f64>x * 0.7071067811865476)))', w: '0.5 * x * (1.0 + erf_(x * 0.7071067811865476))',
    grad_fn: 'GeluBackward0', saves: 'x', dtype: 'float',
    grad: (g, x) => {
      const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
      const pdf = x.mul(x).mul(-0.5).exp().mul(SQRT1_2PI);
      return g.mul(cdf.add(x.mul(pdf)));
    } },
  // gelu(x, approximate='tanh')
  gelu_tanh: { arity: 1, f: '<T>(0.5 * <f64>x * (1.0 + Math.tanh(0.7978845608028654 * (<f64>x + 0.044715 * <f64>x * <f64>x * <f64>x))))', w: '0.5 * x * (1.0 + tanh(clamp(0.7978845608028654 * (x + 0.044715 * x * x * x), -20.0, 20.0)))',
    grad_fn: 'GeluBackward0', saves: 'x', dtype: 'float',
    grad: (g, x) => {
      const th = x.add(x.pow(3).mul(GELU_C)).mul(GELU_K).tanh();
      const dInner = x.mul(x).mul(3 * GELU_C).add(1).mul(GELU_K);
      return g.mul(th.add(1).mul(0.5).add(x.mul(0.5).mul(th.mul(th).neg().add(1)).mul(dInner)));
    } },
  erf: { arity: 1, f: '<T>erf64(<f64>x)', w: 'erf_(x)',
    grad_fn: 'ErfBackward0', saves: 'x', grad: (g, x) => g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI))), dtype: 'float', method: ['erf'] },
  silu: { arity: 1, f: 'x >= 0 ? x / (<T>1 + M.exp(-x)) : x * M.exp(x) / (<T>1 + M.exp(x))', w: 'select(x * exp(x) / (1.0 + exp(x)), x / (1.0 + exp(-x)), x >= 0.0)',
    grad_fn: 'SiluBackward0', saves: 'x', dtype: 'float',
    grad: (g, x) => { const s = x.sigmoid(); return g.mul(s.mul(x.mul(s.neg().add(1)).add(1))); } },
  // softplus(x; beta=p, threshold=q)
  softplus: { arity: 1, f: 'x * <T>p > <T>q ? x : M.log1p(M.exp(x * <T>p)) / <T>p', w: 'select(log1p_(exp(x * p)) / p, x, x * p > q)',
    grad_fn: 'SoftplusBackward0', saves: 'x', grad: (g, x, _y, p, q) => g.mul(x.mul(p).sigmoid()).where(x.mul(p).le(q), g), dtype: 'float' },
  hardswish: { arity: 1, f: 'x * M.min(M.max(x + <T>3, <T>0), <T>6) / <T>6', w: 'x * min(max(x + 3.0, 0.0), 6.0) / 6.0',
    simd: 'f32x4.div(f32x4.mul(vx, f32x4.min(f32x4.max(f32x4.add(vx, f32x4.splat(3)), f32x4.splat(0)), f32x4.splat(6))), f32x4.splat(6))',
    grad_fn: 'HardswishBackward0', saves: 'x', dtype: 'float',
    // PyTorch's hardswish_backward: 0 below -3, g * (x / 3 + 1/2) up to 3, g above (and for NaN)
    grad: (g, x) => g.mul(x.div(3).add(0.5)).where(x.le(3), g).where(x.lt(-3).logical_not(), 0) },
  hardsigmoid: { arity: 1, f: 'M.min(M.max(x + <T>3, <T>0), <T>6) / <T>6', w: 'min(max(x + 3.0, 0.0), 6.0) / 6.0',
    simd: 'f32x4.div(f32x4.min(f32x4.max(f32x4.add(vx, f32x4.splat(3)), f32x4.splat(0)), f32x4.splat(6)), f32x4.splat(6))',
    grad_fn: 'HardsigmoidBackward0', saves: 'x', dtype: 'float',
    grad: (g, x) => g.mul(1 / 6).where(x.gt(-3).logical_and(x.lt(3)), 0) },
  floor: { arity: 1, f: 'M.floor(x)', i: 'x', simd: 'f32x4.floor(vx)', w: 'floor(x)', wi: 'x',
    grad_fn: 'FloorBackward0', saves: 'none', grad: null, dtype: 'keep', method: ['floor'], inplace: true },
  ceil: { arity: 1, f: 'M.ceil(x)', i: 'x', simd: 'f32x4.ceil(vx)', w: 'ceil(x)', wi: 'x',
    grad_fn: 'CeilBackward0', saves: 'none', grad: null, dtype: 'keep', method: ['ceil'] },
  // round(x, decimals) is ts/ops/pointwise.ts's
  round: { arity: 1, f: 'nearest<T>(x)', i: 'x', simd: 'f32x4.nearest(vx)', w: 'round(x)', wi: 'x',
    grad_fn: 'RoundBackward0', saves: 'none', grad: null, dtype: 'keep' },
  trunc: { arity: 1, f: 'trunc<T>(x)', i: 'x', simd: 'f32x4.trunc(vx)', w: 'trunc(x)', wi: 'x',
    grad_fn: 'TruncBackward0', saves: 'none', grad: null, dtype: 'keep', method: ['trunc'] },
  // clamp(x; min=p, max=q): NaN bounds are given as +-inf by the caller when absent (ts/ops/pointwise.ts's clamp)
  clamp: { arity: 1, f: 'x != x ? x : M.min(M.max(x, <T>p), <T>q)', i: 'min(max(x, <i32>p), <i32>q)', w: 'select(min(max(x, T(p)), T(q)), x, isnan_(x))' },
  leaky_relu: { arity: 1, f: 'x > 0 ? x : x * <T>p', w: 'select(x * p, x, x > 0.0)' },
  elu: { arity: 1, f: 'x > 0 ? x : <T>p * M.expm1(x)', w: 'select(p * expm1_(x), x, x > 0.0)' },
  logical_not: { arity: 1, f: 'x == 0 ? 1 : 0', i: 'x == 0 ? 1 : 0', out: 'bool', w: 'x == T(0)', method: ['logical_not'] },
  isnan: { arity: 1, f: 'x != x ? 1 : 0', i: '0', out: 'bool', w: 'isnan_(x)', method: ['isnan'] },
  // ---- binary ----
  // add(x, y, alpha) and sub(x, y, alpha) are ts/ops/pointwise.ts's
  add: { arity: 2, f: 'x + y', i: 'x + y', simd: 'f32x4.add(vx, vy)', w: 'x + y',
    grad_fn: 'AddBackward0', saves: 'none', grad: [(g) => g, (g) => g], dtype: 'keep' },
  sub: { arity: 2, f: 'x - y', i: 'x - y', simd: 'f32x4.sub(vx, vy)', w: 'x - y',
    grad_fn: 'SubBackward0', saves: 'none', grad: [(g) => g, (g) => g.neg()], dtype: 'keep' },
  mul: { arity: 2, f: 'x * y', i: 'x * y', simd: 'f32x4.mul(vx, vy)', w: 'x * y',
    grad_fn: 'MulBackward0', saves: 'xy', grad: [(g, _x, y) => g.mul(y), (g, x) => g.mul(x)], dtype: 'keep', method: ['mul', 'multiply'], inplace: true },
  // div(x, y, rounding_mode) picks div, div_trunc or div_floor (ts/ops/pointwise.ts)
  div: { arity: 2, f: 'x / y', simd: 'f32x4.div(vx, vy)', w: 'x / y',
    grad_fn: 'DivBackward0', saves: 'xy', grad: [(g, _x, y) => g.div(y), (g, x, y) => g.neg().mul(x).div(y.mul(y))], dtype: 'float' },
  div_trunc: { arity: 2, f: 'trunc<T>(x / y)', i: 'idiv_trunc(x, y)', w: 'trunc_div_(x, y)',
    grad_fn: 'DivBackward1', saves: 'none', grad: null, dtype: 'keep' },
  div_floor: { arity: 2, f: 'fdiv_floor<T>(x, y)', i: 'idiv_floor(x, y)', w: 'floor_div_(x, y)',
    grad_fn: 'DivBackward1', saves: 'none', grad: null, dtype: 'keep' },
  remainder: { arity: 2, f: 'fremainder<T>(x, y)', i: 'iremainder(x, y)', w: 'remainder_(x, y)',
    grad_fn: 'RemainderBackward0', saves: 'xy', grad: [(g) => g, (g, x, y) => g.neg().mul(x.div(y, { rounding_mode: 'floor' }))], dtype: 'keep', method: ['remainder'] },
  // pow(tensor, tensor); pow with a number operand is ts/ops/pointwise.ts's
  pow: { arity: 2, f: 'M.pow(x, y)', i: 'ipow(x, y)', w: 'pow_(x, y)',
    grad_fn: 'PowBackward1', saves: 'xy', dtype: 'keep', grad: [
      (g, x, y) => g.mul(y).mul(x.pow(y.sub(1))).where(y.ne(0), 0),
      (g, x, y) => g.mul(x.pow(y).mul(x.log())).where(x.ne(0).logical_or(y.lt(0)), 0),
    ] },
  minimum: { arity: 2, f: 'x != x || y != y ? x + y : (x < y ? x : y)', i: 'x < y ? x : y', w: 'select(select(y, x, x < y), x + y, isnan_(x) || isnan_(y))',
    grad_fn: 'MinimumBackward0', saves: 'xy', dtype: 'keep', tensors: true, method: ['minimum'],
    grad: [(g, x, y) => g.where(x.lt(y), tie(g, x, y)), (g, x, y) => g.where(x.gt(y), tie(g, x, y))] },
  maximum: { arity: 2, f: 'x != x || y != y ? x + y : (x > y ? x : y)', i: 'x > y ? x : y', w: 'select(select(y, x, x > y), x + y, isnan_(x) || isnan_(y))',
    grad_fn: 'MaximumBackward0', saves: 'xy', dtype: 'keep', tensors: true, method: ['maximum'],
    grad: [(g, x, y) => g.where(x.gt(y), tie(g, x, y)), (g, x, y) => g.where(x.lt(y), tie(g, x, y))] },
  atan2: { arity: 2, f: 'M.atan2(x, y)', w: 'atan2(x, y)' },
  eq: { arity: 2, f: 'x == y ? 1 : 0', i: 'x == y ? 1 : 0', out: 'bool', w: 'x == y && !isnan_(x)', method: ['eq'] },
  ne: { arity: 2, f: 'x != y ? 1 : 0', i: 'x != y ? 1 : 0', out: 'bool', w: 'x != y || isnan_(x) || isnan_(y)', method: ['ne'] },
  lt: { arity: 2, f: 'x < y ? 1 : 0', i: 'x < y ? 1 : 0', out: 'bool', w: 'x < y && !isnan_(x) && !isnan_(y)', method: ['lt'] },
  le: { arity: 2, f: 'x <= y ? 1 : 0', i: 'x <= y ? 1 : 0', out: 'bool', w: 'x <= y && !isnan_(x) && !isnan_(y)', method: ['le'] },
  gt: { arity: 2, f: 'x > y ? 1 : 0', i: 'x > y ? 1 : 0', out: 'bool', w: 'x > y && !isnan_(x) && !isnan_(y)', method: ['gt'] },
  ge: { arity: 2, f: 'x >= y ? 1 : 0', i: 'x >= y ? 1 : 0', out: 'bool', w: 'x >= y && !isnan_(x) && !isnan_(y)', method: ['ge'] },
  logical_and: { arity: 2, f: 'x != 0 && y != 0 ? 1 : 0', i: 'x != 0 && y != 0 ? 1 : 0', out: 'bool', w: 'x != T(0) && y != T(0)', method: ['logical_and'] },
  logical_or: { arity: 2, f: 'x != 0 || y != 0 ? 1 : 0', i: 'x != 0 || y != 0 ? 1 : 0', out: 'bool', w: 'x != T(0) || y != T(0)', method: ['logical_or'] },
  logical_xor: { arity: 2, f: '(x != 0) != (y != 0) ? 1 : 0', i: '(x != 0) != (y != 0) ? 1 : 0', out: 'bool', w: '(x != T(0)) != (y != T(0))', method: ['logical_xor'] },
  // fused backward kernels (`fused` above): x = the incoming gradient, y = the saved input or result
  relu_backward: { arity: 2, f: 'y > 0 ? x : <T>0', simd: 'v128.and(vx, f32x4.gt(vy, f32x4.splat(0)))', w: 'select(T(0), x, y > T(0))' },
  sigmoid_backward: { arity: 2, f: 'x * y * (<T>1 - y)', simd: 'f32x4.mul(f32x4.mul(vx, vy), f32x4.sub(f32x4.splat(1), vy))', w: 'x * y * (T(1) - y)' },
  tanh_backward: { arity: 2, f: 'x * (<T>1 - y * y)', simd: 'f32x4.mul(vx, f32x4.sub(f32x4.splat(1), f32x4.mul(vy, vy)))', w: 'x * (T(1) - y * y)' },
} as const satisfies Record<string, PointwiseDef>;

export type PointwiseName = keyof typeof POINTWISE;

// exp on four float32 lanes: Cephes' expf (range reduction by ln2 in two parts, degree-6
// polynomial, 2^n built in the exponent bits), within ~2 ulp of the rounded exp. Below -87.336544
// (exp < FLT_MIN) gives 0: no denormals, which would cost microcode assists on masked (-inf)
// entries. From 88.72283935546875 (the first float whose exp rounds past FLT_MAX) gives inf.
// NaN stays NaN.

// The clamp uses pmin/pmax (one minps/maxps each; min/max with wasm's NaN rules cost ~6 x64
// instructions): pmax(x, lo) = x < lo ? lo : x keeps a NaN x, and so does pmin. n = round(x/ln2)
// comes from adding 1.5 * 2^23, which leaves n in the low mantissa bits of the sum (|n| <= 128),
// instead of f32x4.nearest and a saturating float-to-int conversion.
// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  const c = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.336544)), f32x4.splat(88.72283935546875));
  const t = f32x4.add(f32x4.mul(c, f32x4.splat(1.44269504088896341)), f32x4.splat(12582912));
  const n = f32x4.sub(t, f32x4.splat(12582912));
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.add(r, f32x4.mul(n, f32x4.splat(2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // n runs over [-126, 128]; 2^128 has no float32 exponent, so 2^n is applied as 2^(n>>1) * 2^(n-(n>>1))
  const ni = i32x4.sub(t, i32x4.splat(0x4B400000));
  const n1 = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), i32x4.splat(127)), 23);
  const y = f32x4.mul(f32x4.mul(p, s1), s2);
  const under = f32x4.lt(x, f32x4.splat(-87.336544));
  const over = f32x4.ge(x, f32x4.splat(88.72283935546875));
  return v128.bitselect(f32x4.splat(Infinity), v128.andnot(y, under), over);
}

// sigmoid on four lanes: 1 / (1 + exp(-x)); exp(-x) overflows to inf below x = -88.7, giving 0.
// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

// tanh on four lanes. |x| >= 0.4: 1 - 2 / (exp(2|x|) + 1) with x's sign (the subtraction loses at most
// ~1.6x of exp's relative error there, and exp(2|x|) = inf gives exactly 1). |x| < 0.4: the odd
// Taylor series through x^13, whose first dropped term is below 3e-9 relative. NaN stays NaN.
// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const one = f32x4.splat(1);
  const a = f32x4.abs(x);
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expv(f32x4.add(a, a)), one)));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(<f32>(21844.0 / 6081075.0));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(<f32>(-1382.0 / 155925.0)));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(<f32>(62.0 / 2835.0)));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(<f32>(-17.0 / 315.0)));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(<f32>(2.0 / 15.0)));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(<f32>(-1.0 / 3.0)));
  // both branches on |x|, then x's sign (so tanh(-0) = -0, as the series on x would not give)
  const small = f32x4.add(a, f32x4.mul(f32x4.mul(a, x2), p));
  const r = v128.bitselect(small, big, f32x4.lt(a, f32x4.splat(0.4)));
  return v128.or(r, v128.and(x, i32x4.splat(0x80000000)));
}

/** One value through the vector functions (kept out of line: the callers are scalar tails). */
export function sigmoid1(x: f32): f32 { return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0); }
export function tanh1(x: f32): f32 { return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0); }

// The first n (< 4) float32 values at p as one vector (the other lanes 0), and its inverse: tails of
// a row go through the same vector code as the rest, so every value gets the same approximation.
// @ts-ignore: decorator
@inline export function loadTail(p: usize, n: i32, fill: f32 = 0): v128 {
  let v = f32x4.splat(fill);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}
// @ts-ignore: decorator
@inline export function storeTail(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** exp of n float32 values at x into y (also the kernel behind its own test). */
export function expv_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  // four independent vectors per iteration: one exp is a ~70-cycle dependency chain, and the
  // out-of-order window does not reach far enough into the next iterations to overlap one-vector loops
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const a = expv(v128.load(x + o)), b = expv(v128.load(x + o, 16)), c = expv(v128.load(x + o, 32)), d = expv(v128.load(x + o, 48));
    v128.store(y + o, a); v128.store(y + o, b, 16); v128.store(y + o, c, 32); v128.store(y + o, d, 48);
  }
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), expv(v128.load(x + (<usize>i << 2))));
  if (i < n) storeTail(y + (<usize>i << 2), expv(loadTail(x + (<usize>i << 2), n - i)), n - i);
}

/** sigmoid and tanh of n float32 values (the kernels behind their own tests). */
export function sigmoidv_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const a = sigmoidv(v128.load(x + o)), b = sigmoidv(v128.load(x + o, 16));
    v128.store(y + o, a); v128.store(y + o, b, 16);
  }
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), sigmoidv(v128.load(x + (<usize>i << 2))));
  if (i < n) storeTail(y + (<usize>i << 2), sigmoidv(loadTail(x + (<usize>i << 2), n - i)), n - i);
}
export function tanhv_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const a = tanhv(v128.load(x + o)), b = tanhv(v128.load(x + o, 16));
    v128.store(y + o, a); v128.store(y + o, b, 16);
  }
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), tanhv(v128.load(x + (<usize>i << 2))));
  if (i < n) storeTail(y + (<usize>i << 2), tanhv(loadTail(x + (<usize>i << 2), n - i)), n - i);
}

// exp on four float32 lanes: Cephes' expf (range reduction by ln2 in two parts, degree-6
// polynomial, 2^n built in the exponent bits), within ~2 ulp of the rounded exp. Below -87.336544
// (exp < FLT_MIN) gives 0: no denormals, which would cost microcode assists on masked (-inf)
// entries. From 88.72283935546875 (the first float whose exp rounds past FLT_MAX) gives inf.
// NaN stays NaN.

// The clamp uses pmin/pmax (one minps/maxps each; min/max with wasm's NaN rules cost ~6 x64
// instructions): pmax(x, lo) = x < lo ? lo : x keeps a NaN x, and so does pmin. n = round(x/ln2)
// comes from adding 1.5 * 2^23, which leaves n in the low mantissa bits of the sum (|n| <= 128),
// instead of f32x4.nearest and a saturating float-to-int conversion.
// k(i) names the constants of expv, sigmoidv and tanhv: a broadcast load from a static table. As
// v128.const they compiled well in Node 20 (V8 11 keeps them in registers across the loop), but
// newer V8 (Node 24, Deno, Chrome) rebuilds every one at every use inside the loop with three
// instructions, two of them on the vector shuffle port: expv_f32 ran 2x slower in Node 24. Loads
// cannot be rebuilt, and V8 loads each once per loop iteration for both of its vectors.
const KTAB = memory.data<f32>([
  // expv: clamp bounds, 1/ln2, 1.5 * 2^23, ln2 in two parts, the polynomial, 1, inf
  -87.336544, // 0
  88.72283935546875, // 1
  1.44269504088896341, // 2
  12582912, // 3
  0.693359375, // 4
  2.12194440e-4, // 5
  1.9875691500e-4, // 6
  1.3981999507e-3, // 7
  8.3334519073e-3, // 8
  4.1665795894e-2, // 9
  1.6666665459e-1, // 10
  5.0000001201e-1, // 11
  1, // 12
  Infinity, // 13
  // tanhv: 2, the series/exp switch at 0.4, -0 (the sign bit), the series from x^13 down to x^3
  2, // 14
  0.4, // 15
  -0.0, // 16
  (21844.0 / 6081075.0), // 17
  (-1382.0 / 155925.0), // 18
  (62.0 / 2835.0), // 19
  (-17.0 / 315.0), // 20
  (2.0 / 15.0), // 21
  (-1.0 / 3.0), // 22
]);
// @ts-ignore: decorator
@inline function k(i: i32): v128 { return v128.load32_splat(KTAB + (<usize>i << 2)); }

/** The degree-5 polynomial in x whose coefficients, highest first, are k(c) .. k(c + 5) (Horner). */
// @ts-ignore: decorator
@inline function horner(x: v128, c: i32): v128 {
  let p = f32x4.add(f32x4.mul(k(c), x), k(c + 1));
  p = f32x4.add(f32x4.mul(p, x), k(c + 2));
  p = f32x4.add(f32x4.mul(p, x), k(c + 3));
  p = f32x4.add(f32x4.mul(p, x), k(c + 4));
  return f32x4.add(f32x4.mul(p, x), k(c + 5));
}

/** t = c / ln2 + 1.5 * 2^23 (n = round(c / ln2) in its low mantissa bits) for the clamped c. */
// @ts-ignore: decorator
@inline function expShift(c: v128): v128 { return f32x4.add(f32x4.mul(c, k(2)), k(3)); }

/** exp(r) for r = c - n ln2 (ln2 in two parts), |r| <= ln2 / 2: the polynomial, 1 + r + r^2 P(r). */
// @ts-ignore: decorator
@inline function expPoly(c: v128, t: v128): v128 {
  const n = f32x4.sub(t, k(3));
  let r = f32x4.sub(c, f32x4.mul(n, k(4)));
  r = f32x4.add(r, f32x4.mul(n, k(5)));
  const p = horner(r, 6);
  return f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), k(12));
}

// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  const c = f32x4.pmin(f32x4.pmax(x, k(0)), k(1));
  const t = expShift(c);
  const p = expPoly(c, t);
  // n runs over [-126, 128]; 2^128 has no float32 exponent, so 2^n is applied as 2^(n>>1) * 2^(n-(n>>1));
  // t's bits minus those of 1.5 * 2^23 (k(3), 0x4B400000) are n
  const ni = i32x4.sub(t, k(3));
  const n1 = i32x4.shr_s(ni, 1);
  // 2^m is (m + 127) << 23, that is (m << 23) plus the bits of 1.0 (k(12))
  const s1 = i32x4.add(i32x4.shl(n1, 23), k(12));
  const s2 = i32x4.add(i32x4.shl(i32x4.sub(ni, n1), 23), k(12));
  const y = f32x4.mul(f32x4.mul(p, s1), s2);
  const under = f32x4.lt(x, k(0));
  const over = f32x4.ge(x, k(1));
  return v128.bitselect(k(13), v128.andnot(y, under), over);
}

// exp where x <= 88.37 (n <= 127, so 2^n is one exponent field): log-probabilities, which
// log_softmax and its backward exponentiate, are <= 0. Below that bound it is expv's value (both
// scale the same p by 2^n exactly) with a third fewer instructions: one clamp, one scaling, no
// overflow blend. NaN stays NaN.
// @ts-ignore: decorator
@inline export function expvLow(x: v128): v128 {
  const c = f32x4.pmax(x, k(0));
  const t = expShift(c);
  const s = i32x4.add(i32x4.shl(i32x4.sub(t, k(3)), 23), k(12));
  return v128.andnot(f32x4.mul(expPoly(c, t), s), f32x4.lt(x, k(0)));
}

// sigmoid on four lanes: 1 / (1 + exp(-x)); exp(-x) overflows to inf below x = -88.7, giving 0.
// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  return f32x4.div(k(12), f32x4.add(k(12), exp4(f32x4.neg(x))));
}

// tanh on four lanes. |x| >= 0.4: 1 - 2 / (exp(2|x|) + 1) (the subtraction loses at most ~1.6x of
// exp's relative error there, and exp(2|x|) = inf gives exactly 1). |x| < 0.4: the odd Taylor
// series through x^13, whose first dropped term is below 3e-9 relative. Both on |x|, then x's sign
// (so tanh(-0) = -0). NaN stays NaN.
// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const a = f32x4.abs(x);
  const big = f32x4.sub(k(12), f32x4.div(k(14), f32x4.add(exp4(f32x4.add(a, a)), k(12))));
  const x2 = f32x4.mul(x, x);
  const small = f32x4.add(a, f32x4.mul(f32x4.mul(a, x2), horner(x2, 17)));
  const r = v128.bitselect(small, big, f32x4.lt(a, k(15)));
  return v128.or(r, v128.and(x, k(16)));
}

// Out-of-line forms for the places that are not a hot exp loop (tails, the cells' gates, a single
// value): each inlined copy of expv is ~0.2 KB of wasm, which the shipped bundle pays for.
export function exp4(x: v128): v128 { return expv(x); }
export function sigmoid4(x: v128): v128 { return sigmoidv(x); }
export function tanh4(x: v128): v128 { return tanhv(x); }
/** One value through the vector functions (the callers are scalar tails). */
export function sigmoid1(x: f32): f32 { return f32x4.extract_lane(sigmoid4(f32x4.splat(x)), 0); }
export function tanh1(x: f32): f32 { return f32x4.extract_lane(tanh4(f32x4.splat(x)), 0); }

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

// The values i..i+3 of x (fewer at the end, the other lanes `fill`), and the store of their results:
// one inlined copy of a function serves both the last whole vectors and the tail.
// @ts-ignore: decorator
@inline export function vecOrTail(x: usize, i: i32, n: i32, fill: f32 = 0): v128 {
  return n - i >= 4 ? v128.load(x + (<usize>i << 2)) : loadTail(x + (<usize>i << 2), n - i, fill);
}
// @ts-ignore: decorator
@inline export function mapRest(y: usize, i: i32, n: i32, r: v128): void {
  if (n - i >= 4) v128.store(y + (<usize>i << 2), r); else storeTail(y + (<usize>i << 2), r, n - i);
}

/** exp of n float32 values at x into y (also the kernel behind its own test). */
export function expv_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  // two independent vectors per iteration: one exp is a ~70-cycle dependency chain, and the
  // out-of-order window does not reach far enough into the next iteration to overlap one-vector loops
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const a = expv(v128.load(x + o)), b = expv(v128.load(x + o, 16));
    v128.store(y + o, a); v128.store(y + o, b, 16);
  }
  for (; i < n; i += 4) mapRest(y, i, n, exp4(vecOrTail(x, i, n)));
}

/** sigmoid and tanh of n float32 values (the kernels behind their own tests). */
export function sigmoidv_f32(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) mapRest(y, i, n, sigmoid4(vecOrTail(x, i, n)));
}
export function tanhv_f32(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) mapRest(y, i, n, tanh4(vecOrTail(x, i, n)));
}

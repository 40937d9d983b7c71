// Scalar helpers that pointwise kernels (assembly/generated/pointwise.ts) call.
import { raise, ERR_ZERO_DIV } from "./status";

// erf in f64: Taylor series near 0, continued fraction for erfc further out (|err| ~ 1e-15).
export function erf64(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / <f64>n;
      const t = term / <f64>(2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return sum * 1.1283791670955126;
  }
  if (ax > 6.0) return x > 0 ? 1.0 : -1.0;
  // erfc(ax) = exp(-ax^2)/sqrt(pi) * 1/(ax + (1/2)/(ax + 1/(ax + (3/2)/(ax + 2/(ax + ...)))))
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + (<f64>k * 0.5) / f;
  const erfc = Math.exp(-ax * ax) / (f * 1.7724538509055159);
  return x > 0 ? 1.0 - erfc : erfc - 1.0;
}

// x % y (C fmod); float32 through f64, where it is exact, so the module carries one fmod
// @ts-ignore: decorator
@inline function fmod<T>(x: T, y: T): T { return sizeof<T>() == 4 ? <T>(<f64>x % <f64>y) : x % y; }
// @ts-ignore: decorator
@inline export function fdiv_floor<T>(x: T, y: T): T {
  // torch.div(..., rounding_mode='floor') on floats (Python's floor division)
  if (y == 0) return x / y;
  const m = fmod<T>(x, y);
  let d = (x - m) / y;
  if (m != 0 && ((y < 0) != (m < 0))) d -= 1;
  if (d == 0) return copysign<T>(0, x / y);
  let r = floor<T>(d);
  if (d - r > <T>0.5) r += 1;
  return r;
}
// @ts-ignore: decorator
@inline export function fremainder<T>(x: T, y: T): T {
  // torch.remainder (Python modulo): the result has the sign of y
  let m = fmod<T>(x, y);
  if (m != 0 && ((y < 0) != (m < 0))) m += y;
  return m;
}
export function idiv_trunc(x: i32, y: i32): i32 {
  if (y == 0) { raise(ERR_ZERO_DIV); return 0; }
  if (y == -1) return -x;
  return x / y;
}
export function idiv_floor(x: i32, y: i32): i32 {
  if (y == 0) { raise(ERR_ZERO_DIV); return 0; }
  if (y == -1) return -x;
  const q = x / y;
  return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
}
export function iremainder(x: i32, y: i32): i32 {
  if (y == 0) { raise(ERR_ZERO_DIV); return 0; }
  if (y == -1) return 0;
  const m = x % y;
  return (m != 0 && ((m < 0) != (y < 0))) ? m + y : m;
}
export function ipow(x: i32, y: i32): i32 {
  if (y < 0) { if (x == 1) return 1; if (x == -1) return (y & 1) ? -1 : 1; raise(ERR_ZERO_DIV); return 0; }
  let r: i32 = 1, b = x, e = y;
  while (e > 0) { if (e & 1) r *= b; b *= b; e >>= 1; }
  return r;
}

// Float32 kernels of transcendental functions, evaluated in f64 and rounded once: as accurate as
// Mathf's (within one float32 ulp), and the module carries one implementation of each (Math's)
// instead of two. exp's contiguous float32 path is the SIMD expv (assembly/expv.ts), so only its
// strided path and the scalar forms (sigmoid, silu, softplus) pay for f64 here; log keeps Mathf's,
// which is faster, as its float32 kernel has no vector form.
// @ts-ignore: decorator
@inline export function f32_exp(x: f32): f32 { return <f32>Math.exp(x); }
// @ts-ignore: decorator
@inline export function f32_pow(x: f32, y: f32): f32 { return <f32>Math.pow(x, y); }
// @ts-ignore: decorator
@inline export function f32_log1p(x: f32): f32 { return <f32>Math.log1p(x); }
// @ts-ignore: decorator
@inline export function f32_expm1(x: f32): f32 { return <f32>Math.expm1(x); }
// @ts-ignore: decorator
@inline export function f32_sin(x: f32): f32 { return <f32>Math.sin(x); }
// @ts-ignore: decorator
@inline export function f32_cos(x: f32): f32 { return <f32>Math.cos(x); }
// @ts-ignore: decorator
@inline export function f32_atan2(x: f32, y: f32): f32 { return <f32>Math.atan2(x, y); }

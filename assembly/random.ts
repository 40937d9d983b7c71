// Counter-based random numbers: value i of a draw is splitmix64(key + (counter + i) * golden).
// Stateless per call: the TypeScript Generator keeps (seed, offset) and advances the offset.
// @ts-ignore: decorator
@inline function mix(key: u64, c: u64): u64 {
  let z = key + c * 0x9E3779B97F4A7C15;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}
// uniform double in [0, 1) with 53 random bits
// @ts-ignore: decorator
@inline function u53(key: u64, c: u64): f64 { return <f64>(mix(key, c) >> 11) * 1.1102230246251565e-16; }

export function rand_uniform_f32(key: u64, ctr: u64, out: usize, n: i32, lo: f64, hi: f64): void {
  for (let i = 0; i < n; i++) {
    let v = <f32>(lo + (hi - lo) * u53(key, ctr + <u64>i));
    if (v >= <f32>hi && hi > lo) v = <f32>lo; // float rounding must not reach the open bound
    store<f32>(out + (<usize>i << 2), v);
  }
}
export function rand_uniform_f64(key: u64, ctr: u64, out: usize, n: i32, lo: f64, hi: f64): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), lo + (hi - lo) * u53(key, ctr + <u64>i));
}
const GOLDEN: u64 = 0x9E3779B97F4A7C15;
/** mix()'s finalizer on z (= key + c * golden): the draw's top 53 bits */
// @ts-ignore: decorator
@inline function draw53(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return (z ^ (z >> 31)) >> 11;
}
/** rand_uniform_f32's value for the draw whose top 53 bits are m: m / 2^53 rounded to float32 */
// @ts-ignore: decorator
@inline function f32Of(m: u64): f32 { return <f32>(<f64>m * 1.1102230246251565e-16); }
/** The least m in [0, 2^53] with f32Of(m) >= x (2^53 where there is none): f32Of never decreases. */
function leastAtLeast(x: f32): u64 {
  let lo: u64 = 0, hi: u64 = <u64>1 << 53;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (f32Of(mid) >= x) hi = mid; else lo = mid + 1;
  }
  return lo;
}
// Dropout's mask in one pass, value for value what rand_uniform (lo 0, hi 1), a >= p comparison, a
// cast and a division by (1 - p) give: `kept` and `dropped` are 1 / (1 - p) and 0 / (1 - p), rounded
// by the caller in the kernel's type. The uniform value of draw m is f32Of(m), or 0 where that
// rounds up to 1; so for p > 0 a draw is kept when lo <= m < hi, the least m reaching p and the
// least reaching 1, an integer comparison instead of two conversions and a multiply per value;
// otherwise (p = 0) every draw is kept. (A NaN p makes kept and dropped NaN: the mask is moot.)
export function rand_dropout_f32(key: u64, ctr: u64, out: usize, n: i32, p: f64, kept: f32, dropped: f32): void {
  const pf = <f32>p;
  const lo = pf > 0 ? leastAtLeast(pf) : 0, hi = pf > 0 ? leastAtLeast(1) : <u64>1 << 53;
  const span = hi > lo ? hi - lo : 0;
  let z = key + ctr * GOLDEN; // key + c * golden as a running sum: mix()'s values, bit for bit
  let i = 0;
  // two draws per iteration: their multiply chains overlap
  for (; i + 2 <= n; i += 2) {
    const a = draw53(z), b = draw53(z + GOLDEN);
    store<f32>(out + (<usize>i << 2), a - lo < span ? kept : dropped);
    store<f32>(out + (<usize>i << 2), b - lo < span ? kept : dropped, 4);
    z += GOLDEN + GOLDEN;
  }
  if (i < n) store<f32>(out + (<usize>i << 2), draw53(z) - lo < span ? kept : dropped);
}
export function rand_dropout_f64(key: u64, ctr: u64, out: usize, n: i32, p: f64, kept: f64, dropped: f64): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), u53(key, ctr + <u64>i) >= p ? kept : dropped);
}
// Box-Muller over pairs of counters; uses 2 * ceil(n / 2) counters.
// @ts-ignore: decorator
@inline function normalPair(key: u64, c: u64, k: i32): f64 {
  const u1 = 1.0 - u53(key, c), u2 = u53(key, c + 1);
  const r = Math.sqrt(-2.0 * Math.log(u1)), t = 6.283185307179586 * u2;
  return k == 0 ? r * Math.cos(t) : r * Math.sin(t);
}
export function rand_normal_f32(key: u64, ctr: u64, out: usize, n: i32, mean: f64, std: f64): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>(mean + std * normalPair(key, ctr + <u64>(i & ~1), i & 1)));
}
export function rand_normal_f64(key: u64, ctr: u64, out: usize, n: i32, mean: f64, std: f64): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), mean + std * normalPair(key, ctr + <u64>(i & ~1), i & 1));
}
// integers uniform in [low, high)
export function rand_int_i32(key: u64, ctr: u64, out: usize, n: i32, low: f64, high: f64): void {
  const range = high - low;
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), <i32>(low + Math.floor(u53(key, ctr + <u64>i) * range)));
}
// random permutation of 0..n-1 (Fisher-Yates), uses n counters
export function rand_perm_i32(key: u64, ctr: u64, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), i);
  for (let i = n - 1; i > 0; i--) {
    const j = <i32>Math.floor(u53(key, ctr + <u64>i) * <f64>(i + 1));
    const a = load<i32>(out + (<usize>i << 2));
    store<i32>(out + (<usize>i << 2), load<i32>(out + (<usize>j << 2)));
    store<i32>(out + (<usize>j << 2), a);
  }
}

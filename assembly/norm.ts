// Batch-norm statistics: x is [N, C, S] contiguous; per channel c, the mean and the biased
// variance over N*S values (two passes, f64 accumulation across rows).

// @ts-ignore: decorator
@inline function rowSum<T>(p: usize, S: i32, sub: f64): f64 {
  const es = <usize>sizeof<T>();
  let s = 0;
  let acc: f64 = 0;
  if (es == 4) {
    const m = f32x4.splat(<f32>sub);
    let v0 = f32x4.splat(0), v1 = v0;
    for (; s + 8 <= S; s += 8) {
      v0 = f32x4.add(v0, f32x4.sub(v128.load(p + (<usize>s << 2)), m));
      v1 = f32x4.add(v1, f32x4.sub(v128.load(p + (<usize>s << 2), 16), m));
    }
    const v = f32x4.add(v0, v1);
    acc = <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
  }
  for (; s < S; s++) acc += <f64>load<T>(p + <usize>s * es) - sub;
  return acc;
}

// @ts-ignore: decorator
@inline function rowSq<T>(p: usize, S: i32, mean: f64): f64 {
  const es = <usize>sizeof<T>();
  let s = 0;
  let acc: f64 = 0;
  if (es == 4) {
    const m = f32x4.splat(<f32>mean);
    let v0 = f32x4.splat(0), v1 = v0;
    for (; s + 8 <= S; s += 8) {
      const a = f32x4.sub(v128.load(p + (<usize>s << 2)), m);
      const b = f32x4.sub(v128.load(p + (<usize>s << 2), 16), m);
      v0 = f32x4.add(v0, f32x4.mul(a, a));
      v1 = f32x4.add(v1, f32x4.mul(b, b));
    }
    const v = f32x4.add(v0, v1);
    acc = <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
  }
  for (; s < S; s++) { const d = <f64>load<T>(p + <usize>s * es) - mean; acc += d * d; }
  return acc;
}

// @ts-ignore: decorator
@inline function bnStatsT<T>(x: usize, mean: usize, vr: usize, N: i32, C: i32, S: i32): void {
  const es = <usize>sizeof<T>();
  const M = <f64>N * <f64>S;
  for (let c = 0; c < C; c++) {
    let s: f64 = 0;
    for (let n = 0; n < N; n++) s += rowSum<T>(x + (<usize>(n * C + c) * <usize>S) * es, S, 0);
    const mu = M > 0 ? s / M : NaN;
    let q: f64 = 0;
    for (let n = 0; n < N; n++) q += rowSq<T>(x + (<usize>(n * C + c) * <usize>S) * es, S, mu);
    store<T>(mean + <usize>c * es, <T>mu);
    store<T>(vr + <usize>c * es, <T>(M > 0 ? q / M : NaN));
  }
}

export function bn_stats_f32(x: usize, mean: usize, vr: usize, N: i32, C: i32, S: i32): void { bnStatsT<f32>(x, mean, vr, N, C, S); }
export function bn_stats_f64(x: usize, mean: usize, vr: usize, N: i32, C: i32, S: i32): void { bnStatsT<f64>(x, mean, vr, N, C, S); }

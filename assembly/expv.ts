// exp on four float32 lanes: Cephes' expf (range reduction by ln2 in two parts, degree-6
// polynomial, 2^n built in the exponent bits), within ~2 ulp of the rounded exp. Below -87.336544
// (exp < FLT_MIN) gives 0: no denormals, which would cost microcode assists on masked (-inf)
// entries. From 88.72283935546875 (the first float whose exp rounds past FLT_MAX) gives inf.
// NaN stays NaN.

// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  const c = f32x4.min(f32x4.max(x, f32x4.splat(-87.336544)), f32x4.splat(88.72283935546875));
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.44269504088896341)));
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
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), i32x4.splat(127)), 23);
  const y = f32x4.mul(f32x4.mul(p, s1), s2);
  const under = f32x4.lt(x, f32x4.splat(-87.336544));
  const over = f32x4.ge(x, f32x4.splat(88.72283935546875));
  return v128.bitselect(f32x4.splat(Infinity), v128.andnot(y, under), over);
}

/** exp of n float32 values at x into y (also the kernel behind its own test). */
export function expv_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), expv(v128.load(x + (<usize>i << 2))));
  if (i < n) {
    // the tail through one padded vector, so every value gets the same approximation
    const t = memory.data(16);
    for (let j = 0; j < 4; j++) store<f32>(t + (<usize>j << 2), i + j < n ? load<f32>(x + (<usize>(i + j) << 2)) : 0);
    v128.store(t, expv(v128.load(t)));
    for (let j = 0; i + j < n; j++) store<f32>(y + (<usize>(i + j) << 2), load<f32>(t + (<usize>j << 2)));
  }
}

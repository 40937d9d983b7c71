// Reductions over the middle axis of a contiguous [A, R, B] array: out[a, b] = op_r x[a, r, b].
// Every single-dim (or adjacent-dims) reduction maps onto this shape without a copy.

// sum, or with `sq` the sum of squares (a 2-norm's, without a squared copy of x)
// @ts-ignore: decorator
@inline function sumRows<T>(x: usize, out: usize, A: i32, R: i32, B: i32, sq: bool): void {
  const es = sizeof<T>();
  for (let a = 0; a < A; a++) {
    const xa = x + <usize>a * <usize>R * <usize>B * es, oa = out + <usize>a * <usize>B * es;
    if (B == 1) {
      let r = 0;
      let acc: T = 0;
      if (isFloat<T>() && es == 4) {
        let v0 = f32x4.splat(0), v1 = f32x4.splat(0), v2 = f32x4.splat(0), v3 = f32x4.splat(0);
        for (; r + 16 <= R; r += 16) {
          const p = xa + (<usize>r << 2);
          let w0 = v128.load(p), w1 = v128.load(p, 16), w2 = v128.load(p, 32), w3 = v128.load(p, 48);
          if (sq) { w0 = f32x4.mul(w0, w0); w1 = f32x4.mul(w1, w1); w2 = f32x4.mul(w2, w2); w3 = f32x4.mul(w3, w3); }
          v0 = f32x4.add(v0, w0); v1 = f32x4.add(v1, w1);
          v2 = f32x4.add(v2, w2); v3 = f32x4.add(v3, w3);
        }
        const v = f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3));
        acc = <T>(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
      }
      for (; r < R; r++) { const v = load<T>(xa + <usize>r * es); acc += sq ? v * v : v; }
      store<T>(oa, acc);
    } else {
      if (sq) for (let b = 0; b < B; b++) { const v = load<T>(xa + <usize>b * es); store<T>(oa + <usize>b * es, v * v); }
      else memory.copy(oa, xa, <usize>B * es);
      for (let r = 1; r < R; r++) {
        const xr = xa + <usize>r * <usize>B * es;
        let b = 0;
        if (isFloat<T>() && es == 4) {
          for (; b + 4 <= B; b += 4) {
            const q = oa + (<usize>b << 2);
            let w = v128.load(xr + (<usize>b << 2));
            if (sq) w = f32x4.mul(w, w);
            v128.store(q, f32x4.add(v128.load(q), w));
          }
        }
        for (; b < B; b++) { const v = load<T>(xr + <usize>b * es); store<T>(oa + <usize>b * es, load<T>(oa + <usize>b * es) + (sq ? v * v : v)); }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function prodRows<T>(x: usize, out: usize, A: i32, R: i32, B: i32): void {
  const es = sizeof<T>();
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) {
    let acc: T = 1;
    let p = x + (<usize>a * <usize>R * <usize>B + <usize>b) * es;
    for (let r = 0; r < R; r++) { acc *= load<T>(p); p += <usize>B * es; }
    store<T>(out + (<usize>a * <usize>B + <usize>b) * es, acc);
  }
}

// max (isMax) or min with the index of the first extreme; NaN wins and propagates, as in PyTorch.
// @ts-ignore: decorator
@inline function extremeRows<T>(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32, isMax: bool): void {
  const es = sizeof<T>();
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) {
    let p = x + (<usize>a * <usize>R * <usize>B + <usize>b) * es;
    let best = load<T>(p), bi = 0;
    for (let r = 1; r < R; r++) {
      p += <usize>B * es;
      if (isFloat<T>() && best != best) break;
      const v = load<T>(p);
      if ((isMax ? v > best : v < best) || (isFloat<T>() && v != v)) { best = v; bi = r; }
    }
    const o = <usize>a * <usize>B + <usize>b;
    store<T>(out + o * es, best);
    if (idx) store<i32>(idx + (o << 2), bi);
  }
}

// @ts-ignore: decorator
@inline function cumsumRows<T>(x: usize, out: usize, A: i32, R: i32, B: i32): void {
  const es = sizeof<T>();
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) {
    let acc: T = 0;
    let off = (<usize>a * <usize>R * <usize>B + <usize>b) * es;
    for (let r = 0; r < R; r++) { acc += load<T>(x + off); store<T>(out + off, acc); off += <usize>B * es; }
  }
}

export function reduce_sum_f32(x: usize, out: usize, A: i32, R: i32, B: i32): void { sumRows<f32>(x, out, A, R, B, false); }
export function reduce_sumsq_f32(x: usize, out: usize, A: i32, R: i32, B: i32): void { sumRows<f32>(x, out, A, R, B, true); }
export function reduce_sum_f64(x: usize, out: usize, A: i32, R: i32, B: i32): void { sumRows<f64>(x, out, A, R, B, false); }
export function reduce_sumsq_f64(x: usize, out: usize, A: i32, R: i32, B: i32): void { sumRows<f64>(x, out, A, R, B, true); }
export function reduce_sum_i32(x: usize, out: usize, A: i32, R: i32, B: i32): void { sumRows<i32>(x, out, A, R, B, false); }
export function reduce_prod_f32(x: usize, out: usize, A: i32, R: i32, B: i32): void { prodRows<f32>(x, out, A, R, B); }
export function reduce_prod_f64(x: usize, out: usize, A: i32, R: i32, B: i32): void { prodRows<f64>(x, out, A, R, B); }
export function reduce_prod_i32(x: usize, out: usize, A: i32, R: i32, B: i32): void { prodRows<i32>(x, out, A, R, B); }
export function reduce_max_f32(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<f32>(x, out, idx, A, R, B, true); }
export function reduce_max_f64(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<f64>(x, out, idx, A, R, B, true); }
export function reduce_max_i32(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<i32>(x, out, idx, A, R, B, true); }
export function reduce_max_u8(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<u8>(x, out, idx, A, R, B, true); }
export function reduce_min_f32(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<f32>(x, out, idx, A, R, B, false); }
export function reduce_min_f64(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<f64>(x, out, idx, A, R, B, false); }
export function reduce_min_i32(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<i32>(x, out, idx, A, R, B, false); }
export function reduce_min_u8(x: usize, out: usize, idx: usize, A: i32, R: i32, B: i32): void { extremeRows<u8>(x, out, idx, A, R, B, false); }
export function cumsum_f32(x: usize, out: usize, A: i32, R: i32, B: i32): void { cumsumRows<f32>(x, out, A, R, B); }
export function cumsum_f64(x: usize, out: usize, A: i32, R: i32, B: i32): void { cumsumRows<f64>(x, out, A, R, B); }
export function cumsum_i32(x: usize, out: usize, A: i32, R: i32, B: i32): void { cumsumRows<i32>(x, out, A, R, B); }

// Sorting along the middle axis of a contiguous [A, R, B] array, keeping the first K of each
// (a, b) row's order: values and int32 positions written to contiguous [A, K, B] arrays.
// NaN sorts as the largest value (PyTorch's order); equal values keep their order (stable).
// K <= SELECT (topk with a small k): one pass keeping the best K in an insertion-sorted buffer,
// O(R) for most data; otherwise a bottom-up merge sort of the row's positions, O(R log R).
// `tmp` is scratch for 2 * R i32 positions (the driver allocates it; kernels never allocate).

const SELECT = 32;

// @ts-ignore: decorator
@inline function before<T>(u: T, v: T, desc: bool): bool {
  if (isFloat<T>()) {
    // NaN is the largest: ascending puts it last, descending first
    const un = u != u, vn = v != v;
    if (desc) return (un && !vn) || u > v;
    return (vn && !un) || u < v;
  }
  return desc ? u > v : u < v;
}

// @ts-ignore: decorator
@inline function sortRows<T>(x: usize, vals: usize, idx: usize, tmp: usize, A: i32, R: i32, B: i32, desc: bool, K: i32): void {
  const es = sizeof<T>();
  let src = tmp, dst = tmp + (<usize>R << 2);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) {
    const base = <usize>a * <usize>R * <usize>B + <usize>b;
    const outBase = <usize>a * <usize>K * <usize>B + <usize>b;
    const row = x + base * es;
    const step = <usize>B * es;
    src = tmp; dst = tmp + (<usize>R << 2);
    if (K <= SELECT) {
      // the best K so far, in order, in src[0..cnt): a newcomer goes after its equals (stable)
      let cnt = 0;
      for (let r = 0; r < R; r++) {
        const v = load<T>(row + <usize>r * step);
        if (cnt == K && !before<T>(v, load<T>(row + <usize>load<i32>(src + (<usize>(K - 1) << 2)) * step), desc)) continue;
        let pos = cnt < K ? cnt : K - 1;
        while (pos > 0) {
          const q = load<i32>(src + (<usize>(pos - 1) << 2));
          if (!before<T>(v, load<T>(row + <usize>q * step), desc)) break;
          store<i32>(src + (<usize>pos << 2), q);
          pos--;
        }
        store<i32>(src + (<usize>pos << 2), r);
        if (cnt < K) cnt++;
      }
      writeRow<T>(row, step, src, vals, idx, outBase, B, K);
      continue;
    }
    for (let r = 0; r < R; r++) store<i32>(src + (<usize>r << 2), r);
    for (let w = 1; w < R; w <<= 1) {
      for (let lo = 0; lo < R; lo += w << 1) {
        const mid = min(lo + w, R), hi = min(lo + (w << 1), R);
        let i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
          const pi = load<i32>(src + (<usize>i << 2)), pj = load<i32>(src + (<usize>j << 2));
          // take from the right run only when strictly before (keeps ties in order)
          if (before<T>(load<T>(row + <usize>pj * step), load<T>(row + <usize>pi * step), desc)) { store<i32>(dst + (<usize>k << 2), pj); j++; }
          else { store<i32>(dst + (<usize>k << 2), pi); i++; }
          k++;
        }
        while (i < mid) { store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>i << 2))); i++; k++; }
        while (j < hi) { store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>j << 2))); j++; k++; }
      }
      const t = src; src = dst; dst = t;
    }
    writeRow<T>(row, step, src, vals, idx, outBase, B, K);
  }
}

// @ts-ignore: decorator
@inline function writeRow<T>(row: usize, step: usize, order: usize, vals: usize, idx: usize, outBase: usize, B: i32, K: i32): void {
  const es = sizeof<T>();
  for (let r = 0; r < K; r++) {
    const p = load<i32>(order + (<usize>r << 2));
    const o = outBase + <usize>r * <usize>B;
    store<T>(vals + o * es, load<T>(row + <usize>p * step));
    store<i32>(idx + (o << 2), p);
  }
}

export function sort_f32(x: usize, vals: usize, idx: usize, tmp: usize, A: i32, R: i32, B: i32, desc: bool, K: i32): void { sortRows<f32>(x, vals, idx, tmp, A, R, B, desc, K); }
export function sort_f64(x: usize, vals: usize, idx: usize, tmp: usize, A: i32, R: i32, B: i32, desc: bool, K: i32): void { sortRows<f64>(x, vals, idx, tmp, A, R, B, desc, K); }
export function sort_i32(x: usize, vals: usize, idx: usize, tmp: usize, A: i32, R: i32, B: i32, desc: bool, K: i32): void { sortRows<i32>(x, vals, idx, tmp, A, R, B, desc, K); }

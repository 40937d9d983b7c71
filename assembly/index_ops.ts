// Indexing kernels. Gather/scatter address elements by precomputed element offsets (from
// `offsets`) plus index * stride, which covers gather, scatter, index_select and friends.
import { raise_value, ERR_INDEX } from "./status";

const IDX = memory.data(64 * 4);

// Element offsets of every element of a strided view, row-major. meta: [ndim, shape, strides, base]
export function offsets(meta: usize, out: usize): void {
  const nd = load<i32>(meta);
  const shp = meta + 4, st = shp + (<usize>nd << 2);
  const base = load<i32>(st + (<usize>nd << 2));
  let n = 1;
  for (let d = 0; d < nd; d++) { n *= load<i32>(shp + (<usize>d << 2)); store<i32>(IDX + (<usize>d << 2), 0); }
  let off = base;
  for (let i = 0; i < n; i++) {
    store<i32>(out + (<usize>i << 2), off);
    for (let d = nd - 1; d >= 0; d--) {
      const p = IDX + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const sd = load<i32>(st + (<usize>d << 2));
      if (v < load<i32>(shp + (<usize>d << 2))) { store<i32>(p, v); off += sd; break; }
      store<i32>(p, 0); off -= (v - 1) * sd;
    }
  }
}

// Checks 0 <= idx[i] < limit (negative indices wrap first when allowNeg, rewritten in place).
// Returns 1 when all are in range; otherwise raises ERR_INDEX with the offending value.
export function check_index(idx: usize, n: i32, limit: i32, allowNeg: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v0 = load<i32>(idx + (<usize>i << 2));
    let v = v0;
    if (v < 0 && allowNeg) { v += limit; store<i32>(idx + (<usize>i << 2), v); }
    if (v < 0 || v >= limit) { raise_value(ERR_INDEX, <i64>v0); return 0; }
  }
  return 1;
}

// @ts-ignore: decorator
@inline function gatherT<T>(src: usize, offs: usize, idx: usize, stride: i32, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = load<i32>(offs + (<usize>i << 2)) + load<i32>(idx + (<usize>i << 2)) * stride;
    store<T>(out + <usize>i * sizeof<T>(), load<T>(src + <usize>o * sizeof<T>()));
  }
}
// @ts-ignore: decorator
@inline function scatterT<T>(dst: usize, offs: usize, idx: usize, stride: i32, src: usize, n: i32, srcScalar: i32): void {
  for (let i = 0; i < n; i++) {
    const o = load<i32>(offs + (<usize>i << 2)) + load<i32>(idx + (<usize>i << 2)) * stride;
    store<T>(dst + <usize>o * sizeof<T>(), load<T>(src + (srcScalar ? 0 : <usize>i * sizeof<T>())));
  }
}
// @ts-ignore: decorator
@inline function scatterAddT<T>(dst: usize, offs: usize, idx: usize, stride: i32, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>(load<i32>(offs + (<usize>i << 2)) + load<i32>(idx + (<usize>i << 2)) * stride) * sizeof<T>();
    store<T>(dst + o, load<T>(dst + o) + load<T>(src + <usize>i * sizeof<T>()));
  }
}
export function gather_b1(s: usize, f: usize, i: usize, st: i32, o: usize, n: i32): void { gatherT<u8>(s, f, i, st, o, n); }
export function gather_b4(s: usize, f: usize, i: usize, st: i32, o: usize, n: i32): void { gatherT<u32>(s, f, i, st, o, n); }
export function gather_b8(s: usize, f: usize, i: usize, st: i32, o: usize, n: i32): void { gatherT<u64>(s, f, i, st, o, n); }
export function scatter_b1(d: usize, f: usize, i: usize, st: i32, s: usize, n: i32, sc: i32): void { scatterT<u8>(d, f, i, st, s, n, sc); }
export function scatter_b4(d: usize, f: usize, i: usize, st: i32, s: usize, n: i32, sc: i32): void { scatterT<u32>(d, f, i, st, s, n, sc); }
export function scatter_b8(d: usize, f: usize, i: usize, st: i32, s: usize, n: i32, sc: i32): void { scatterT<u64>(d, f, i, st, s, n, sc); }
export function scatter_add_f32(d: usize, f: usize, i: usize, st: i32, s: usize, n: i32): void { scatterAddT<f32>(d, f, i, st, s, n); }
export function scatter_add_f64(d: usize, f: usize, i: usize, st: i32, s: usize, n: i32): void { scatterAddT<f64>(d, f, i, st, s, n); }
export function scatter_add_i32(d: usize, f: usize, i: usize, st: i32, s: usize, n: i32): void { scatterAddT<i32>(d, f, i, st, s, n); }

// out = cond ? x : y, all contiguous (the caller materializes broadcasts)
// @ts-ignore: decorator
@inline function whereT<T>(c: usize, x: usize, y: usize, o: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const k = <usize>i * sizeof<T>();
    store<T>(o + k, load<u8>(c + <usize>i) ? load<T>(x + k) : load<T>(y + k));
  }
}
export function where_b1(c: usize, x: usize, y: usize, o: usize, n: i32): void { whereT<u8>(c, x, y, o, n); }
export function where_b4(c: usize, x: usize, y: usize, o: usize, n: i32): void { whereT<u32>(c, x, y, o, n); }
export function where_b8(c: usize, x: usize, y: usize, o: usize, n: i32): void { whereT<u64>(c, x, y, o, n); }

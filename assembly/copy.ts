// Strided copy with dtype conversion: the one kernel behind contiguous(), casts, cat, and every
// write into a view. meta (i32): [ndim, shape[ndim], srcStride[ndim], dstStride[ndim]], strides in
// elements, pointers already at the view's first element. Dims are collapsed by the caller.
const IDX = memory.data(64 * 4);

// @ts-ignore: decorator
@inline function conv<S, D>(v: S, toBool: bool): D {
  if (toBool) return <D>(v != 0 ? 1 : 0);
  return <D>v;
}

// Rows of 16 elements, by 16: a transpose reads and writes whole cache lines per tile.
const TILE = 16;

// dst[r * dR + c] = src[c * sI + r] for r < R, c < C: a transpose's plane, in TILE x TILE tiles
// (T: i32 or i64, the element's bits)
function tiles<T>(src: usize, dst: usize, R: i32, C: i32, sI: i32, dR: i32): void {
  for (let r0 = 0; r0 < R; r0 += TILE) {
    const r1 = min(r0 + TILE, R);
    for (let c0 = 0; c0 < C; c0 += TILE) {
      const c1 = min(c0 + TILE, C);
      for (let r = r0; r < r1; r++) {
        const d = dst + <usize>(<isize>r * dR) * sizeof<T>(), s = src + <usize>r * sizeof<T>();
        for (let c = c0; c < c1; c++) store<T>(d + <usize>c * sizeof<T>(), load<T>(s + <usize>(<isize>c * sI) * sizeof<T>()));
      }
    }
  }
}

// @ts-ignore: decorator
@inline function copyStrided<S, D>(src: usize, dst: usize, meta: usize, toBool: bool): void {
  const nd = load<i32>(meta);
  if (nd == 0) { store<D>(dst, conv<S, D>(load<S>(src), toBool)); return; }
  const shp = meta + 4, ss = shp + (<usize>nd << 2), ds = ss + (<usize>nd << 2);
  const last = nd - 1;
  const n = load<i32>(shp + (<usize>last << 2));
  const sI = load<i32>(ss + (<usize>last << 2)), dI = load<i32>(ds + (<usize>last << 2));
  // a transpose between arrays of one 4- or 8-byte type (the source unit-stride along dim k, the
  // destination along the last dim): the (k, last) planes are copied in tiles, the outer loop
  // skips dim k
  let k = -1;
  if (sizeof<S>() == sizeof<D>() && sizeof<S>() >= 4 && isFloat<S>() == isFloat<D>() && !toBool && sI != 1 && dI == 1) for (let d = 0; d < last; d++) if (load<i32>(ss + (<usize>d << 2)) == 1) k = d;
  const R = k < 0 ? 1 : load<i32>(shp + (<usize>k << 2));
  const dR = k < 0 ? 0 : load<i32>(ds + (<usize>k << 2));
  let outer = 1;
  for (let d = 0; d < last; d++) { if (d != k) outer *= load<i32>(shp + (<usize>d << 2)); store<i32>(IDX + (<usize>d << 2), 0); }
  for (let d = 0; d < nd; d++) if (load<i32>(shp + (<usize>d << 2)) == 0) return;
  let so: isize = 0, dof: isize = 0;
  for (let o = 0; o < outer; o++) {
    const sp = src + (so * sizeof<S>()), dp = dst + (dof * sizeof<D>());
    if (k >= 0) {
      if (sizeof<S>() == 4) tiles<i32>(sp, dp, R, n, sI, dR); else tiles<i64>(sp, dp, R, n, sI, dR);
    } else if (sI == 1 && dI == 1 && sizeof<S>() == sizeof<D>() && !toBool && isFloat<S>() == isFloat<D>()) {
      memory.copy(dp, sp, <usize>n * sizeof<S>());
    } else {
      for (let i = 0; i < n; i++) {
        store<D>(dp + <isize>i * dI * sizeof<D>(), conv<S, D>(load<S>(sp + <isize>i * sI * sizeof<S>()), toBool));
      }
    }
    // advance the outer multi-index (dim k is inside the tiles)
    for (let d = last - 1; d >= 0; d--) {
      if (d == k) continue;
      const p = IDX + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const sd = load<i32>(ss + (<usize>d << 2)), dd = load<i32>(ds + (<usize>d << 2));
      if (v < load<i32>(shp + (<usize>d << 2))) { store<i32>(p, v); so += sd; dof += dd; break; }
      store<i32>(p, 0);
      so -= <isize>(v - 1) * sd; dof -= <isize>(v - 1) * dd;
    }
  }
}

export function copy_f32_f32(src: usize, dst: usize, meta: usize): void { copyStrided<f32, f32>(src, dst, meta, false); }
export function copy_f32_f64(src: usize, dst: usize, meta: usize): void { copyStrided<f32, f64>(src, dst, meta, false); }
export function copy_f32_i32(src: usize, dst: usize, meta: usize): void { copyStrided<f32, i32>(src, dst, meta, false); }
export function copy_f32_u8(src: usize, dst: usize, meta: usize): void { copyStrided<f32, u8>(src, dst, meta, false); }
export function copy_f32_bool(src: usize, dst: usize, meta: usize): void { copyStrided<f32, u8>(src, dst, meta, true); }
export function copy_f64_f32(src: usize, dst: usize, meta: usize): void { copyStrided<f64, f32>(src, dst, meta, false); }
export function copy_f64_f64(src: usize, dst: usize, meta: usize): void { copyStrided<f64, f64>(src, dst, meta, false); }
export function copy_f64_i32(src: usize, dst: usize, meta: usize): void { copyStrided<f64, i32>(src, dst, meta, false); }
export function copy_f64_u8(src: usize, dst: usize, meta: usize): void { copyStrided<f64, u8>(src, dst, meta, false); }
export function copy_f64_bool(src: usize, dst: usize, meta: usize): void { copyStrided<f64, u8>(src, dst, meta, true); }
export function copy_i32_f32(src: usize, dst: usize, meta: usize): void { copyStrided<i32, f32>(src, dst, meta, false); }
export function copy_i32_f64(src: usize, dst: usize, meta: usize): void { copyStrided<i32, f64>(src, dst, meta, false); }
// int32 to int32 moves the same bits as float32 to float32 (wasm loads and stores keep NaN bits), so
// one body serves both
export function copy_i32_i32(src: usize, dst: usize, meta: usize): void { copyStrided<f32, f32>(src, dst, meta, false); }
export function copy_i32_u8(src: usize, dst: usize, meta: usize): void { copyStrided<i32, u8>(src, dst, meta, false); }
export function copy_i32_bool(src: usize, dst: usize, meta: usize): void { copyStrided<i32, u8>(src, dst, meta, true); }
export function copy_u8_f32(src: usize, dst: usize, meta: usize): void { copyStrided<u8, f32>(src, dst, meta, false); }
export function copy_u8_f64(src: usize, dst: usize, meta: usize): void { copyStrided<u8, f64>(src, dst, meta, false); }
export function copy_u8_i32(src: usize, dst: usize, meta: usize): void { copyStrided<u8, i32>(src, dst, meta, false); }
export function copy_u8_u8(src: usize, dst: usize, meta: usize): void { copyStrided<u8, u8>(src, dst, meta, false); }
export function copy_u8_bool(src: usize, dst: usize, meta: usize): void { copyStrided<u8, u8>(src, dst, meta, true); }
export function copy_bool_f32(src: usize, dst: usize, meta: usize): void { copyStrided<u8, f32>(src, dst, meta, false); }
export function copy_bool_f64(src: usize, dst: usize, meta: usize): void { copyStrided<u8, f64>(src, dst, meta, false); }
export function copy_bool_i32(src: usize, dst: usize, meta: usize): void { copyStrided<u8, i32>(src, dst, meta, false); }
export function copy_bool_u8(src: usize, dst: usize, meta: usize): void { copyStrided<u8, u8>(src, dst, meta, false); }
export function copy_bool_bool(src: usize, dst: usize, meta: usize): void { copyStrided<u8, u8>(src, dst, meta, false); }

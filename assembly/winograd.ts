// Entry of the Winograd add-on module (build/out/webtorch_winograd.wasm, importing the main module's
// memory; ts/backend/wasm/runtime.ts adds its exports to the kernels where it loads).
// Winograd F(4x4, 3x3) convolution transforms (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016), float32. A 3x3 stride-1 correlation is computed per 4x4 output tile from
// the tile's 6x6 input patch d as  Y = A^T [ sum_c (G g G^T) (.) (B^T d B) ] A,  so each output
// needs 36/16 = 2.25 multiplies per input channel instead of 9; the sum over channels is one GEMM
// per transformed position xi = 6*i + j (36 of them, run by the caller through gemm_f32):
//   U[xi][k][c] = (G g[k][c] G^T)[i][j]       filters    (wino_filter_f32)
//   V[xi][c][p] = (B^T d[c][p] B)[i][j]       input tiles (wino_input_f32)
//   M[xi][k][p] = sum_c U[xi][k][c] V[xi][c][p]   (GEMM)
//   y tile p of plane k = A^T M[.][k][p] A      (wino_output_f32)
// The gradients: wrt the input it is the same correlation of dy with the flipped, transposed filters
// (wino_filter_f32 with flip); wrt the filters, dM = A dY A^T per tile (wino_grad_f32), the GEMMs
// dU[xi] = dM[xi] V[xi]^T, and dg = G^T dU G (wino_filter_grad_f32).
//   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
//   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
// (interpolation points 0, -1, 1, 1/2, -1/2 and infinity, as cuDNN's and NNPACK's F(4x4, 3x3)).
// Tiles: an output of OH x OW has TH x TW = ceil(OH/4) x ceil(OW/4) tiles per sample, tile
// p = (n*TH + th)*TW + tw; the transformed arrays are [36][rows][P] with P columns per row (the
// caller's chunk of samples), the tiles of a sample's row of tiles contiguous: the transforms run
// over 4 tiles at a time in SIMD lanes.

// Lanes [0, n) of v to p (n < 4), and floats [0, n) at p into lanes (zeros after n): the tails of
// rows of tiles, out of line.
function storePart(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
function loadPart(p: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  if (n > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}
// @ts-ignore: decorator
@inline function storeLanes(p: usize, v: v128, n: i32): void { if (n >= 4) v128.store(p, v); else if (n > 0) storePart(p, v, n); }
// @ts-ignore: decorator
@inline function loadLanes(p: usize, n: i32): v128 { return n >= 4 ? v128.load(p) : loadPart(p, n); }

// @ts-ignore: decorator
@inline function k4(v: v128, c: f32): v128 { return f32x4.mul(v, f32x4.splat(c)); }

// B^T x for x = (x0 .. x5) (six vectors), stored as six vectors `stride` bytes apart (lanes [0, n)).
// @ts-ignore: decorator
@inline function bt(q: usize, stride: usize, x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, n: i32): void {
  const a = f32x4.sub(x4, k4(x2, 4)), b = f32x4.sub(x3, k4(x1, 4));
  const c = f32x4.sub(x4, x2), e = k4(f32x4.sub(x3, x1), 2);
  storeLanes(q, f32x4.add(f32x4.sub(k4(x0, 4), k4(x2, 5)), x4), n);
  storeLanes(q + stride, f32x4.add(a, b), n);
  storeLanes(q + 2 * stride, f32x4.sub(a, b), n);
  storeLanes(q + 3 * stride, f32x4.add(c, e), n);
  storeLanes(q + 4 * stride, f32x4.sub(c, e), n);
  storeLanes(q + 5 * stride, f32x4.add(f32x4.sub(k4(x1, 4), k4(x3, 5)), x5), n);
}

// A^T x for x = (x0 .. x5), as four vectors `stride` bytes apart.
// @ts-ignore: decorator
@inline function at(q: usize, stride: usize, x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128): void {
  const s12 = f32x4.add(x1, x2), d12 = f32x4.sub(x1, x2), s34 = f32x4.add(x3, x4), d34 = f32x4.sub(x3, x4);
  v128.store(q, f32x4.add(f32x4.add(x0, s12), s34));
  v128.store(q + stride, f32x4.add(d12, k4(d34, 2)));
  v128.store(q + 2 * stride, f32x4.add(s12, k4(s34, 4)));
  v128.store(q + 3 * stride, f32x4.add(f32x4.add(d12, k4(d34, 8)), x5));
}

// A x for x = (x0 .. x3) (the transpose of A^T: 4 -> 6), as six vectors `stride` bytes apart (lanes [0, n)).
// @ts-ignore: decorator
@inline function ax(q: usize, stride: usize, x0: v128, x1: v128, x2: v128, x3: v128, n: i32): void {
  const s02 = f32x4.add(x0, x2), s13 = f32x4.add(x1, x3);
  const f02 = f32x4.add(x0, k4(x2, 4)), f13 = f32x4.add(k4(x1, 2), k4(x3, 8));
  storeLanes(q, x0, n);
  storeLanes(q + stride, f32x4.add(s02, s13), n);
  storeLanes(q + 2 * stride, f32x4.sub(s02, s13), n);
  storeLanes(q + 3 * stride, f32x4.add(f02, f13), n);
  storeLanes(q + 4 * stride, f32x4.sub(f02, f13), n);
  storeLanes(q + 5 * stride, x3, n);
}

// The 4x4 transpose of the vectors at p, p+16, p+32, p+48 into q .. q+48.
// @ts-ignore: decorator
@inline function transpose4(q: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(q, v128.shuffle<i64>(t0, t1, 0, 2)); v128.store(q, v128.shuffle<i64>(t0, t1, 1, 3), 16);
  v128.store(q, v128.shuffle<i64>(t2, t3, 0, 2), 32); v128.store(q, v128.shuffle<i64>(t2, t3, 1, 3), 48);
}

// The floats of one padded input row: dst[q] = row y of the plane at column q - pl, zero outside the
// plane (L a multiple of 4). Vector loops: rows are a few dozen floats, where memory.fill/copy calls cost more.
function fillRow(dst: usize, plane: usize, y: i32, H: i32, W: i32, pl: i32, L: i32): void {
  const z = f32x4.splat(0), Lb = <usize>L << 2;
  for (let o: usize = 0; o < Lb; o += 16) v128.store(dst + o, z);
  if (y < 0 || y >= H) return;
  const q0 = min(max(pl, 0), L), q1 = min(max(W + pl, q0), L);
  const d = dst + (<usize>q0 << 2), s = plane + (<usize>(y * W + q0 - pl) << 2), nb = <usize>(q1 - q0) << 2;
  let o: usize = 0;
  for (; o + 16 <= nb; o += 16) v128.store(d + o, v128.load(s + o));
  for (; o < nb; o += 4) store<f32>(d + o, load<f32>(s + o));
}

// Floats in one padded row: the patches of TW tiles (rounded up to 4) plus the last patch's overhang.
// @ts-ignore: decorator
@inline function rowFloats(TW: i32): i32 { return ((TW + 3) & ~3) * 4 + 4; }

// The workspace wino_input_f32 needs: six padded rows and their transforms, and a 4x4 transpose.
export function wino_input_f32_workspace(OW: i32): i32 { return rowFloats((OW + 3) >> 2) * 48 + 64; }

// V[xi][c][p] for cnt samples of x ([cnt, C, H, W]) whose output is OH x OW (top/left padding pt,
// pl); the first sample's tiles start at column 0 of v, rows of P floats. ws: wino_input_f32_workspace(OW) bytes.
export function wino_input_f32(x: usize, v: usize, cnt: i32, C: i32, H: i32, W: i32, OH: i32, OW: i32,
  pt: i32, pl: i32, P: i32, ws: usize): void {
  const TH = (OH + 3) >> 2, TW = (OW + 3) >> 2, L = rowFloats(TW);
  const Lb = <usize>L << 2, cs = <usize>P << 2, xs = <usize>C * cs;
  const rows = ws, tr = ws + 6 * Lb, tq = tr + 6 * Lb; // input rows, B^T d rows, a transposed block
  for (let n = 0; n < cnt; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + ((<usize>(n * C + c) * <usize>H * <usize>W) << 2);
      for (let th = 0; th < TH; th++) {
        for (let r = 0; r < 6; r++) fillRow(rows + <usize>r * Lb, plane, 4 * th - pt + r, H, W, pl, L);
        for (let o: usize = 0; o < Lb; o += 16) {
          const s = rows + o;
          bt(tr + o, Lb, v128.load(s), v128.load(s + Lb), v128.load(s + 2 * Lb), v128.load(s + 3 * Lb),
            v128.load(s + 4 * Lb), v128.load(s + 5 * Lb), 4);
        }
        // columns, four tiles per vector: tile t's patch columns are 4t .. 4t+5
        const dst = v + ((<usize>(n * TH + th) * <usize>TW) << 2) + <usize>c * cs;
        for (let tw = 0; tw < TW; tw += 4) {
          const left = TW - tw;
          for (let i = 0; i < 6; i++) {
            const r = tr + <usize>i * Lb + (<usize>tw << 4);
            const x4 = v128.load(r, 64);
            transpose4(tq, v128.load(r), v128.load(r, 16), v128.load(r, 32), v128.load(r, 48));
            const c0 = v128.load(tq), c1 = v128.load(tq, 16);
            bt(dst + (<usize>tw << 2) + <usize>(6 * i) * xs, xs, c0, c1, v128.load(tq, 32), v128.load(tq, 48),
              v128.shuffle<f32>(c0, x4, 1, 2, 3, 4), v128.shuffle<f32>(c1, x4, 1, 2, 3, 5), left);
          }
        }
      }
    }
  }
}

// The workspace of wino_output_f32 and wino_grad_f32: 24 vectors and a transposed block.
export function wino_tile_workspace(): i32 { return 28 * 16; }

// y[n][k] (OH x OW planes of cnt samples, contiguous) = A^T M A per tile, plus bias[k] (bias 0: none).
// M's rows hold P floats; the first sample's tiles start at column 0. The last vector of a row of
// tiles reads up to 3 floats past the row's tiles (the caller leaves 16 bytes after M). ws: wino_tile_workspace() bytes.
export function wino_output_f32(m: usize, y: usize, bias: usize, cnt: i32, K: i32, OH: i32, OW: i32, P: i32, ws: usize): void {
  const TH = (OH + 3) >> 2, TW = (OW + 3) >> 2;
  const ks = <usize>P << 2, xs = <usize>K * ks, rowb = <usize>OW << 2;
  const yv = ws + 24 * 16;
  for (let n = 0; n < cnt; n++) {
    for (let k = 0; k < K; k++) {
      const bv = bias ? v128.load32_splat(bias + (<usize>k << 2)) : f32x4.splat(0);
      const plane = y + ((<usize>(n * K + k) * <usize>OH * <usize>OW) << 2);
      for (let th = 0; th < TH; th++) {
        const src = m + <usize>k * ks + ((<usize>(n * TH + th) * <usize>TW) << 2);
        for (let tw = 0; tw < TW; tw += 4) {
          const s = src + (<usize>tw << 2);
          // ws[r][j] = (A^T M)[r][j] for four tiles
          for (let j = 0; j < 6; j++) {
            const q = s + <usize>j * xs;
            at(ws + <usize>j * 16, 96, v128.load(q), v128.load(q + 6 * xs), v128.load(q + 12 * xs), v128.load(q + 18 * xs),
              v128.load(q + 24 * xs), v128.load(q + 30 * xs));
          }
          for (let r = 0; r < 4 && 4 * th + r < OH; r++) {
            const w = ws + <usize>r * 96;
            at(yv, 16, v128.load(w), v128.load(w, 16), v128.load(w, 32), v128.load(w, 48), v128.load(w, 64), v128.load(w, 80));
            // lanes are tiles: transposed, each vector is one tile's four outputs of row r
            const y0 = f32x4.add(v128.load(yv), bv), y1 = f32x4.add(v128.load(yv, 16), bv);
            const y2 = f32x4.add(v128.load(yv, 32), bv), y3 = f32x4.add(v128.load(yv, 48), bv);
            transpose4(yv, y0, y1, y2, y3);
            const row = plane + <usize>(4 * th + r) * rowb + (<usize>tw << 4);
            for (let t = 0; t < 4; t++) storeLanes(row + (<usize>t << 4), v128.load(yv + (<usize>t << 4)), OW - 4 * (tw + t));
          }
        }
      }
    }
  }
}

// dM[xi][k][p] = (A dY A^T)[i][j] per tile of cnt samples of dy ([cnt, K, OH, OW]); outputs past the
// plane's edge count as zero. Rows of P floats; the first sample's tiles start at column 0. ws: wino_tile_workspace() bytes.
export function wino_grad_f32(gy: usize, dm: usize, cnt: i32, K: i32, OH: i32, OW: i32, P: i32, ws: usize): void {
  const TH = (OH + 3) >> 2, TW = (OW + 3) >> 2;
  const ks = <usize>P << 2, xs = <usize>K * ks, rowb = <usize>OW << 2;
  const z = f32x4.splat(0), tq = ws + 24 * 16;
  for (let n = 0; n < cnt; n++) {
    for (let k = 0; k < K; k++) {
      const plane = gy + ((<usize>(n * K + k) * <usize>OH * <usize>OW) << 2);
      for (let th = 0; th < TH; th++) {
        const dst = dm + <usize>k * ks + ((<usize>(n * TH + th) * <usize>TW) << 2);
        for (let tw = 0; tw < TW; tw += 4) {
          // ws[r][j] = (dY A^T)[r][j] for four tiles: row r's columns, transposed into lanes of tiles
          for (let r = 0; r < 4; r++) {
            let x0 = z, x1 = z, x2 = z, x3 = z;
            if (4 * th + r < OH) {
              const p = plane + <usize>(4 * th + r) * rowb + (<usize>tw << 4), left = OW - 4 * tw;
              x0 = loadLanes(p, left); x1 = loadLanes(p + 16, left - 4);
              x2 = loadLanes(p + 32, left - 8); x3 = loadLanes(p + 48, left - 12);
            }
            transpose4(tq, x0, x1, x2, x3);
            ax(ws + <usize>r * 96, 16, v128.load(tq), v128.load(tq, 16), v128.load(tq, 32), v128.load(tq, 48), 4);
          }
          const q = dst + (<usize>tw << 2), tl = TW - tw;
          for (let j = 0; j < 6; j++) {
            const w = ws + <usize>j * 16;
            ax(q + <usize>j * xs, 6 * xs, v128.load(w), v128.load(w, 96), v128.load(w, 192), v128.load(w, 288), tl);
          }
        }
      }
    }
  }
}

// G (6 x 3) = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]:
// U = G g G^T and dg = G^T dU G in float64, rounded once. ws: 18 float64 (the half-transformed
// filter); the callers are single-threaded.

// G x for x = (a, b, c): six float64 values `stride` bytes apart, as float64 (f64) or float32.
// @ts-ignore: decorator
@inline function g6<T>(q: usize, stride: usize, a: f64, b: f64, c: f64): void {
  const s = (a + c) / 6, t = a / 24 + c / 6, e = b / 12;
  store<T>(q, <T>(a / 4));
  store<T>(q + stride, <T>(-s - b / 6));
  store<T>(q + 2 * stride, <T>(-s + b / 6));
  store<T>(q + 3 * stride, <T>(t + e));
  store<T>(q + 4 * stride, <T>(t - e));
  store<T>(q + 5 * stride, <T>c);
}

// G^T x for x = (x0 .. x5): three float64 values `stride` bytes apart, as T.
// @ts-ignore: decorator
@inline function g3<T>(q: usize, stride: usize, x0: f64, x1: f64, x2: f64, x3: f64, x4: f64, x5: f64): void {
  const s12 = (x1 + x2) / 6, s34 = x3 + x4;
  store<T>(q, <T>(x0 / 4 - s12 + s34 / 24));
  store<T>(q + stride, <T>((x2 - x1) / 6 + (x3 - x4) / 12));
  store<T>(q + 2 * stride, <T>(-s12 + s34 / 6 + x5));
}

// U = G g G^T for the O x C filters g of w ([O, C, 3, 3]): U[xi][o][c], or with flip the filters of
// the input gradient, g'[c][o] = g[o][c] rotated by 180 degrees, as U[xi][c][o].
export function wino_filter_f32(w: usize, u: usize, O: i32, C: i32, flip: i32, ws: usize): void {
  const xs = <usize>O * <usize>C << 2;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const g = w + ((<usize>(o * C + c) * 9) << 2);
      // ws[i][b] = (G g)[i][b]: column b of g (flipped: column 2 - b read bottom-up)
      for (let b = 0; b < 3; b++) {
        const e0 = flip ? 8 - b : b, e1 = flip ? 5 - b : 3 + b, e2 = flip ? 2 - b : 6 + b;
        g6<f64>(ws + (<usize>b << 3), 24, load<f32>(g + (<usize>e0 << 2)), load<f32>(g + (<usize>e1 << 2)), load<f32>(g + (<usize>e2 << 2)));
      }
      const d = u + ((flip ? <usize>(c * O + o) : <usize>(o * C + c)) << 2);
      for (let i = 0; i < 6; i++) {
        const r = ws + <usize>i * 24;
        g6<f32>(d + <usize>(6 * i) * xs, xs, load<f64>(r), load<f64>(r, 8), load<f64>(r, 16));
      }
    }
  }
}

// dw[o][c] (3 x 3) = G^T dU[.][o][c] G for the filter-transform gradients du ([36][O][C]).
export function wino_filter_grad_f32(du: usize, dw: usize, O: i32, C: i32, ws: usize): void {
  const xs = <usize>O * <usize>C << 2;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const s = du + (<usize>(o * C + c) << 2);
      // ws[a][j] = (G^T dU)[a][j]
      for (let j = 0; j < 6; j++) {
        const q = s + <usize>j * xs;
        g3<f64>(ws + (<usize>j << 3), 48, load<f32>(q), load<f32>(q + 6 * xs), load<f32>(q + 12 * xs), load<f32>(q + 18 * xs),
          load<f32>(q + 24 * xs), load<f32>(q + 30 * xs));
      }
      const d = dw + ((<usize>(o * C + c) * 9) << 2);
      for (let a = 0; a < 3; a++) {
        const r = ws + <usize>a * 48;
        g3<f32>(d + (<usize>(3 * a) << 2), 4, load<f64>(r), load<f64>(r, 8), load<f64>(r, 16), load<f64>(r, 24), load<f64>(r, 32), load<f64>(r, 40));
      }
    }
  }
}

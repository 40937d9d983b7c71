// Entry of the Winograd add-on module (build/out/webtorch_winograd.wasm, importing the main module's
// memory; ts/backend/wasm/runtime.ts adds its exports to the kernels where it loads).
// Winograd F(2x2, 3x3) convolution transforms (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016), float32. A 3x3 stride-1 correlation is computed per 2x2 output tile from
// the tile's 4x4 input patch d as  Y = A^T [ sum_c (G g G^T) (.) (B^T d B) ] A,  so each output
// needs 16/4 = 4 multiplies per input channel instead of 9; the sum over channels is one GEMM per
// transformed position xi = 4*i + j (16 of them, run by the caller through gemm_f32):
//   U[xi][k][c] = (G g[k][c] G^T)[i][j]       filters    (wino_filter_f32)
//   V[xi][c][p] = (B^T d[c][p] B)[i][j]       input tiles (wino_input_f32)
//   M[xi][k][p] = sum_c U[xi][k][c] V[xi][c][p]   (GEMM)
//   y tile p of plane k = A^T M[.][k][p] A      (wino_output_f32)
// The gradients: wrt the input it is the same correlation of dy with the flipped, transposed filters
// (wino_filter_f32 with flip); wrt the filters, dM = A dY A^T per tile (wino_grad_f32), the GEMMs
// dU[xi] = dM[xi] V[xi]^T, and dg = G^T dU G (wino_filter_grad_f32).
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
// B and A hold only 0 and +-1 and G halves, so the transforms only add and subtract: results stay
// within float32 rounding of im2col's (F(4x4, 3x3), 2.25 multiplies per output, was measured 18%
// faster on the current MNIST net's step but rounds about 16 times worse, beyond PyTorch's fixtures'
// float32 tolerance, so it is not used).
// Tiles: an output of OH x OW has TH x TW = ceil(OH/2) x ceil(OW/2) tiles per sample, tile
// p = (n*TH + th)*TW + tw; the transformed arrays are [16][rows][P] with P columns per row (the
// caller's chunk of samples). The transforms run over four consecutive tiles of a sample at a time
// in SIMD lanes (across rows of tiles), so only a sample's last few fill part of a vector.

// Lanes [0, n) of v to p (n >= 1): the tail of a sample's tiles, out of line. (expv.ts's storeTail
// is the same, but importing that file would bring its constant table, a data segment, which an
// add-on must not have: build-wasm.mjs checks.)
function storePart(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
// @ts-ignore: decorator
@inline function storeLanes(p: usize, v: v128, n: i32): void { if (n >= 4) v128.store(p, v); else storePart(p, v, n); }

// 4x4 transposes in registers: with t0 = lo(x0, x1), t1 = lo(x2, x3), t2 = hi(x0, x1), t3 = hi(x2, x3),
// column j of the rows x0..x3 is lo64(t0, t1), hi64(t0, t1), lo64(t2, t3), hi64(t2, t3) for j = 0..3.
// @ts-ignore: decorator
@inline function lo(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); }
// @ts-ignore: decorator
@inline function hi(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); }
// @ts-ignore: decorator
@inline function lo64(a: v128, b: v128): v128 { return v128.shuffle<i64>(a, b, 0, 2); }
// @ts-ignore: decorator
@inline function hi64(a: v128, b: v128): v128 { return v128.shuffle<i64>(a, b, 1, 3); }

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

// Floats in one padded row: the patches of TW tiles plus the last patch's overhang, a multiple of 4.
// @ts-ignore: decorator
@inline function rowFloats(TW: i32): i32 { return (2 * TW + 5) & ~3; }

// The workspace wino_input_f32 needs: the 2 TH + 2 padded rows the tiles read, and the B^T d rows of every row of tiles.
export function wino_input_f32_workspace(OH: i32, OW: i32): i32 { return rowFloats((OW + 1) >> 1) * 4 * (6 * ((OH + 1) >> 1) + 2) + wino_tiles_workspace(OH, OW); }

// Writes, for each of a plane's T tiles (TW per row of tiles), the byte offset of its top-left in a
// buffer whose rows of tiles are `rowBytes` apart and tile columns `colBytes`, as i32s at tab, plus
// flags in the low bits (offsets are multiples of 4): 1 where the tile's second column is inside
// the plane (2 tw + 1 < OW), 2 where its second row is (2 th + 1 < OH). Going four tiles at a time
// across rows of tiles, the kernels look offsets up instead of dividing.
function tileTable(tab: usize, TH: i32, TW: i32, rowBytes: usize, colBytes: usize, OH: i32, OW: i32): void {
  for (let th = 0; th < TH; th++) {
    for (let tw = 0; tw < TW; tw++) {
      const f = (2 * tw + 1 < OW ? 1 : 0) | (2 * th + 1 < OH ? 2 : 0);
      store<i32>(tab + (<usize>(th * TW + tw) << 2), <i32>(<usize>th * rowBytes + <usize>tw * colBytes) | f);
    }
  }
}
// @ts-ignore: decorator
@inline function tileOffset(tab: usize, t: i32): usize { return <usize>(load<i32>(tab + (<usize>t << 2)) & ~3); }
// @ts-ignore: decorator
@inline function tileFlags(tab: usize, t: i32): i32 { return load<i32>(tab + (<usize>t << 2)) & 3; }

/** The workspace of wino_output_f32 and wino_grad_f32: the tile table. */
export function wino_tiles_workspace(OH: i32, OW: i32): i32 { return (((OH + 1) >> 1) * ((OW + 1) >> 1)) * 4 + 16; }

// B^T x for x = (x0 .. x3): [x0 - x2, x1 + x2, x2 - x1, x1 - x3], `stride` bytes apart (lanes [0, n)).
// @ts-ignore: decorator
@inline function bt(q: usize, stride: usize, x0: v128, x1: v128, x2: v128, x3: v128, n: i32): void {
  storeLanes(q, f32x4.sub(x0, x2), n);
  storeLanes(q + stride, f32x4.add(x1, x2), n);
  storeLanes(q + 2 * stride, f32x4.sub(x2, x1), n);
  storeLanes(q + 3 * stride, f32x4.sub(x1, x3), n);
}

// A x for x = (x0, x1) (the transpose of A^T: 2 -> 4): [x0, x0 + x1, x0 - x1, -x1], `stride` bytes apart.
// @ts-ignore: decorator
@inline function ax(q: usize, stride: usize, x0: v128, x1: v128, n: i32): void {
  storeLanes(q, x0, n);
  storeLanes(q + stride, f32x4.add(x0, x1), n);
  storeLanes(q + 2 * stride, f32x4.sub(x0, x1), n);
  storeLanes(q + 3 * stride, f32x4.neg(x1), n);
}

// V[xi][c][p] for cnt samples of x ([cnt, C, H, W]) whose output is OH x OW (top/left padding pt,
// pl); the first sample's tiles start at column 0 of v, rows of P floats.
// ws: wino_input_f32_workspace(OH, OW) bytes.
export function wino_input_f32(x: usize, v: usize, cnt: i32, C: i32, H: i32, W: i32, OH: i32, OW: i32,
  pt: i32, pl: i32, P: i32, ws: usize): void {
  const TH = (OH + 1) >> 1, TW = (OW + 1) >> 1, T = TH * TW, L = rowFloats(TW);
  const Lb = <usize>L << 2, cs = <usize>P << 2, xs = <usize>C * cs;
  // padded input rows (each filled once: neighbouring rows of tiles share two); B^T d: four rows per row of tiles; tiles
  const rows = ws, tr = ws + <usize>(2 * TH + 2) * Lb, tab = tr + <usize>(4 * TH) * Lb;
  tileTable(tab, TH, TW, 4 * Lb, 8, OH, OW);
  for (let n = 0; n < cnt; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + ((<usize>(n * C + c) * <usize>H * <usize>W) << 2);
      for (let r = 0; r < 2 * TH + 2; r++) fillRow(rows + <usize>r * Lb, plane, r - pt, H, W, pl, L);
      for (let th = 0; th < TH; th++) {
        const t4 = tr + <usize>(4 * th) * Lb, r4 = rows + <usize>(2 * th) * Lb;
        for (let o: usize = 0; o < Lb; o += 16) {
          const s = r4 + o;
          bt(t4 + o, Lb, v128.load(s), v128.load(s + Lb), v128.load(s + 2 * Lb), v128.load(s + 3 * Lb), 4);
        }
      }
      // columns, four tiles per vector: tile t's patch is columns 2t .. 2t+3 of its row of tiles
      const dst = v + ((<usize>(n * T)) << 2) + <usize>c * cs;
      for (let p = 0; p < T; p += 4) {
        const a0 = tr + tileOffset(tab, p), a1 = tr + tileOffset(tab, min(p + 1, T - 1));
        const a2 = tr + tileOffset(tab, min(p + 2, T - 1)), a3 = tr + tileOffset(tab, min(p + 3, T - 1));
        for (let i = 0; i < 4; i++) {
          const o = <usize>i * Lb;
          const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o), x2 = v128.load(a2 + o), x3 = v128.load(a3 + o);
          const t0 = lo(x0, x1), t1 = lo(x2, x3), t2 = hi(x0, x1), t3 = hi(x2, x3);
          bt(dst + (<usize>p << 2) + <usize>(4 * i) * xs, xs, lo64(t0, t1), hi64(t0, t1), lo64(t2, t3), hi64(t2, t3), T - p);
        }
      }
    }
  }
}

// Stores the two outputs of a tile's row held in lanes (2t, 2t+1) of q (t = tile within the vector
// pair), only the first where the tile's second column is past the edge.
// @ts-ignore: decorator
@inline function storePair(p: usize, q: v128, lane: i32, two: bool): void {
  if (two) {
    if (lane == 0) v128.store64_lane(p, q, 0); else v128.store64_lane(p, q, 1);
  } else {
    store<f32>(p, lane == 0 ? f32x4.extract_lane(q, 0) : f32x4.extract_lane(q, 2));
  }
}

// y[n][k] (OH x OW planes of cnt samples, contiguous) = A^T M A per tile, plus bias[k] (bias 0: none).
// M's rows hold P floats; the first sample's tiles start at column 0. The last vector of a sample
// reads up to 3 floats past its tiles (the caller leaves 16 bytes after M). ws: wino_tiles_workspace(OH, OW) bytes.
export function wino_output_f32(m: usize, y: usize, bias: usize, cnt: i32, K: i32, OH: i32, OW: i32, P: i32, ws: usize): void {
  const TH = (OH + 1) >> 1, TW = (OW + 1) >> 1, T = TH * TW;
  const ks = <usize>P << 2, xs = <usize>K * ks, rowb = <usize>OW << 2;
  tileTable(ws, TH, TW, 2 * rowb, 8, OH, OW);
  for (let n = 0; n < cnt; n++) {
    for (let k = 0; k < K; k++) {
      const bv = bias ? v128.load32_splat(bias + (<usize>k << 2)) : f32x4.splat(0);
      const plane = y + ((<usize>(n * K + k) * <usize>OH * <usize>OW) << 2);
      const src = m + <usize>k * ks + ((<usize>(n * T)) << 2);
      for (let p = 0; p < T; p += 4) {
        const s = src + (<usize>p << 2);
        // rows of A^T M: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j
        let s00: v128, s01: v128, s02: v128, s03: v128, s10: v128, s11: v128, s12: v128, s13: v128;
        {
          const m0 = v128.load(s), m4 = v128.load(s + 4 * xs), m8 = v128.load(s + 8 * xs), m12 = v128.load(s + 12 * xs);
          s00 = f32x4.add(m0, f32x4.add(m4, m8)); s10 = f32x4.sub(f32x4.sub(m4, m8), m12);
        }
        {
          const m1 = v128.load(s + xs), m5 = v128.load(s + 5 * xs), m9 = v128.load(s + 9 * xs), m13 = v128.load(s + 13 * xs);
          s01 = f32x4.add(m1, f32x4.add(m5, m9)); s11 = f32x4.sub(f32x4.sub(m5, m9), m13);
        }
        {
          const m2 = v128.load(s + 2 * xs), m6 = v128.load(s + 6 * xs), m10 = v128.load(s + 10 * xs), m14 = v128.load(s + 14 * xs);
          s02 = f32x4.add(m2, f32x4.add(m6, m10)); s12 = f32x4.sub(f32x4.sub(m6, m10), m14);
        }
        {
          const m3 = v128.load(s + 3 * xs), m7 = v128.load(s + 7 * xs), m11 = v128.load(s + 11 * xs), m15 = v128.load(s + 15 * xs);
          s03 = f32x4.add(m3, f32x4.add(m7, m11)); s13 = f32x4.sub(f32x4.sub(m7, m11), m15);
        }
        const y00 = f32x4.add(f32x4.add(s00, f32x4.add(s01, s02)), bv);
        const y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), bv);
        const y10 = f32x4.add(f32x4.add(s10, f32x4.add(s11, s12)), bv);
        const y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), bv);
        // per tile, its two columns side by side: tiles 0, 1 in lo, 2, 3 in hi
        const lo0 = lo(y00, y01), hi0 = hi(y00, y01), lo1 = lo(y10, y11), hi1 = hi(y10, y11);
        const nt = min(4, T - p);
        if (nt == 4 && tileFlags(ws, p + 3) == 3 && tileOffset(ws, p + 3) == tileOffset(ws, p) + 24) {
          // four whole tiles side by side in one row of tiles: two rows of 8 outputs
          const q = plane + tileOffset(ws, p);
          v128.store(q, lo0); v128.store(q, hi0, 16);
          v128.store(q + rowb, lo1); v128.store(q + rowb, hi1, 16);
          continue;
        }
        for (let t = 0; t < nt; t++) {
          const q = plane + tileOffset(ws, p + t), f = tileFlags(ws, p + t), two = (f & 1) != 0, second = (f & 2) != 0;
          const a = t < 2 ? lo0 : hi0, b = t < 2 ? lo1 : hi1, lane = t & 1;
          storePair(q, a, lane, two);
          if (second) storePair(q + rowb, b, lane, two);
        }
      }
    }
  }
}

// One tile's 2x2 output gradient (row-major in lanes 0..3) at q with tileTable's flags f, zero past the plane's edges.
// @ts-ignore: decorator
@inline function gradTile(q: usize, f: i32, rowb: usize): v128 {
  const second = (f & 2) != 0;
  if (f & 1) {
    const v = v128.load64_zero(q);
    return second ? v128.load64_lane(q + rowb, v, 1) : v;
  }
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(q));
  if (second) v = f32x4.replace_lane(v, 2, load<f32>(q + rowb));
  return v;
}

// dM[xi][k][p] = (A dY A^T)[i][j] per tile of cnt samples of dy ([cnt, K, OH, OW]); outputs past the
// plane's edge count as zero. Rows of P floats; the first sample's tiles start at column 0.
// ws: wino_tiles_workspace(OH, OW) bytes.
export function wino_grad_f32(gy: usize, dm: usize, cnt: i32, K: i32, OH: i32, OW: i32, P: i32, ws: usize): void {
  const TH = (OH + 1) >> 1, TW = (OW + 1) >> 1, T = TH * TW;
  const ks = <usize>P << 2, xs = <usize>K * ks, rowb = <usize>OW << 2;
  tileTable(ws, TH, TW, 2 * rowb, 8, OH, OW);
  for (let n = 0; n < cnt; n++) {
    for (let k = 0; k < K; k++) {
      const plane = gy + ((<usize>(n * K + k) * <usize>OH * <usize>OW) << 2);
      const dst = dm + <usize>k * ks + ((<usize>(n * T)) << 2);
      for (let p = 0; p < T; p += 4) {
        const nt = min(4, T - p);
        let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0;
        for (let t = 0; t < nt; t++) {
          const e = gradTile(plane + tileOffset(ws, p + t), tileFlags(ws, p + t), rowb);
          if (t == 0) x0 = e; else if (t == 1) x1 = e; else if (t == 2) x2 = e; else x3 = e;
        }
        // lanes are tiles: d00, d01 (row 0), d10, d11 (row 1)
        const t0 = lo(x0, x1), t1 = lo(x2, x3), t2 = hi(x0, x1), t3 = hi(x2, x3);
        const d00 = lo64(t0, t1), d01 = hi64(t0, t1), d10 = lo64(t2, t3), d11 = hi64(t2, t3);
        // rows of A dY: [d0, d0 + d1, d0 - d1, -d1] (per tile column), then the same over columns
        const q = dst + (<usize>p << 2);
        ax(q, xs, d00, d01, nt);
        ax(q + 4 * xs, xs, f32x4.add(d00, d10), f32x4.add(d01, d11), nt);
        ax(q + 8 * xs, xs, f32x4.sub(d00, d10), f32x4.sub(d01, d11), nt);
        ax(q + 12 * xs, xs, f32x4.neg(d10), f32x4.neg(d11), nt);
      }
    }
  }
}

// G (4 x 3) = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]: U = G g G^T and dg = G^T dU G. ws: 12 floats
// (the half-transformed filter); the callers are single-threaded.

// G x for x = (a, b, c): four values `stride` bytes apart.
// @ts-ignore: decorator
@inline function g4(q: usize, stride: usize, a: f32, b: f32, c: f32): void {
  store<f32>(q, a);
  store<f32>(q + stride, (a + b + c) * 0.5);
  store<f32>(q + 2 * stride, (a - b + c) * 0.5);
  store<f32>(q + 3 * stride, c);
}

// G^T x for x = (x0 .. x3): three values `stride` bytes apart.
// @ts-ignore: decorator
@inline function g3(q: usize, stride: usize, x0: f32, x1: f32, x2: f32, x3: f32): void {
  store<f32>(q, x0 + (x1 + x2) * 0.5);
  store<f32>(q + stride, (x1 - x2) * 0.5);
  store<f32>(q + 2 * stride, (x1 + x2) * 0.5 + x3);
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
        g4(ws + (<usize>b << 2), 12, load<f32>(g + (<usize>e0 << 2)), load<f32>(g + (<usize>e1 << 2)), load<f32>(g + (<usize>e2 << 2)));
      }
      const d = u + ((flip ? <usize>(c * O + o) : <usize>(o * C + c)) << 2);
      for (let i = 0; i < 4; i++) {
        const r = ws + <usize>i * 12;
        g4(d + <usize>(4 * i) * xs, xs, load<f32>(r), load<f32>(r, 4), load<f32>(r, 8));
      }
    }
  }
}

// dw[o][c] (3 x 3) = G^T dU[.][o][c] G for the filter-transform gradients du ([16][O][C]).
export function wino_filter_grad_f32(du: usize, dw: usize, O: i32, C: i32, ws: usize): void {
  const xs = <usize>O * <usize>C << 2;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const s = du + (<usize>(o * C + c) << 2);
      // ws[a][j] = (G^T dU)[a][j]
      for (let j = 0; j < 4; j++) {
        const q = s + <usize>j * xs;
        g3(ws + (<usize>j << 2), 16, load<f32>(q), load<f32>(q + 4 * xs), load<f32>(q + 8 * xs), load<f32>(q + 12 * xs));
      }
      const d = dw + ((<usize>(o * C + c) * 9) << 2);
      for (let a = 0; a < 3; a++) {
        const r = ws + <usize>a * 16;
        g3(d + (<usize>(3 * a) << 2), 4, load<f32>(r), load<f32>(r, 4), load<f32>(r, 8), load<f32>(r, 12));
      }
    }
  }
}

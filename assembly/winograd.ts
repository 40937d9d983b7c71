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
// B and A hold only 0 and +-1 and G halves, so the transforms add and subtract (exactly scaled).
// Tiles: an output of OH x OW has TH x TW = ceil(OH/2) x ceil(OW/2) tiles per sample, tile
// p = (n*TH + th)*TW + tw; the transformed arrays are [16][rows][P] with P columns per row (the
// caller's chunk of samples), the tiles of a sample's row of tiles contiguous: the transforms run
// over 4 tiles at a time in SIMD lanes.

// @ts-ignore: decorator
@inline function evens(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 2, 4, 6); }
// @ts-ignore: decorator
@inline function odds(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 1, 3, 5, 7); }

// Lanes [0, n) of v to p (n < 4), and floats [0, n) at p into lanes (zeros after n): the tails of
// rows of tiles, out of line (one copy each keeps the module small).
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
@inline function storeLanes(p: usize, v: v128, n: i32): void { if (n >= 4) v128.store(p, v); else storePart(p, v, n); }
// @ts-ignore: decorator
@inline function loadLanes(p: usize, n: i32): v128 { return n >= 4 ? v128.load(p) : loadPart(p, n); }

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
@inline function rowFloats(TW: i32): i32 { return ((TW + 3) & ~3) * 2 + 4; }

// The workspace wino_input_f32 needs: four padded rows.
export function wino_input_f32_workspace(OW: i32): i32 { return rowFloats((OW + 1) >> 1) * 16; }

// V[xi][c][p] for cnt samples of x ([cnt, C, H, W]) whose output is OH x OW (top/left padding pt,
// pl); the first sample's tiles start at column 0 of v, rows of P floats. ws: wino_input_f32_workspace(OW) bytes.
export function wino_input_f32(x: usize, v: usize, cnt: i32, C: i32, H: i32, W: i32, OH: i32, OW: i32,
  pt: i32, pl: i32, P: i32, ws: usize): void {
  const TH = (OH + 1) >> 1, TW = (OW + 1) >> 1, L = rowFloats(TW);
  const Lb = <usize>L << 2, cs = <usize>P << 2, xs = <usize>C * cs;
  const r0 = ws, r1 = ws + Lb, r2 = r1 + Lb, r3 = r2 + Lb;
  for (let n = 0; n < cnt; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + ((<usize>(n * C + c) * <usize>H * <usize>W) << 2);
      for (let th = 0; th < TH; th++) {
        const y0 = 2 * th - pt;
        fillRow(r0, plane, y0, H, W, pl, L); fillRow(r1, plane, y0 + 1, H, W, pl, L);
        fillRow(r2, plane, y0 + 2, H, W, pl, L); fillRow(r3, plane, y0 + 3, H, W, pl, L);
        // rows of B^T d, in place: [d0 - d2, d1 + d2, d2 - d1, d1 - d3]
        for (let o: usize = 0; o < Lb; o += 16) {
          const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
          v128.store(r0 + o, f32x4.sub(a0, a2)); v128.store(r1 + o, f32x4.add(a1, a2));
          v128.store(r2 + o, f32x4.sub(a2, a1)); v128.store(r3 + o, f32x4.sub(a1, a3));
        }
        // columns, four tiles per vector: tile t's patch columns are 2t .. 2t+3
        const dst = v + ((<usize>(n * TH + th) * <usize>TW) << 2) + <usize>c * cs;
        for (let tw = 0; tw < TW; tw += 4) {
          const left = TW - tw;
          for (let i = 0; i < 4; i++) {
            const r = ws + <usize>i * Lb + (<usize>tw << 3);
            const a = v128.load(r), b = v128.load(r, 16), a2 = v128.load(r, 8), b2 = v128.load(r, 24);
            const c0 = evens(a, b), c1 = odds(a, b), c2 = evens(a2, b2), c3 = odds(a2, b2);
            const d = dst + (<usize>tw << 2) + <usize>(4 * i) * xs;
            storeLanes(d, f32x4.sub(c0, c2), left);
            storeLanes(d + xs, f32x4.add(c1, c2), left);
            storeLanes(d + 2 * xs, f32x4.sub(c2, c1), left);
            storeLanes(d + 3 * xs, f32x4.sub(c1, c3), left);
          }
        }
      }
    }
  }
}

// Stores an output row's pair of vectors (tile columns 0 and 1 of four tiles, interleaved) at p, n floats at most.
// @ts-ignore: decorator
@inline function storeRow(p: usize, e: v128, o: v128, n: i32): void {
  const lo = v128.shuffle<f32>(e, o, 0, 4, 1, 5), hi = v128.shuffle<f32>(e, o, 2, 6, 3, 7);
  if (n >= 8) { v128.store(p, lo); v128.store(p, hi, 16); return; }
  storeLanes(p, lo, n);
  if (n > 4) storeLanes(p + 16, hi, n - 4);
}

// y[n][k] (OH x OW planes of cnt samples, contiguous) = A^T M A per tile, plus bias[k] (bias 0: none).
// M's rows hold P floats; the first sample's tiles start at column 0. The last vector of a row of
// tiles reads up to 3 floats past the row's tiles (the caller leaves 16 bytes after M).
export function wino_output_f32(m: usize, y: usize, bias: usize, cnt: i32, K: i32, OH: i32, OW: i32, P: i32): void {
  const TH = (OH + 1) >> 1, TW = (OW + 1) >> 1;
  const ks = <usize>P << 2, xs = <usize>K * ks, rowb = <usize>OW << 2;
  for (let n = 0; n < cnt; n++) {
    for (let k = 0; k < K; k++) {
      const bv = bias ? v128.load32_splat(bias + (<usize>k << 2)) : f32x4.splat(0);
      const plane = y + ((<usize>(n * K + k) * <usize>OH * <usize>OW) << 2);
      for (let th = 0; th < TH; th++) {
        const src = m + <usize>k * ks + ((<usize>(n * TH + th) * <usize>TW) << 2);
        const row = plane + <usize>(2 * th) * rowb;
        for (let tw = 0; tw < TW; tw += 4) {
          const s = src + (<usize>tw << 2);
          // rows of A^T M: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j
          let s00: v128, s01: v128, s02: v128, s03: v128, s10: v128, s11: v128, s12: v128, s13: v128;
          {
            const m0 = v128.load(s), m4 = v128.load(s + 4 * xs), m8 = v128.load(s + 8 * xs), m12 = v128.load(s + 12 * xs);
            const t = f32x4.add(m4, m8);
            s00 = f32x4.add(m0, t); s10 = f32x4.sub(f32x4.sub(m4, m8), m12);
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
          const left = OW - 2 * tw, p = row + (<usize>tw << 3);
          storeRow(p, y00, y01, left);
          if (2 * th + 1 < OH) storeRow(p + rowb, y10, y11, left);
        }
      }
    }
  }
}

// One row i of A dY A^T for four tiles: [r0, r0 + r1, r0 - r1, -r1] at positions 4i .. 4i+3.
function gradColumns(q: usize, xs: usize, r0: v128, r1: v128, tl: i32): void {
  storeLanes(q, r0, tl); storeLanes(q + xs, f32x4.add(r0, r1), tl);
  storeLanes(q + 2 * xs, f32x4.sub(r0, r1), tl); storeLanes(q + 3 * xs, f32x4.neg(r1), tl);
}

// dM[xi][k][p] = (A dY A^T)[i][j] per tile of cnt samples of dy ([cnt, K, OH, OW]); outputs past the
// plane's edge count as zero. Rows of P floats; the first sample's tiles start at column 0.
export function wino_grad_f32(gy: usize, dm: usize, cnt: i32, K: i32, OH: i32, OW: i32, P: i32): void {
  const TH = (OH + 1) >> 1, TW = (OW + 1) >> 1;
  const ks = <usize>P << 2, xs = <usize>K * ks, rowb = <usize>OW << 2;
  const z = f32x4.splat(0);
  for (let n = 0; n < cnt; n++) {
    for (let k = 0; k < K; k++) {
      const plane = gy + ((<usize>(n * K + k) * <usize>OH * <usize>OW) << 2);
      for (let th = 0; th < TH; th++) {
        const dst = dm + <usize>k * ks + ((<usize>(n * TH + th) * <usize>TW) << 2);
        const row = plane + <usize>(2 * th) * rowb;
        const second = 2 * th + 1 < OH;
        for (let tw = 0; tw < TW; tw += 4) {
          const left = OW - 2 * tw, p = row + (<usize>tw << 3);
          const a = loadLanes(p, left), b = left > 4 ? loadLanes(p + 16, left - 4) : z;
          const c = second ? loadLanes(p + rowb, left) : z, d = second && left > 4 ? loadLanes(p + rowb + 16, left - 4) : z;
          const d00 = evens(a, b), d01 = odds(a, b), d10 = evens(c, d), d11 = odds(c, d);
          // rows of A dY: [d0, d0 + d1, d0 - d1, -d1] (per tile column), then the same over columns
          const r00 = d00, r01 = d01;
          const r10 = f32x4.add(d00, d10), r11 = f32x4.add(d01, d11);
          const r20 = f32x4.sub(d00, d10), r21 = f32x4.sub(d01, d11);
          const r30 = f32x4.neg(d10), r31 = f32x4.neg(d11);
          const q = dst + (<usize>tw << 2), tl = TW - tw;
          gradColumns(q, xs, r00, r01, tl);
          gradColumns(q + 4 * xs, xs, r10, r11, tl);
          gradColumns(q + 8 * xs, xs, r20, r21, tl);
          gradColumns(q + 12 * xs, xs, r30, r31, tl);
        }
      }
    }
  }
}

// G (4 x 3): U = G g G^T and dg = G^T dU G, as sums over its entries (a few hundred flops per
// filter, once per call: a loop keeps the module small). Computed, not a table: this module has no
// data segment, as it shares the main module's memory.
// @ts-ignore: decorator
@inline function gAt(i: i32, a: i32): f32 { return i == 1 ? 0.5 : i == 2 ? (a == 1 ? -0.5 : 0.5) : a == (i == 0 ? 0 : 2) ? 1 : 0; }

// U = G g G^T for the O x C filters g of w ([O, C, 3, 3]): U[xi][o][c], or with flip the filters of
// the input gradient, g'[c][o] = g[o][c] rotated by 180 degrees, as U[xi][c][o].
export function wino_filter_f32(w: usize, u: usize, O: i32, C: i32, flip: i32): void {
  const xs = <usize>O * <usize>C << 2;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const g = w + ((<usize>(o * C + c) * 9) << 2);
      const d = u + ((flip ? <usize>(c * O + o) : <usize>(o * C + c)) << 2);
      for (let xi = 0; xi < 16; xi++) {
        let s: f32 = 0;
        for (let e = 0; e < 9; e++) {
          s += gAt(xi >> 2, e / 3) * gAt(xi & 3, e % 3) * load<f32>(g + (<usize>(flip ? 8 - e : e) << 2));
        }
        store<f32>(d + <usize>xi * xs, s);
      }
    }
  }
}

// dw[o][c] (3 x 3) = G^T dU[.][o][c] G for the filter-transform gradients du ([16][O][C]).
export function wino_filter_grad_f32(du: usize, dw: usize, O: i32, C: i32): void {
  const xs = <usize>O * <usize>C << 2;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const s = du + (<usize>(o * C + c) << 2);
      const q = dw + ((<usize>(o * C + c) * 9) << 2);
      for (let e = 0; e < 9; e++) {
        let t: f32 = 0;
        for (let xi = 0; xi < 16; xi++) t += gAt(xi >> 2, e / 3) * gAt(xi & 3, e % 3) * load<f32>(s + <usize>xi * xs);
        store<f32>(q + (<usize>e << 2), t);
      }
    }
  }
}

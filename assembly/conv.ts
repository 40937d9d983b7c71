// Convolution helpers for im2col + GEMM: im2col / col2im over a chunk of the batch, and the
// transposes between the GEMM's [C, N*S] layout and the tensor's [N, C, S] layout.
//
// Column layout: col[r, n*OH*OW + oh*OW + ow] with r = (c*kh + i)*kw + j (row-major,
// K = C*kh*kw rows of `ld` elements, of which Nc*OH*OW are these samples' columns: a thread given a
// slice of the samples writes its columns of the rows). x is [Nc, C, H, W] contiguous. Padding is given as the
// top/left amounts only (OH/OW come from the caller), so asymmetric ('same') padding is free.

// Runs of whole 4-byte words (f32 and f64 alike): the f32 and f64 exports share one body,
// parameterized by the element size `es`, as the kernels only move or add bytes.
// @ts-ignore: decorator
@inline function copyRun(d: usize, s: usize, bytes: usize): void {
  let b: usize = 0;
  for (; b + 16 <= bytes; b += 16) v128.store(d + b, v128.load(s + b));
  for (; b < bytes; b += 4) store<i32>(d + b, load<i32>(s + b));
}
// d[0..bytes) += s[0..bytes), elements of es bytes
// @ts-ignore: decorator
@inline function addRun(d: usize, s: usize, bytes: usize, es: usize): void {
  let b: usize = 0;
  if (es == 4) {
    for (; b + 16 <= bytes; b += 16) v128.store(d + b, f32x4.add(v128.load(d + b), v128.load(s + b)));
    for (; b < bytes; b += 4) store<f32>(d + b, load<f32>(d + b) + load<f32>(s + b));
  } else {
    for (; b + 16 <= bytes; b += 16) v128.store(d + b, f64x2.add(v128.load(d + b), v128.load(s + b)));
    for (; b < bytes; b += 8) store<f64>(d + b, load<f64>(d + b) + load<f64>(s + b));
  }
}
// @ts-ignore: decorator
@inline function zeroRun(d: usize, bytes: usize): void {
  let b: usize = 0;
  const z = i32x4.splat(0);
  for (; b + 16 <= bytes; b += 16) v128.store(d + b, z);
  for (; b < bytes; b += 4) store<i32>(d + b, 0);
}

// The output positions o in [0, O) whose input position o*s + off lies inside [0, L) form one
// range [validStart, validEnd): im2col zero-fills outside it, col2im skips outside it.
// @ts-ignore: decorator
@inline function validEnd(off: i32, s: i32, L: i32, O: i32): i32 {
  const e = L - off <= 0 ? 0 : (L - off + s - 1) / s;
  return e > O ? O : e;
}
// @ts-ignore: decorator
@inline function validStart(off: i32, s: i32, end: i32): i32 {
  const b = off >= 0 ? 0 : (-off + s - 1) / s;
  return b > end ? end : b;
}

function im2col(x: usize, col: usize, Nc: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, ld: i32, es: usize): void {
  const S = OH * OW;
  const NS = <usize>ld;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const r = (c * kh + i) * kw + j;
        const rowp = col + <usize>r * NS * es;
        // output columns [ow0, ow1) and rows [oh0, oh1) whose input column / row is inside
        const off = j * dw - pw, voff = i * dh - ph;
        const ow1 = validEnd(off, sw, W, OW), ow0 = validStart(off, sw, ow1);
        const oh1 = validEnd(voff, sh, H, OH), oh0 = validStart(voff, sh, oh1);
        if (sw == 1 && ow0 == 0 && ow1 == OW) {
          // no horizontal padding: whole output rows are contiguous input runs
          const rowBytes = <usize>OW * es;
          for (let n = 0; n < Nc; n++) {
            const xc = x + (<usize>(n * C + c) * <usize>H * <usize>W) * es;
            const dst0 = rowp + <usize>n * <usize>S * es;
            if (oh0 > 0) zeroRun(dst0, <usize>oh0 * rowBytes);
            let src = xc + <usize>((oh0 * sh + voff) * W + off) * es;
            let dst = dst0 + <usize>oh0 * rowBytes;
            const srcStep = <usize>(sh * W) * es;
            for (let oh = oh0; oh < oh1; oh++) {
              copyRun(dst, src, rowBytes);
              src += srcStep; dst += rowBytes;
            }
            if (oh1 < OH) zeroRun(dst0 + <usize>oh1 * rowBytes, <usize>(OH - oh1) * rowBytes);
          }
          continue;
        }
        for (let n = 0; n < Nc; n++) {
          const xc = x + (<usize>(n * C + c) * <usize>H * <usize>W) * es;
          const dst0 = rowp + <usize>n * <usize>S * es;
          // short runs: inline SIMD copies beat memory.copy/fill calls (one call per output row)
          if (oh0 > 0) zeroRun(dst0, <usize>(oh0 * OW) * es);
          for (let oh = oh0; oh < oh1; oh++) {
            const dst = dst0 + <usize>(oh * OW) * es;
            const src = xc + <usize>((oh * sh + voff) * W) * es;
            if (ow0 > 0) zeroRun(dst, <usize>ow0 * es);
            if (sw == 1) {
              if (ow1 > ow0) copyRun(dst + <usize>ow0 * es, src + <usize>(ow0 + off) * es, <usize>(ow1 - ow0) * es);
            } else {
              for (let ow = ow0; ow < ow1; ow++) {
                const q = dst + <usize>ow * es, p = src + <usize>(ow * sw + off) * es;
                if (es == 4) store<i32>(q, load<i32>(p)); else store<i64>(q, load<i64>(p));
              }
            }
            if (ow1 < OW) zeroRun(dst + <usize>ow1 * es, <usize>(OW - ow1) * es);
          }
          if (oh1 < OH) zeroRun(dst0 + <usize>(oh1 * OW) * es, <usize>((OH - oh1) * OW) * es);
        }
      }
    }
  }
}

// dx[n, c, ih, iw] += col[r, n*S + oh*OW + ow]  (dx must be zeroed by the caller)
function col2im(col: usize, dx: usize, Nc: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, ld: i32, es: usize): void {
  const S = OH * OW;
  const NS = <usize>ld;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const r = (c * kh + i) * kw + j;
        const rowp = col + <usize>r * NS * es;
        // output columns [ow0, ow1) and rows [oh0, oh1) whose input column / row is inside
        const off = j * dw - pw, voff = i * dh - ph;
        const ow1 = validEnd(off, sw, W, OW), ow0 = validStart(off, sw, ow1);
        const oh1 = validEnd(voff, sh, H, OH), oh0 = validStart(voff, sh, oh1);
        if (sw == 1 && ow0 == 0 && ow1 == OW) {
          // no horizontal padding: add whole output rows into input rows
          for (let n = 0; n < Nc; n++) {
            const xc = dx + (<usize>(n * C + c) * <usize>H * <usize>W) * es;
            let src = rowp + (<usize>n * <usize>S + <usize>(oh0 * OW)) * es;
            let dst = xc + <usize>((oh0 * sh + voff) * W + off) * es;
            const dstStep = <usize>(sh * W) * es;
            for (let oh = oh0; oh < oh1; oh++) {
              addRun(dst, src, <usize>OW * es, es);
              src += <usize>OW * es; dst += dstStep;
            }
          }
          continue;
        }
        for (let n = 0; n < Nc; n++) {
          const xc = dx + (<usize>(n * C + c) * <usize>H * <usize>W) * es;
          const src0 = rowp + <usize>n * <usize>S * es;
          for (let oh = oh0; oh < oh1; oh++) {
            const src = src0 + <usize>(oh * OW) * es;
            const dst = xc + <usize>((oh * sh + voff) * W) * es;
            if (sw == 1) {
              if (ow1 > ow0) addRun(dst + <usize>(ow0 + off) * es, src + <usize>ow0 * es, <usize>(ow1 - ow0) * es, es);
            } else {
              for (let ow = ow0; ow < ow1; ow++) {
                const q = dst + <usize>(ow * sw + off) * es, p = src + <usize>ow * es;
                if (es == 4) store<f32>(q, load<f32>(q) + load<f32>(p)); else store<f64>(q, load<f64>(q) + load<f64>(p));
              }
            }
          }
        }
      }
    }
  }
}

// out[n, c, s] = tmp[c, n, s] + (bias ? bias[c] : 0)
// @ts-ignore: decorator
@inline function cnsToNcsT<T>(tmp: usize, out: usize, bias: usize, N: i32, C: i32, S: i32): void {
  const es = <usize>sizeof<T>();
  for (let c = 0; c < C; c++) {
    const b: T = bias ? load<T>(bias + <usize>c * es) : <T>0;
    for (let n = 0; n < N; n++) {
      const src = tmp + (<usize>c * <usize>N + <usize>n) * <usize>S * es;
      const dst = out + (<usize>n * <usize>C + <usize>c) * <usize>S * es;
      let s = 0;
      if (es == 4) {
        const bv = f32x4.splat(<f32>b);
        for (; s + 4 <= S; s += 4) v128.store(dst + <usize>s * es, f32x4.add(v128.load(src + <usize>s * es), bv));
      }
      for (; s < S; s++) store<T>(dst + <usize>s * es, load<T>(src + <usize>s * es) + b);
    }
  }
}

// tmp[c, n, s] = g[n, c, s]
// @ts-ignore: decorator
@inline function ncsToCnsT<T>(g: usize, tmp: usize, N: i32, C: i32, S: i32): void {
  const es = <usize>sizeof<T>();
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      memory.copy(tmp + (<usize>c * <usize>N + <usize>n) * <usize>S * es, g + (<usize>n * <usize>C + <usize>c) * <usize>S * es, <usize>S * es);
    }
  }
}

export function im2col_f32(x: usize, col: usize, Nc: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, ld: i32): void {
  im2col(x, col, Nc, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, OH, OW, ld, 4);
}
export function im2col_f64(x: usize, col: usize, Nc: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, ld: i32): void {
  im2col(x, col, Nc, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, OH, OW, ld, 8);
}
export function col2im_f32(col: usize, dx: usize, Nc: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, ld: i32): void {
  col2im(col, dx, Nc, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, OH, OW, ld, 4);
}
export function col2im_f64(col: usize, dx: usize, Nc: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, ld: i32): void {
  col2im(col, dx, Nc, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, OH, OW, ld, 8);
}
export function cns_to_ncs_f32(tmp: usize, out: usize, bias: usize, N: i32, C: i32, S: i32): void { cnsToNcsT<f32>(tmp, out, bias, N, C, S); }
export function cns_to_ncs_f64(tmp: usize, out: usize, bias: usize, N: i32, C: i32, S: i32): void { cnsToNcsT<f64>(tmp, out, bias, N, C, S); }
export function ncs_to_cns_f32(g: usize, tmp: usize, N: i32, C: i32, S: i32): void { ncsToCnsT<f32>(g, tmp, N, C, S); }
export function ncs_to_cns_f64(g: usize, tmp: usize, N: i32, C: i32, S: i32): void { ncsToCnsT<f64>(g, tmp, N, C, S); }

// Zero-fills `bytes` bytes at p (col2im and pooling backward accumulate into zeroed buffers).
export function zero_bytes(p: usize, bytes: usize): void { memory.fill(p, 0, bytes); }

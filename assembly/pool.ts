// Pooling kernels over planes: x is [P, H, W] contiguous (P = N*C), out is [P, OH, OW].
// Max pooling writes int32 argmax indices (flat within the plane, h*W + w, as PyTorch does);
// the backward scatters gradients through them. Window rules follow PyTorch's CPU kernels.

// @ts-ignore: decorator
@inline function maxpoolT<T>(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32): void {
  const es = <usize>sizeof<T>();
  if (kh == 2 && kw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && (OH - 1) * sh + 2 <= H && (OW - 1) * sw + 2 <= W) {
    // common 2x2 window, fully inside: no bounds checks (same visiting order and NaN rule)
    for (let p = 0; p < P; p++) {
      const xp = x + <usize>p * <usize>H * <usize>W * es;
      const op = <usize>p * <usize>OH * <usize>OW;
      for (let oh = 0; oh < OH; oh++) {
        const r0 = oh * sh * W;
        for (let ow = 0; ow < OW; ow++) {
          const k0 = r0 + ow * sw;
          let mi = k0;
          let mv = load<T>(xp + <usize>k0 * es);
          if (!(mv == mv)) { mi = k0; }
          let v = load<T>(xp + <usize>(k0 + 1) * es);
          if (v > mv || v != v) { mv = v; mi = k0 + 1; }
          v = load<T>(xp + <usize>(k0 + W) * es);
          if (v > mv || v != v) { mv = v; mi = k0 + W; }
          v = load<T>(xp + <usize>(k0 + W + 1) * es);
          if (v > mv || v != v) { mv = v; mi = k0 + W + 1; }
          const o = op + <usize>(oh * OW + ow);
          store<T>(out + o * es, mv);
          store<i32>(idx + (o << 2), mi);
        }
      }
    }
    return;
  }
  for (let p = 0; p < P; p++) {
    const xp = x + <usize>p * <usize>H * <usize>W * es;
    const op = <usize>p * <usize>OH * <usize>OW;
    for (let oh = 0; oh < OH; oh++) {
      let ih0 = oh * sh - ph;
      const ih1 = min(ih0 + (kh - 1) * dh + 1, H);
      while (ih0 < 0) ih0 += dh;
      for (let ow = 0; ow < OW; ow++) {
        let iw0 = ow * sw - pw;
        const iw1 = min(iw0 + (kw - 1) * dw + 1, W);
        while (iw0 < 0) iw0 += dw;
        let mi = ih0 * W + iw0;
        let mv: T = <T>(-Infinity);
        for (let ih = ih0; ih < ih1; ih += dh) {
          for (let iw = iw0; iw < iw1; iw += dw) {
            const k = ih * W + iw;
            const v = load<T>(xp + <usize>k * es);
            if (v > mv || v != v) { mv = v; mi = k; }
          }
        }
        const o = op + <usize>(oh * OW + ow);
        store<T>(out + o * es, mv);
        store<i32>(idx + (o << 2), mi);
      }
    }
  }
}

// dx[p, idx[p, o]] += g[p, o]   (dx zeroed by the caller; S = outputs per plane, HW = inputs per plane)
// @ts-ignore: decorator
@inline function scatterPlanesT<T>(g: usize, idx: usize, dx: usize, P: i32, S: i32, HW: i32): void {
  const es = <usize>sizeof<T>();
  for (let p = 0; p < P; p++) {
    const gp = g + <usize>p * <usize>S * es, ip = idx + (<usize>p * <usize>S << 2), dp = dx + <usize>p * <usize>HW * es;
    for (let o = 0; o < S; o++) {
      const q = dp + <usize>load<i32>(ip + (<usize>o << 2)) * es;
      store<T>(q, load<T>(q) + load<T>(gp + <usize>o * es));
    }
  }
}

// out[p, o] = x[p, idx[p, o]]  (the gradient of the scatter above)
// @ts-ignore: decorator
@inline function gatherPlanesT<T>(x: usize, idx: usize, out: usize, P: i32, S: i32, HW: i32): void {
  const es = <usize>sizeof<T>();
  for (let p = 0; p < P; p++) {
    const op = out + <usize>p * <usize>S * es, ip = idx + (<usize>p * <usize>S << 2), xp = x + <usize>p * <usize>HW * es;
    for (let o = 0; o < S; o++) store<T>(op + <usize>o * es, load<T>(xp + <usize>load<i32>(ip + (<usize>o << 2)) * es));
  }
}

// Average pooling; backward = 1 when x is the output gradient and out the input gradient (zeroed).
// @ts-ignore: decorator
@inline function avgpoolT<T>(x: usize, out: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, includePad: i32, divisor: i32, backward: i32): void {
  const es = <usize>sizeof<T>();
  for (let p = 0; p < P; p++) {
    const xp = x + <usize>p * <usize>(backward ? OH * OW : H * W) * es;
    const op = out + <usize>p * <usize>(backward ? H * W : OH * OW) * es;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let ih0 = oh * sh - ph, iw0 = ow * sw - pw;
        let ih1 = min(ih0 + kh, H + ph), iw1 = min(iw0 + kw, W + pw);
        const poolSize = (ih1 - ih0) * (iw1 - iw0);
        ih0 = max(ih0, 0); iw0 = max(iw0, 0); ih1 = min(ih1, H); iw1 = min(iw1, W);
        const o = <usize>(oh * OW + ow);
        if (ih0 >= ih1 || iw0 >= iw1) { if (!backward) store<T>(op + o * es, <T>0); continue; }
        const div: T = <T>(divisor > 0 ? divisor : includePad ? poolSize : (ih1 - ih0) * (iw1 - iw0));
        if (backward) {
          const gv: T = load<T>(xp + o * es) / div;
          for (let ih = ih0; ih < ih1; ih++) for (let iw = iw0; iw < iw1; iw++) {
            const q = op + <usize>(ih * W + iw) * es;
            store<T>(q, load<T>(q) + gv);
          }
        } else {
          let s: T = <T>0;
          for (let ih = ih0; ih < ih1; ih++) for (let iw = iw0; iw < iw1; iw++) s += load<T>(xp + <usize>(ih * W + iw) * es);
          store<T>(op + o * es, s / div);
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function startIdx(a: i32, outSize: i32, inSize: i32): i32 { return <i32>((<i64>a * <i64>inSize) / <i64>outSize); }
// @ts-ignore: decorator
@inline function endIdx(a: i32, outSize: i32, inSize: i32): i32 { return <i32>(((<i64>(a + 1) * <i64>inSize) + outSize - 1) / <i64>outSize); }

// Adaptive average pooling (backward = 1: x is the output gradient, out the zeroed input gradient).
// @ts-ignore: decorator
@inline function adaptiveAvgT<T>(x: usize, out: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, backward: i32): void {
  const es = <usize>sizeof<T>();
  for (let p = 0; p < P; p++) {
    const xp = x + <usize>p * <usize>(backward ? OH * OW : H * W) * es;
    const op = out + <usize>p * <usize>(backward ? H * W : OH * OW) * es;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = startIdx(oh, OH, H), ih1 = endIdx(oh, OH, H);
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = startIdx(ow, OW, W), iw1 = endIdx(ow, OW, W);
        const div: T = <T>((ih1 - ih0) * (iw1 - iw0));
        const o = <usize>(oh * OW + ow);
        if (backward) {
          const gv: T = load<T>(xp + o * es) / div;
          for (let ih = ih0; ih < ih1; ih++) for (let iw = iw0; iw < iw1; iw++) {
            const q = op + <usize>(ih * W + iw) * es;
            store<T>(q, load<T>(q) + gv);
          }
        } else {
          let s: T = <T>0;
          for (let ih = ih0; ih < ih1; ih++) for (let iw = iw0; iw < iw1; iw++) s += load<T>(xp + <usize>(ih * W + iw) * es);
          store<T>(op + o * es, s / div);
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function adaptiveMaxT<T>(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  const es = <usize>sizeof<T>();
  for (let p = 0; p < P; p++) {
    const xp = x + <usize>p * <usize>H * <usize>W * es;
    const op = <usize>p * <usize>OH * <usize>OW;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = startIdx(oh, OH, H), ih1 = endIdx(oh, OH, H);
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = startIdx(ow, OW, W), iw1 = endIdx(ow, OW, W);
        let mi = ih0 * W + iw0;
        let mv: T = <T>(-Infinity);
        for (let ih = ih0; ih < ih1; ih++) for (let iw = iw0; iw < iw1; iw++) {
          const k = ih * W + iw;
          const v = load<T>(xp + <usize>k * es);
          if (v > mv || v != v) { mv = v; mi = k; }
        }
        const o = op + <usize>(oh * OW + ow);
        store<T>(out + o * es, mv);
        store<i32>(idx + (o << 2), mi);
      }
    }
  }
}

// 2x2 stride-2 f32 max pooling, 4 outputs per step: even/odd columns split by shuffles, the
// running max and argmax chosen lane-wise with the scalar rule (v > max || v is NaN), same order.
function maxpool2x2s2_f32(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  const step = i32x4(0, 2, 4, 6);
  for (let p = 0; p < P; p++) {
    const xp = x + (<usize>p * <usize>H * <usize>W << 2);
    const op = <usize>p * <usize>OH * <usize>OW;
    for (let oh = 0; oh < OH; oh++) {
      const r0 = oh * 2 * W;
      const p0 = xp + (<usize>r0 << 2), p1 = p0 + (<usize>W << 2);
      const orow = op + <usize>(oh * OW);
      let ow = 0;
      for (; ow + 4 <= OW; ow += 4) {
        const a0 = v128.load(p0 + (<usize>ow << 3)), a1 = v128.load(p0 + (<usize>ow << 3), 16);
        const b0 = v128.load(p1 + (<usize>ow << 3)), b1 = v128.load(p1 + (<usize>ow << 3), 16);
        const e0 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), o0 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const e1 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), o1 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const k0 = i32x4.add(i32x4.splat(r0 + 2 * ow), step);
        let mv = e0, mi = k0;
        let m = v128.or(f32x4.gt(o0, mv), f32x4.ne(o0, o0));
        mv = v128.bitselect(o0, mv, m); mi = v128.bitselect(i32x4.add(k0, i32x4.splat(1)), mi, m);
        m = v128.or(f32x4.gt(e1, mv), f32x4.ne(e1, e1));
        mv = v128.bitselect(e1, mv, m); mi = v128.bitselect(i32x4.add(k0, i32x4.splat(W)), mi, m);
        m = v128.or(f32x4.gt(o1, mv), f32x4.ne(o1, o1));
        mv = v128.bitselect(o1, mv, m); mi = v128.bitselect(i32x4.add(k0, i32x4.splat(W + 1)), mi, m);
        v128.store(out + ((orow + <usize>ow) << 2), mv);
        v128.store(idx + ((orow + <usize>ow) << 2), mi);
      }
      for (; ow < OW; ow++) {
        const k0 = r0 + 2 * ow;
        let mi = k0;
        let mv = load<f32>(xp + (<usize>k0 << 2));
        let v = load<f32>(xp + (<usize>(k0 + 1) << 2));
        if (v > mv || v != v) { mv = v; mi = k0 + 1; }
        v = load<f32>(xp + (<usize>(k0 + W) << 2));
        if (v > mv || v != v) { mv = v; mi = k0 + W; }
        v = load<f32>(xp + (<usize>(k0 + W + 1) << 2));
        if (v > mv || v != v) { mv = v; mi = k0 + W + 1; }
        store<f32>(out + ((orow + <usize>ow) << 2), mv);
        store<i32>(idx + ((orow + <usize>ow) << 2), mi);
      }
    }
  }
}

export function maxpool2d_f32(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && OH * 2 <= H && OW * 2 <= W) {
    maxpool2x2s2_f32(x, out, idx, P, H, W, OH, OW);
    return;
  }
  maxpoolT<f32>(x, out, idx, P, H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw);
}
export function maxpool2d_f64(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32): void {
  maxpoolT<f64>(x, out, idx, P, H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw);
}
export function pool_scatter_f32(g: usize, idx: usize, dx: usize, P: i32, S: i32, HW: i32): void { scatterPlanesT<f32>(g, idx, dx, P, S, HW); }
export function pool_scatter_f64(g: usize, idx: usize, dx: usize, P: i32, S: i32, HW: i32): void { scatterPlanesT<f64>(g, idx, dx, P, S, HW); }
export function pool_gather_f32(x: usize, idx: usize, out: usize, P: i32, S: i32, HW: i32): void { gatherPlanesT<f32>(x, idx, out, P, S, HW); }
export function pool_gather_f64(x: usize, idx: usize, out: usize, P: i32, S: i32, HW: i32): void { gatherPlanesT<f64>(x, idx, out, P, S, HW); }
export function avgpool2d_f32(x: usize, out: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, includePad: i32, divisor: i32, backward: i32): void {
  avgpoolT<f32>(x, out, P, H, W, OH, OW, kh, kw, sh, sw, ph, pw, includePad, divisor, backward);
}
export function avgpool2d_f64(x: usize, out: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, includePad: i32, divisor: i32, backward: i32): void {
  avgpoolT<f64>(x, out, P, H, W, OH, OW, kh, kw, sh, sw, ph, pw, includePad, divisor, backward);
}
export function adaptive_avgpool2d_f32(x: usize, out: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, backward: i32): void { adaptiveAvgT<f32>(x, out, P, H, W, OH, OW, backward); }
export function adaptive_avgpool2d_f64(x: usize, out: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, backward: i32): void { adaptiveAvgT<f64>(x, out, P, H, W, OH, OW, backward); }
export function adaptive_maxpool2d_f32(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32): void { adaptiveMaxT<f32>(x, out, idx, P, H, W, OH, OW); }
export function adaptive_maxpool2d_f64(x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32): void { adaptiveMaxT<f64>(x, out, idx, P, H, W, OH, OW); }

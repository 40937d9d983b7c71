// Fused optimizer updates: one call updates a parameter and its state buffers in place, following
// PyTorch's single-tensor update rules operation by operation (the same roundings in f32, no FMA).
//
// Every kernel takes pointers to contiguous arrays of n elements: the parameter p, its gradient g
// and the state buffers, then the hyper-parameters as f64 (rounded to the element type once, like
// PyTorch's scalar arguments) and a flags word. The f32 kernels run 4 lanes at a time (SIMD128);
// the f64 kernels are scalar. The TypeScript side (ts/optim/fused.ts) derives the per-step scalars
// (bias corrections, step sizes) in f64 exactly as torch/optim/*.py does.

export const OPT_MAXIMIZE: i32 = 1;
// SGD
export const SGD_NESTEROV: i32 = 2;
export const SGD_FIRST: i32 = 4; // the momentum buffer starts as a copy of the gradient
export const SGD_MOMENTUM: i32 = 8;
// Adam / AdamW / NAdam / RAdam
export const ADAM_AMSGRAD: i32 = 2;
export const ADAM_DECOUPLED: i32 = 4; // AdamW: p *= 1 - lr * weight_decay before the update
// RMSprop
export const RMS_CENTERED: i32 = 2;
export const RMS_MOMENTUM: i32 = 4;
// RAdam
export const RADAM_RECTIFY: i32 = 2;

// @ts-ignore: decorator
@inline function ld<T>(p: usize, i: i32): T { return load<T>(p + (<usize>i << alignof<T>())); }
// @ts-ignore: decorator
@inline function st<T>(p: usize, i: i32, v: T): void { store<T>(p + (<usize>i << alignof<T>()), v); }
// @ts-ignore: decorator
@inline function vld(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function vst(p: usize, i: i32, v: v128): void { v128.store(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function sq<T>(x: T): T { return isFloat<T>() && sizeof<T>() == 4 ? <T>Mathf.sqrt(<f32>x) : <T>Math.sqrt(<f64>x); }

// grad, negated when maximizing, plus weight_decay * param (L2 penalty) when wd != 0
// @ts-ignore: decorator
@inline function grad<T>(g: T, p: T, wd: T, flags: i32): T {
  let d = (flags & OPT_MAXIMIZE) ? -g : g;
  if (wd != 0) d = d + wd * p;
  return d;
}
// @ts-ignore: decorator
@inline function vgrad(g: v128, p: v128, wd: v128, hasWd: bool, flags: i32): v128 {
  let d = (flags & OPT_MAXIMIZE) ? f32x4.neg(g) : g;
  if (hasWd) d = f32x4.add(d, f32x4.mul(wd, p));
  return d;
}

// ------------------------------------------------------------------------------------------ SGD
// d = grad (+ wd p); buf = first ? d : momentum buf + (1 - dampening) d;
// d = nesterov ? d + momentum buf : buf; p += -lr d
// @ts-ignore: decorator
@inline function sgdScalar<T>(p: usize, g: usize, b: usize, i: i32, n: i32, lr: T, mom: T, damp1: T, wd: T, flags: i32): void {
  for (; i < n; i++) {
    const pv = ld<T>(p, i);
    let d = grad<T>(ld<T>(g, i), pv, wd, flags);
    if (flags & SGD_MOMENTUM) {
      const bv = (flags & SGD_FIRST) ? d : ld<T>(b, i) * mom + damp1 * d;
      st<T>(b, i, bv);
      d = (flags & SGD_NESTEROV) ? d + mom * bv : bv;
    }
    st<T>(p, i, pv + lr * d);
  }
}
export function sgd_f32(p: usize, g: usize, b: usize, n: i32, lr: f64, momentum: f64, dampening: f64, wd: f64, flags: i32): void {
  const slr = <f32>(-lr), smom = <f32>momentum, sdamp1 = <f32>(1 - dampening), swd = <f32>wd;
  const vlr = f32x4.splat(slr), vmom = f32x4.splat(smom), vdamp1 = f32x4.splat(sdamp1), vwd = f32x4.splat(swd);
  const hasWd = swd != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pv = vld(p, i);
    let d = vgrad(vld(g, i), pv, vwd, hasWd, flags);
    if (flags & SGD_MOMENTUM) {
      const bv = (flags & SGD_FIRST) ? d : f32x4.add(f32x4.mul(vld(b, i), vmom), f32x4.mul(vdamp1, d));
      vst(b, i, bv);
      d = (flags & SGD_NESTEROV) ? f32x4.add(d, f32x4.mul(vmom, bv)) : bv;
    }
    vst(p, i, f32x4.add(pv, f32x4.mul(vlr, d)));
  }
  sgdScalar<f32>(p, g, b, i, n, slr, smom, sdamp1, swd, flags);
}
export function sgd_f64(p: usize, g: usize, b: usize, n: i32, lr: f64, momentum: f64, dampening: f64, wd: f64, flags: i32): void {
  sgdScalar<f64>(p, g, b, 0, n, -lr, momentum, 1 - dampening, wd, flags);
}

// ----------------------------------------------------------------------------------- Adam/AdamW
// (AdamW: p *= decay first.) m = b1 m + (1-b1) d; v = b2 v + (1-b2) d d; [vmax = max(vmax, v)];
// denom = sqrt(v|vmax) / bc2sqrt + eps; p += -step_size m / denom
// @ts-ignore: decorator
@inline function adamScalar<T>(p: usize, g: usize, m: usize, v: usize, vm: usize, i: i32, n: i32,
  nss: T, b1: T, omb1: T, b2: T, omb2: T, bc2s: T, eps: T, wd: T, decay: T, flags: i32): void {
  for (; i < n; i++) {
    let pv = ld<T>(p, i);
    let d: T;
    if (flags & ADAM_DECOUPLED) { pv = pv * decay; d = grad<T>(ld<T>(g, i), pv, 0, flags); } else d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const mv = ld<T>(m, i) * b1 + omb1 * d;
    let vv = ld<T>(v, i) * b2 + omb2 * d * d;
    st<T>(m, i, mv); st<T>(v, i, vv);
    if (flags & ADAM_AMSGRAD) { const x = ld<T>(vm, i); vv = x > vv ? x : vv; st<T>(vm, i, vv); }
    const den = sq<T>(vv) / bc2s + eps;
    st<T>(p, i, pv + nss * (mv / den));
  }
}
export function adam_f32(p: usize, g: usize, m: usize, v: usize, vm: usize, n: i32,
  negStepSize: f64, beta1: f64, beta2: f64, bc2sqrt: f64, eps: f64, wd: f64, decay: f64, flags: i32): void {
  const nss = <f32>negStepSize, b1 = <f32>beta1, omb1 = <f32>(1 - beta1), b2 = <f32>beta2, omb2 = <f32>(1 - beta2);
  const bc2s = <f32>bc2sqrt, e = <f32>eps, w = <f32>wd, dec = <f32>decay;
  const vnss = f32x4.splat(nss), vb1 = f32x4.splat(b1), vomb1 = f32x4.splat(omb1), vb2 = f32x4.splat(b2), vomb2 = f32x4.splat(omb2);
  const vbc2s = f32x4.splat(bc2s), ve = f32x4.splat(e), vw = f32x4.splat(w), vdec = f32x4.splat(dec);
  const decoupled = (flags & ADAM_DECOUPLED) != 0, hasWd = !decoupled && w != 0, ams = (flags & ADAM_AMSGRAD) != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let pv = vld(p, i);
    if (decoupled) pv = f32x4.mul(pv, vdec);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const mv = f32x4.add(f32x4.mul(vld(m, i), vb1), f32x4.mul(vomb1, d));
    let vv = f32x4.add(f32x4.mul(vld(v, i), vb2), f32x4.mul(f32x4.mul(vomb2, d), d));
    vst(m, i, mv); vst(v, i, vv);
    if (ams) { vv = f32x4.pmax(vv, vld(vm, i)); vst(vm, i, vv); }
    const den = f32x4.add(f32x4.div(f32x4.sqrt(vv), vbc2s), ve);
    vst(p, i, f32x4.add(pv, f32x4.mul(vnss, f32x4.div(mv, den))));
  }
  adamScalar<f32>(p, g, m, v, vm, i, n, nss, b1, omb1, b2, omb2, bc2s, e, w, dec, flags);
}
export function adam_f64(p: usize, g: usize, m: usize, v: usize, vm: usize, n: i32,
  negStepSize: f64, beta1: f64, beta2: f64, bc2sqrt: f64, eps: f64, wd: f64, decay: f64, flags: i32): void {
  adamScalar<f64>(p, g, m, v, vm, 0, n, negStepSize, beta1, 1 - beta1, beta2, 1 - beta2, bc2sqrt, eps, wd, decay, flags);
}

// ------------------------------------------------------------------------------------- Adadelta
// sq = rho sq + (1-rho) d d; delta = sqrt(acc + eps) / sqrt(sq + eps) * d;
// acc = rho acc + (1-rho) delta delta; p += -lr delta
// @ts-ignore: decorator
@inline function adadeltaScalar<T>(p: usize, g: usize, s: usize, a: usize, i: i32, n: i32, nlr: T, rho: T, omr: T, eps: T, wd: T, flags: i32): void {
  for (; i < n; i++) {
    const pv = ld<T>(p, i);
    const d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const sv = ld<T>(s, i) * rho + omr * d * d;
    const delta = sq<T>(ld<T>(a, i) + eps) / sq<T>(sv + eps) * d;
    st<T>(s, i, sv);
    st<T>(a, i, ld<T>(a, i) * rho + omr * delta * delta);
    st<T>(p, i, pv + nlr * delta);
  }
}
export function adadelta_f32(p: usize, g: usize, s: usize, a: usize, n: i32, lr: f64, rho: f64, eps: f64, wd: f64, flags: i32): void {
  const nlr = <f32>(-lr), r = <f32>rho, omr = <f32>(1 - rho), e = <f32>eps, w = <f32>wd;
  const vnlr = f32x4.splat(nlr), vr = f32x4.splat(r), vomr = f32x4.splat(omr), ve = f32x4.splat(e), vw = f32x4.splat(w);
  const hasWd = w != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pv = vld(p, i);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const sv = f32x4.add(f32x4.mul(vld(s, i), vr), f32x4.mul(f32x4.mul(vomr, d), d));
    const av = vld(a, i);
    const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(av, ve)), f32x4.sqrt(f32x4.add(sv, ve))), d);
    vst(s, i, sv);
    vst(a, i, f32x4.add(f32x4.mul(av, vr), f32x4.mul(f32x4.mul(vomr, delta), delta)));
    vst(p, i, f32x4.add(pv, f32x4.mul(vnlr, delta)));
  }
  adadeltaScalar<f32>(p, g, s, a, i, n, nlr, r, omr, e, w, flags);
}
export function adadelta_f64(p: usize, g: usize, s: usize, a: usize, n: i32, lr: f64, rho: f64, eps: f64, wd: f64, flags: i32): void {
  adadeltaScalar<f64>(p, g, s, a, 0, n, -lr, rho, 1 - rho, eps, wd, flags);
}

// -------------------------------------------------------------------------------------- Adagrad
// sum += d d; p += -clr d / (sqrt(sum) + eps)
// @ts-ignore: decorator
@inline function adagradScalar<T>(p: usize, g: usize, s: usize, i: i32, n: i32, nclr: T, eps: T, wd: T, flags: i32): void {
  for (; i < n; i++) {
    const pv = ld<T>(p, i);
    const d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const sv = ld<T>(s, i) + d * d;
    st<T>(s, i, sv);
    st<T>(p, i, pv + nclr * (d / (sq<T>(sv) + eps)));
  }
}
export function adagrad_f32(p: usize, g: usize, s: usize, n: i32, clr: f64, eps: f64, wd: f64, flags: i32): void {
  const nclr = <f32>(-clr), e = <f32>eps, w = <f32>wd;
  const vnclr = f32x4.splat(nclr), ve = f32x4.splat(e), vw = f32x4.splat(w);
  const hasWd = w != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pv = vld(p, i);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const sv = f32x4.add(vld(s, i), f32x4.mul(d, d));
    vst(s, i, sv);
    vst(p, i, f32x4.add(pv, f32x4.mul(vnclr, f32x4.div(d, f32x4.add(f32x4.sqrt(sv), ve)))));
  }
  adagradScalar<f32>(p, g, s, i, n, nclr, e, w, flags);
}
export function adagrad_f64(p: usize, g: usize, s: usize, n: i32, clr: f64, eps: f64, wd: f64, flags: i32): void {
  adagradScalar<f64>(p, g, s, 0, n, -clr, eps, wd, flags);
}

// -------------------------------------------------------------------------------------- RMSprop
// sq = alpha sq + (1-alpha) d d; [ga = alpha ga + (1-alpha) d; avg = sqrt(sq - ga ga)] else
// avg = sqrt(sq); avg += eps; momentum: buf = momentum buf + d / avg, p += -lr buf; else
// p += -lr d / avg
// @ts-ignore: decorator
@inline function rmspropScalar<T>(p: usize, g: usize, s: usize, ga: usize, b: usize, i: i32, n: i32,
  nlr: T, al: T, oma: T, eps: T, wd: T, mom: T, flags: i32): void {
  for (; i < n; i++) {
    const pv = ld<T>(p, i);
    const d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const sv = ld<T>(s, i) * al + oma * d * d;
    st<T>(s, i, sv);
    let avg: T;
    if (flags & RMS_CENTERED) {
      const gv = ld<T>(ga, i) * al + oma * d;
      st<T>(ga, i, gv);
      avg = sq<T>(sv + (<T>-1) * gv * gv);
    } else avg = sq<T>(sv);
    avg = avg + eps;
    if (flags & RMS_MOMENTUM) {
      const bv = ld<T>(b, i) * mom + d / avg;
      st<T>(b, i, bv);
      st<T>(p, i, pv + nlr * bv);
    } else st<T>(p, i, pv + nlr * (d / avg));
  }
}
export function rmsprop_f32(p: usize, g: usize, s: usize, ga: usize, b: usize, n: i32,
  lr: f64, alpha: f64, eps: f64, wd: f64, momentum: f64, flags: i32): void {
  const nlr = <f32>(-lr), al = <f32>alpha, oma = <f32>(1 - alpha), e = <f32>eps, w = <f32>wd, mo = <f32>momentum;
  const vnlr = f32x4.splat(nlr), val = f32x4.splat(al), voma = f32x4.splat(oma), ve = f32x4.splat(e), vw = f32x4.splat(w), vmo = f32x4.splat(mo);
  const hasWd = w != 0, centered = (flags & RMS_CENTERED) != 0, hasMom = (flags & RMS_MOMENTUM) != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pv = vld(p, i);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const sv = f32x4.add(f32x4.mul(vld(s, i), val), f32x4.mul(f32x4.mul(voma, d), d));
    vst(s, i, sv);
    let avg: v128;
    if (centered) {
      const gv = f32x4.add(f32x4.mul(vld(ga, i), val), f32x4.mul(voma, d));
      vst(ga, i, gv);
      avg = f32x4.sqrt(f32x4.sub(sv, f32x4.mul(gv, gv)));
    } else avg = f32x4.sqrt(sv);
    avg = f32x4.add(avg, ve);
    if (hasMom) {
      const bv = f32x4.add(f32x4.mul(vld(b, i), vmo), f32x4.div(d, avg));
      vst(b, i, bv);
      vst(p, i, f32x4.add(pv, f32x4.mul(vnlr, bv)));
    } else vst(p, i, f32x4.add(pv, f32x4.mul(vnlr, f32x4.div(d, avg))));
  }
  rmspropScalar<f32>(p, g, s, ga, b, i, n, nlr, al, oma, e, w, mo, flags);
}
export function rmsprop_f64(p: usize, g: usize, s: usize, ga: usize, b: usize, n: i32,
  lr: f64, alpha: f64, eps: f64, wd: f64, momentum: f64, flags: i32): void {
  rmspropScalar<f64>(p, g, s, ga, b, 0, n, -lr, alpha, 1 - alpha, eps, wd, momentum, flags);
}

// --------------------------------------------------------------------------------------- Adamax
// m = b1 m + (1-b1) d; u = max(b2 u, |d| + eps); p += -clr m / u
// @ts-ignore: decorator
@inline function adamaxScalar<T>(p: usize, g: usize, m: usize, u: usize, i: i32, n: i32, nclr: T, b1: T, omb1: T, b2: T, eps: T, wd: T, flags: i32): void {
  for (; i < n; i++) {
    const pv = ld<T>(p, i);
    const d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const mv = ld<T>(m, i) * b1 + omb1 * d;
    const a = ld<T>(u, i) * b2, c = (d < 0 ? -d : d) + eps;
    const uv = (a != a || a > c) ? a : c;
    st<T>(m, i, mv); st<T>(u, i, uv);
    st<T>(p, i, pv + nclr * (mv / uv));
  }
}
export function adamax_f32(p: usize, g: usize, m: usize, u: usize, n: i32, negClr: f64, beta1: f64, beta2: f64, eps: f64, wd: f64, flags: i32): void {
  const nclr = <f32>negClr, b1 = <f32>beta1, omb1 = <f32>(1 - beta1), b2 = <f32>beta2, e = <f32>eps, w = <f32>wd;
  const vnclr = f32x4.splat(nclr), vb1 = f32x4.splat(b1), vomb1 = f32x4.splat(omb1), vb2 = f32x4.splat(b2), ve = f32x4.splat(e), vw = f32x4.splat(w);
  const hasWd = w != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pv = vld(p, i);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const mv = f32x4.add(f32x4.mul(vld(m, i), vb1), f32x4.mul(vomb1, d));
    const uv = f32x4.max(f32x4.mul(vld(u, i), vb2), f32x4.add(f32x4.abs(d), ve));
    vst(m, i, mv); vst(u, i, uv);
    vst(p, i, f32x4.add(pv, f32x4.mul(vnclr, f32x4.div(mv, uv))));
  }
  adamaxScalar<f32>(p, g, m, u, i, n, nclr, b1, omb1, b2, e, w, flags);
}
export function adamax_f64(p: usize, g: usize, m: usize, u: usize, n: i32, negClr: f64, beta1: f64, beta2: f64, eps: f64, wd: f64, flags: i32): void {
  adamaxScalar<f64>(p, g, m, u, 0, n, negClr, beta1, 1 - beta1, beta2, eps, wd, flags);
}

// ---------------------------------------------------------------------------------------- NAdam
// m, v as Adam; denom = sqrt(v / bc2) + eps; p += c1 d / denom; p += c2 m / denom
// @ts-ignore: decorator
@inline function nadamScalar<T>(p: usize, g: usize, m: usize, v: usize, i: i32, n: i32,
  b1: T, omb1: T, b2: T, omb2: T, bc2: T, eps: T, c1: T, c2: T, wd: T, decay: T, flags: i32): void {
  for (; i < n; i++) {
    let pv = ld<T>(p, i);
    let d: T;
    if (flags & ADAM_DECOUPLED) { pv = pv * decay; d = grad<T>(ld<T>(g, i), pv, 0, flags); } else d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const mv = ld<T>(m, i) * b1 + omb1 * d;
    const vv = ld<T>(v, i) * b2 + omb2 * d * d;
    st<T>(m, i, mv); st<T>(v, i, vv);
    const den = sq<T>(vv / bc2) + eps;
    pv = pv + c1 * (d / den);
    st<T>(p, i, pv + c2 * (mv / den));
  }
}
export function nadam_f32(p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, bc2: f64, eps: f64, c1: f64, c2: f64, wd: f64, decay: f64, flags: i32): void {
  const b1 = <f32>beta1, omb1 = <f32>(1 - beta1), b2 = <f32>beta2, omb2 = <f32>(1 - beta2), sbc2 = <f32>bc2, e = <f32>eps;
  const sc1 = <f32>c1, sc2 = <f32>c2, w = <f32>wd, dec = <f32>decay;
  const vb1 = f32x4.splat(b1), vomb1 = f32x4.splat(omb1), vb2 = f32x4.splat(b2), vomb2 = f32x4.splat(omb2), vbc2 = f32x4.splat(sbc2);
  const ve = f32x4.splat(e), vc1 = f32x4.splat(sc1), vc2 = f32x4.splat(sc2), vw = f32x4.splat(w), vdec = f32x4.splat(dec);
  const decoupled = (flags & ADAM_DECOUPLED) != 0, hasWd = !decoupled && w != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let pv = vld(p, i);
    if (decoupled) pv = f32x4.mul(pv, vdec);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const mv = f32x4.add(f32x4.mul(vld(m, i), vb1), f32x4.mul(vomb1, d));
    const vv = f32x4.add(f32x4.mul(vld(v, i), vb2), f32x4.mul(f32x4.mul(vomb2, d), d));
    vst(m, i, mv); vst(v, i, vv);
    const den = f32x4.add(f32x4.sqrt(f32x4.div(vv, vbc2)), ve);
    pv = f32x4.add(pv, f32x4.mul(vc1, f32x4.div(d, den)));
    vst(p, i, f32x4.add(pv, f32x4.mul(vc2, f32x4.div(mv, den))));
  }
  nadamScalar<f32>(p, g, m, v, i, n, b1, omb1, b2, omb2, sbc2, e, sc1, sc2, w, dec, flags);
}
export function nadam_f64(p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, bc2: f64, eps: f64, c1: f64, c2: f64, wd: f64, decay: f64, flags: i32): void {
  nadamScalar<f64>(p, g, m, v, 0, n, beta1, 1 - beta1, beta2, 1 - beta2, bc2, eps, c1, c2, wd, decay, flags);
}

// ---------------------------------------------------------------------------------------- RAdam
// m, v as Adam; bm = m / bc1; rectified: p += -(bm lr (bc2sqrt / (sqrt(v) + eps)) rect),
// otherwise p += -(bm lr)
// @ts-ignore: decorator
@inline function radamScalar<T>(p: usize, g: usize, m: usize, v: usize, i: i32, n: i32,
  b1: T, omb1: T, b2: T, omb2: T, bc1: T, lr: T, bc2s: T, eps: T, rect: T, wd: T, decay: T, flags: i32): void {
  for (; i < n; i++) {
    let pv = ld<T>(p, i);
    let d: T;
    if (flags & ADAM_DECOUPLED) { pv = pv * decay; d = grad<T>(ld<T>(g, i), pv, 0, flags); } else d = grad<T>(ld<T>(g, i), pv, wd, flags);
    const mv = ld<T>(m, i) * b1 + omb1 * d;
    const vv = ld<T>(v, i) * b2 + omb2 * d * d;
    st<T>(m, i, mv); st<T>(v, i, vv);
    const bm = mv / bc1 * lr;
    st<T>(p, i, (flags & RADAM_RECTIFY) ? pv - bm * (bc2s / (sq<T>(vv) + eps)) * rect : pv - bm);
  }
}
export function radam_f32(p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, bc1: f64, lr: f64, bc2sqrt: f64, eps: f64, rect: f64, wd: f64, decay: f64, flags: i32): void {
  const b1 = <f32>beta1, omb1 = <f32>(1 - beta1), b2 = <f32>beta2, omb2 = <f32>(1 - beta2), sbc1 = <f32>bc1, slr = <f32>lr;
  const sbc2s = <f32>bc2sqrt, e = <f32>eps, srect = <f32>rect, w = <f32>wd, dec = <f32>decay;
  const vb1 = f32x4.splat(b1), vomb1 = f32x4.splat(omb1), vb2 = f32x4.splat(b2), vomb2 = f32x4.splat(omb2), vbc1 = f32x4.splat(sbc1);
  const vlr = f32x4.splat(slr), vbc2s = f32x4.splat(sbc2s), ve = f32x4.splat(e), vrect = f32x4.splat(srect), vw = f32x4.splat(w), vdec = f32x4.splat(dec);
  const decoupled = (flags & ADAM_DECOUPLED) != 0, hasWd = !decoupled && w != 0, rectify = (flags & RADAM_RECTIFY) != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let pv = vld(p, i);
    if (decoupled) pv = f32x4.mul(pv, vdec);
    const d = vgrad(vld(g, i), pv, vw, hasWd, flags);
    const mv = f32x4.add(f32x4.mul(vld(m, i), vb1), f32x4.mul(vomb1, d));
    const vv = f32x4.add(f32x4.mul(vld(v, i), vb2), f32x4.mul(f32x4.mul(vomb2, d), d));
    vst(m, i, mv); vst(v, i, vv);
    const bm = f32x4.mul(f32x4.div(mv, vbc1), vlr);
    vst(p, i, rectify
      ? f32x4.sub(pv, f32x4.mul(f32x4.mul(bm, f32x4.div(vbc2s, f32x4.add(f32x4.sqrt(vv), ve))), vrect))
      : f32x4.sub(pv, bm));
  }
  radamScalar<f32>(p, g, m, v, i, n, b1, omb1, b2, omb2, sbc1, slr, sbc2s, e, srect, w, dec, flags);
}
export function radam_f64(p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, bc1: f64, lr: f64, bc2sqrt: f64, eps: f64, rect: f64, wd: f64, decay: f64, flags: i32): void {
  radamScalar<f64>(p, g, m, v, 0, n, beta1, 1 - beta1, beta2, 1 - beta2, bc1, lr, bc2sqrt, eps, rect, wd, decay, flags);
}

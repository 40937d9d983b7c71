import { expvLow, exp4, vecOrTail, mapRest } from "./expv";

// Fused log_softmax kernels, forward and backward, on x viewed as [A, C, B] contiguous (C the
// softmax dim). Accumulation in f64. (nll_loss, which reads one value per target, runs on the
// host: ts/backend/wasm/loss.ts.)

// @ts-ignore: decorator
@inline function logSoftmaxT<T>(x: usize, y: usize, A: i32, C: i32, B: i32): void {
  const es = <usize>sizeof<T>();
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const base = <usize>a * <usize>C * <usize>B + <usize>b;
      let m: f64 = -Infinity;
      for (let c = 0; c < C; c++) { const v = <f64>load<T>(x + (base + <usize>c * <usize>B) * es); if (v > m || isNaN(v)) m = v; }
      // a non-finite max (inf, all -inf, nan) makes every value nan, as PyTorch's x - max - log(sum)
      let lse: f64 = NaN;
      if (isFinite(m)) {
        let s: f64 = 0;
        for (let c = 0; c < C; c++) s += Math.exp(<f64>load<T>(x + (base + <usize>c * <usize>B) * es) - m);
        lse = m + Math.log(s);
      }
      for (let c = 0; c < C; c++) {
        const o = (base + <usize>c * <usize>B) * es;
        store<T>(y + o, <T>(<f64>load<T>(x + o) - lse));
      }
    }
  }
}

// @ts-ignore: decorator
@inline function logSoftmaxBwdT<T>(g: usize, y: usize, out: usize, A: i32, C: i32, B: i32): void {
  const es = <usize>sizeof<T>();
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const base = <usize>a * <usize>C * <usize>B + <usize>b;
      let s: f64 = 0;
      for (let c = 0; c < C; c++) s += <f64>load<T>(g + (base + <usize>c * <usize>B) * es);
      for (let c = 0; c < C; c++) {
        const o = (base + <usize>c * <usize>B) * es;
        store<T>(out + o, <T>(<f64>load<T>(g + o) - Math.exp(<f64>load<T>(y + o)) * s));
      }
    }
  }
}

// One contiguous float32 row of C values, four lanes at a time with the SIMD exp (assembly/expv.ts;
// expvLow, as every exponent here is a log-probability or x - max, both <= 0);
// the tail goes through one padded vector (padding -inf, whose exp is 0). The forward's sum of
// exps (positive terms) runs in f32 lanes flushed into f64 every ROW_BLOCK values, so that long
// rows (vocabularies of 10^4) keep f64-like accuracy; the backward sums grad in f64 lanes. The
// output is (x - max) - log(sum) in f32, PyTorch's order: x - (max + log(sum)) would round
// max + log(sum) at max's magnitude (pytorch/pytorch#11752).
const ROW_BLOCK = 256;

// @ts-ignore: decorator
@inline function hsumF64(v: v128): f64 {
  return (<f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1)) + (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3));
}

function logSoftmaxRowF32(x: usize, y: usize, C: i32): void {
  // The max skips NaN (pmax(m, v) = m < v ? v : m, one maxps; f32x4.max's NaN rule costs ~6
  // dependent x64 instructions, which made this pass 12x slower): a NaN then reaches the sum of
  // exps below, and log(NaN) makes every value NaN, as a NaN max does in logSoftmaxT. Four
  // accumulators break the loop-carried chain.
  let i = 0, m0 = f32x4.splat(-Infinity), m1 = m0, m2 = m0, m3 = m0;
  for (; i + 16 <= C; i += 16) {
    const p = x + (<usize>i << 2);
    m0 = f32x4.pmax(m0, v128.load(p)); m1 = f32x4.pmax(m1, v128.load(p, 16));
    m2 = f32x4.pmax(m2, v128.load(p, 32)); m3 = f32x4.pmax(m3, v128.load(p, 48));
  }
  for (; i + 4 <= C; i += 4) m0 = f32x4.pmax(m0, v128.load(x + (<usize>i << 2)));
  if (i < C) m0 = f32x4.pmax(m0, vecOrTail(x, i, C, -Infinity));
  const mv = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
  const m = Mathf.max(Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  // a non-finite max (inf, all -inf) makes every value nan, as in logSoftmaxT
  let ls: f32 = NaN;
  if (isFinite(m)) {
    const ms = f32x4.splat(m);
    let s: f64 = 0;
    i = 0;
    // two independent exps per iteration (see expv_f32)
    while (i + 8 <= C) {
      const e = min(C & ~7, i + ROW_BLOCK);
      let s0 = f32x4.splat(0), s1 = s0;
      for (; i < e; i += 8) {
        s0 = f32x4.add(s0, expvLow(f32x4.sub(v128.load(x + (<usize>i << 2)), ms)));
        s1 = f32x4.add(s1, expvLow(f32x4.sub(v128.load(x + (<usize>i << 2), 16), ms)));
      }
      s += hsumF64(f32x4.add(s0, s1));
    }
    let s0 = f32x4.splat(0);
    // the last whole vectors and the tail (padded with -inf, whose exp is 0) share one out-of-line exp
    for (; i < C; i += 4) s0 = f32x4.add(s0, exp4(f32x4.sub(vecOrTail(x, i, C, -Infinity), ms)));
    s += hsumF64(s0);
    ls = <f32>Math.log(s);
  }
  const ms = f32x4.splat(m), l = f32x4.splat(ls);
  i = 0;
  for (; i + 4 <= C; i += 4) v128.store(y + (<usize>i << 2), f32x4.sub(f32x4.sub(v128.load(x + (<usize>i << 2)), ms), l));
  for (; i < C; i++) store<f32>(y + (<usize>i << 2), (load<f32>(x + (<usize>i << 2)) - m) - ls);
}

function logSoftmaxBwdRowF32(g: usize, y: usize, out: usize, C: i32): void {
  // sum(grad) in f64 lanes, as logSoftmaxBwdT: the gradients have both signs and can cancel
  let i = 0, a0 = f64x2.splat(0), a1 = a0;
  for (; i + 4 <= C; i += 4) {
    const v = v128.load(g + (<usize>i << 2));
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
  }
  const a = f64x2.add(a0, a1);
  let sd: f64 = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < C; i++) sd += <f64>load<f32>(g + (<usize>i << 2));
  const s = <f32>sd, ss = f32x4.splat(s);
  i = 0;
  for (; i + 8 <= C; i += 8) {
    const o = <usize>i << 2;
    const e0 = expvLow(v128.load(y + o)), e1 = expvLow(v128.load(y + o, 16));
    v128.store(out + o, f32x4.sub(v128.load(g + o), f32x4.mul(e0, ss)));
    v128.store(out + o, f32x4.sub(v128.load(g + o, 16), f32x4.mul(e1, ss)), 16);
  }
  for (; i < C; i += 4) {
    const e = exp4(vecOrTail(y, i, C, -Infinity));
    mapRest(out, i, C, f32x4.sub(vecOrTail(g, i, C), f32x4.mul(e, ss)));
  }
}

export function log_softmax_f32(x: usize, y: usize, A: i32, C: i32, B: i32): void {
  if (B == 1) { for (let a = 0; a < A; a++) logSoftmaxRowF32(x + ((<usize>a * <usize>C) << 2), y + ((<usize>a * <usize>C) << 2), C); } else logSoftmaxT<f32>(x, y, A, C, B);
}
export function log_softmax_f64(x: usize, y: usize, A: i32, C: i32, B: i32): void { logSoftmaxT<f64>(x, y, A, C, B); }
export function log_softmax_bwd_f32(g: usize, y: usize, out: usize, A: i32, C: i32, B: i32): void {
  if (B == 1) {
    for (let a = 0; a < A; a++) { const o = (<usize>a * <usize>C) << 2; logSoftmaxBwdRowF32(g + o, y + o, out + o, C); }
  } else logSoftmaxBwdT<f32>(g, y, out, A, C, B);
}
export function log_softmax_bwd_f64(g: usize, y: usize, out: usize, A: i32, C: i32, B: i32): void { logSoftmaxBwdT<f64>(g, y, out, A, C, B); }

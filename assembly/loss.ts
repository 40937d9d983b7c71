// Fused log_softmax and nll_loss kernels. log_softmax works on x viewed as [A, C, B] contiguous
// (C the softmax dim); nll_loss on log-probabilities [N, C, S] contiguous, int32 targets [N, S],
// optional weights [C] (w == 0: none). Accumulation in f64.

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

/** Returns the number of targets outside [0, C) that are not ignore_index (they contribute 0). */
// @ts-ignore: decorator
@inline function nllT<T>(lp: usize, tg: usize, w: usize, out: usize, total: usize, N: i32, C: i32, S: i32, ignore: i32, red: i32): i32 {
  const es = <usize>sizeof<T>();
  let bad = 0;
  let sum: f64 = 0, tw: f64 = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const i = <usize>n * <usize>S + <usize>s;
      const t = load<i32>(tg + (i << 2));
      let l: f64 = 0, wt: f64 = 0;
      if (t != ignore) {
        if (t < 0 || t >= C) bad++;
        else {
          wt = w ? <f64>load<T>(w + <usize>t * es) : 1;
          l = -wt * <f64>load<T>(lp + ((<usize>n * <usize>C + <usize>t) * <usize>S + <usize>s) * es);
        }
      }
      if (red == 0) store<T>(out + i * es, <T>l);
      else { sum += l; tw += wt; }
    }
  }
  if (red != 0) {
    store<T>(out, <T>(red == 1 ? sum / tw : sum));
    store<T>(total, <T>tw);
  }
  return bad;
}

// @ts-ignore: decorator
@inline function nllBwdT<T>(g: usize, tg: usize, w: usize, total: usize, out: usize, N: i32, C: i32, S: i32, ignore: i32, red: i32): void {
  const es = <usize>sizeof<T>();
  memory.fill(out, 0, <usize>N * <usize>C * <usize>S * es);
  const g0: f64 = red == 0 ? 0 : <f64>load<T>(g);
  const tw: f64 = red == 1 ? <f64>load<T>(total) : 1;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const i = <usize>n * <usize>S + <usize>s;
      const t = load<i32>(tg + (i << 2));
      if (t == ignore || t < 0 || t >= C) continue;
      const wt: f64 = w ? <f64>load<T>(w + <usize>t * es) : 1;
      const gv: f64 = red == 0 ? <f64>load<T>(g + i * es) : g0;
      store<T>(out + ((<usize>n * <usize>C + <usize>t) * <usize>S + <usize>s) * es, <T>(-wt * gv / tw));
    }
  }
}

export function log_softmax_f32(x: usize, y: usize, A: i32, C: i32, B: i32): void { logSoftmaxT<f32>(x, y, A, C, B); }
export function log_softmax_f64(x: usize, y: usize, A: i32, C: i32, B: i32): void { logSoftmaxT<f64>(x, y, A, C, B); }
export function log_softmax_bwd_f32(g: usize, y: usize, out: usize, A: i32, C: i32, B: i32): void { logSoftmaxBwdT<f32>(g, y, out, A, C, B); }
export function log_softmax_bwd_f64(g: usize, y: usize, out: usize, A: i32, C: i32, B: i32): void { logSoftmaxBwdT<f64>(g, y, out, A, C, B); }
export function nll_f32(lp: usize, tg: usize, w: usize, out: usize, total: usize, N: i32, C: i32, S: i32, ignore: i32, red: i32): i32 { return nllT<f32>(lp, tg, w, out, total, N, C, S, ignore, red); }
export function nll_f64(lp: usize, tg: usize, w: usize, out: usize, total: usize, N: i32, C: i32, S: i32, ignore: i32, red: i32): i32 { return nllT<f64>(lp, tg, w, out, total, N, C, S, ignore, red); }
export function nll_bwd_f32(g: usize, tg: usize, w: usize, total: usize, out: usize, N: i32, C: i32, S: i32, ignore: i32, red: i32): void { nllBwdT<f32>(g, tg, w, total, out, N, C, S, ignore, red); }
export function nll_bwd_f64(g: usize, tg: usize, w: usize, total: usize, out: usize, N: i32, C: i32, S: i32, ignore: i32, red: i32): void { nllBwdT<f64>(g, tg, w, total, out, N, C, S, ignore, red); }

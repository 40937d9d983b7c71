// Fused LSTM and GRU cell gate math, forward and backward, on contiguous row-major [B, kH] blocks
// (PyTorch's gate order: LSTM i, f, g, o; GRU r, z, n). The GEMMs stay outside (the gemm kernels);
// these kernels do the per-step pointwise part in one pass. The forward keeps a workspace of the
// activated gates for the backward, which is then pure arithmetic (f32x4 for f32).
//   LSTM forward:  gi, gh [B,4H], c [B,H] -> h, c2 [B,H], ws [B,5H] = (i, f, g, o, tanh(c2))
//   LSTM backward: dh, dc [B,H], ws, c -> dgates [B,4H], dc_prev [B,H]
//   GRU forward:   gi, gh [B,3H], h [B,H] -> h2 [B,H], ws [B,4H] = (r, z, n, gh_n)
//   GRU backward:  dh [B,H], ws, h -> dgi, dgh [B,3H], dh_prev [B,H]

import { sigmoid4, tanh4, sigmoid1, tanh1 } from "./expv";

// f32 goes through the SIMD functions of assembly/expv.ts, also one value at a time (a row's tail),
// so that every element gets the same approximation whatever H is.
// @ts-ignore: decorator
@inline function sigm<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>sigmoid1(<f32>x);
  const v = <f64>x;
  return <T>(v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v)));
}

// @ts-ignore: decorator
@inline function th<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>tanh1(<f32>x);
  return <T>Math.tanh(<f64>x);
}

/** the two gate inputs summed at element e, four float32 lanes */
// @ts-ignore: decorator
@inline function gateSum(gi: usize, gh: usize, e: usize): v128 { return f32x4.add(v128.load(gi + (e << 2)), v128.load(gh + (e << 2))); }

// @ts-ignore: decorator
@inline function lstmT<T>(gi: usize, gh: usize, c: usize, h: usize, c2: usize, ws: usize, B: i32, H: i32): void {
  const es = <usize>sizeof<T>(), Hs = <usize>H;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 4 * Hs, s0 = <usize>b * 5 * Hs, r0 = <usize>b * Hs;
    let j: usize = 0;
    if (sizeof<T>() == 4) {
      for (; j + 4 <= Hs; j += 4) {
        const ig = sigmoid4(gateSum(gi, gh, g0 + j)), fg = sigmoid4(gateSum(gi, gh, g0 + Hs + j));
        const gg = tanh4(gateSum(gi, gh, g0 + 2 * Hs + j)), og = sigmoid4(gateSum(gi, gh, g0 + 3 * Hs + j));
        const cn = f32x4.add(f32x4.mul(fg, v128.load(c + ((r0 + j) << 2))), f32x4.mul(ig, gg));
        const tc = tanh4(cn);
        v128.store(c2 + ((r0 + j) << 2), cn);
        v128.store(h + ((r0 + j) << 2), f32x4.mul(og, tc));
        v128.store(ws + ((s0 + j) << 2), ig);
        v128.store(ws + ((s0 + Hs + j) << 2), fg);
        v128.store(ws + ((s0 + 2 * Hs + j) << 2), gg);
        v128.store(ws + ((s0 + 3 * Hs + j) << 2), og);
        v128.store(ws + ((s0 + 4 * Hs + j) << 2), tc);
      }
    }
    for (; j < Hs; j++) {
      const ig = sigm<T>(load<T>(gi + (g0 + j) * es) + load<T>(gh + (g0 + j) * es));
      const fg = sigm<T>(load<T>(gi + (g0 + Hs + j) * es) + load<T>(gh + (g0 + Hs + j) * es));
      const gg = th<T>(load<T>(gi + (g0 + 2 * Hs + j) * es) + load<T>(gh + (g0 + 2 * Hs + j) * es));
      const og = sigm<T>(load<T>(gi + (g0 + 3 * Hs + j) * es) + load<T>(gh + (g0 + 3 * Hs + j) * es));
      const cn = fg * load<T>(c + (r0 + j) * es) + ig * gg;
      const tc = th<T>(cn);
      store<T>(c2 + (r0 + j) * es, cn);
      store<T>(h + (r0 + j) * es, og * tc);
      store<T>(ws + (s0 + j) * es, ig);
      store<T>(ws + (s0 + Hs + j) * es, fg);
      store<T>(ws + (s0 + 2 * Hs + j) * es, gg);
      store<T>(ws + (s0 + 3 * Hs + j) * es, og);
      store<T>(ws + (s0 + 4 * Hs + j) * es, tc);
    }
  }
}

// @ts-ignore: decorator
@inline function lstmBwdOne<T>(dh: usize, dc: usize, ws: usize, c: usize, dg: usize, dcp: usize, r0: usize, s0: usize, g0: usize, Hs: usize, j: usize): void {
  const es = <usize>sizeof<T>();
  const ig = load<T>(ws + (s0 + j) * es), fg = load<T>(ws + (s0 + Hs + j) * es);
  const gg = load<T>(ws + (s0 + 2 * Hs + j) * es), og = load<T>(ws + (s0 + 3 * Hs + j) * es);
  const tc = load<T>(ws + (s0 + 4 * Hs + j) * es);
  const d = load<T>(dh + (r0 + j) * es);
  const dct = load<T>(dc + (r0 + j) * es) + d * og * (<T>1 - tc * tc);
  store<T>(dg + (g0 + j) * es, dct * gg * ig * (<T>1 - ig));
  store<T>(dg + (g0 + Hs + j) * es, dct * load<T>(c + (r0 + j) * es) * fg * (<T>1 - fg));
  store<T>(dg + (g0 + 2 * Hs + j) * es, dct * ig * (<T>1 - gg * gg));
  store<T>(dg + (g0 + 3 * Hs + j) * es, d * tc * og * (<T>1 - og));
  store<T>(dcp + (r0 + j) * es, dct * fg);
}

// @ts-ignore: decorator
@inline function lstmBwdT<T>(dh: usize, dc: usize, ws: usize, c: usize, dg: usize, dcp: usize, B: i32, H: i32): void {
  const Hs = <usize>H;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 4 * Hs, s0 = <usize>b * 5 * Hs, r0 = <usize>b * Hs;
    let j: usize = 0;
    if (sizeof<T>() == 4) {
      const one = f32x4.splat(1);
      for (; j + 4 <= Hs; j += 4) {
        const ig = v128.load(ws + ((s0 + j) << 2)), fg = v128.load(ws + ((s0 + Hs + j) << 2));
        const gg = v128.load(ws + ((s0 + 2 * Hs + j) << 2)), og = v128.load(ws + ((s0 + 3 * Hs + j) << 2));
        const tc = v128.load(ws + ((s0 + 4 * Hs + j) << 2));
        const d = v128.load(dh + ((r0 + j) << 2));
        const dct = f32x4.add(v128.load(dc + ((r0 + j) << 2)), f32x4.mul(f32x4.mul(d, og), f32x4.sub(one, f32x4.mul(tc, tc))));
        v128.store(dg + ((g0 + j) << 2), f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), ig), f32x4.sub(one, ig)));
        v128.store(dg + ((g0 + Hs + j) << 2), f32x4.mul(f32x4.mul(f32x4.mul(dct, v128.load(c + ((r0 + j) << 2))), fg), f32x4.sub(one, fg)));
        v128.store(dg + ((g0 + 2 * Hs + j) << 2), f32x4.mul(f32x4.mul(dct, ig), f32x4.sub(one, f32x4.mul(gg, gg))));
        v128.store(dg + ((g0 + 3 * Hs + j) << 2), f32x4.mul(f32x4.mul(f32x4.mul(d, tc), og), f32x4.sub(one, og)));
        v128.store(dcp + ((r0 + j) << 2), f32x4.mul(dct, fg));
      }
    }
    for (; j < Hs; j++) lstmBwdOne<T>(dh, dc, ws, c, dg, dcp, r0, s0, g0, Hs, j);
  }
}

// @ts-ignore: decorator
@inline function gruT<T>(gi: usize, gh: usize, h: usize, h2: usize, ws: usize, B: i32, H: i32): void {
  const es = <usize>sizeof<T>(), Hs = <usize>H;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 3 * Hs, s0 = <usize>b * 4 * Hs, r0 = <usize>b * Hs;
    let j: usize = 0;
    if (sizeof<T>() == 4) {
      // the same operations in the same order as the scalar loop below, four units at a time
      for (; j + 4 <= Hs; j += 4) {
        const r = sigmoid4(gateSum(gh, gi, g0 + j)), z = sigmoid4(gateSum(gh, gi, g0 + Hs + j));
        const hn = v128.load(gh + ((g0 + 2 * Hs + j) << 2));
        const n = tanh4(f32x4.add(v128.load(gi + ((g0 + 2 * Hs + j) << 2)), f32x4.mul(hn, r)));
        v128.store(h2 + ((r0 + j) << 2), f32x4.add(f32x4.mul(f32x4.sub(v128.load(h + ((r0 + j) << 2)), n), z), n));
        v128.store(ws + ((s0 + j) << 2), r);
        v128.store(ws + ((s0 + Hs + j) << 2), z);
        v128.store(ws + ((s0 + 2 * Hs + j) << 2), n);
        v128.store(ws + ((s0 + 3 * Hs + j) << 2), hn);
      }
    }
    for (; j < Hs; j++) {
      // PyTorch's GRUCell: r = sig(hr + ir), z = sig(hz + iz), n = tanh(in + hn * r), h2 = (h - n) * z + n
      const r = sigm<T>(load<T>(gh + (g0 + j) * es) + load<T>(gi + (g0 + j) * es));
      const z = sigm<T>(load<T>(gh + (g0 + Hs + j) * es) + load<T>(gi + (g0 + Hs + j) * es));
      const hn = load<T>(gh + (g0 + 2 * Hs + j) * es);
      const n = th<T>(load<T>(gi + (g0 + 2 * Hs + j) * es) + hn * r);
      store<T>(h2 + (r0 + j) * es, (load<T>(h + (r0 + j) * es) - n) * z + n);
      store<T>(ws + (s0 + j) * es, r);
      store<T>(ws + (s0 + Hs + j) * es, z);
      store<T>(ws + (s0 + 2 * Hs + j) * es, n);
      store<T>(ws + (s0 + 3 * Hs + j) * es, hn);
    }
  }
}

// @ts-ignore: decorator
@inline function gruBwdOne<T>(dh: usize, ws: usize, h: usize, dgi: usize, dgh: usize, dhp: usize, r0: usize, s0: usize, g0: usize, Hs: usize, j: usize): void {
  const es = <usize>sizeof<T>();
  const r = load<T>(ws + (s0 + j) * es), z = load<T>(ws + (s0 + Hs + j) * es);
  const n = load<T>(ws + (s0 + 2 * Hs + j) * es), hn = load<T>(ws + (s0 + 3 * Hs + j) * es);
  const d = load<T>(dh + (r0 + j) * es);
  const dn = d * (<T>1 - z) * (<T>1 - n * n);
  const dz = d * (load<T>(h + (r0 + j) * es) - n) * z * (<T>1 - z);
  const dr = dn * hn * r * (<T>1 - r);
  store<T>(dgi + (g0 + j) * es, dr); store<T>(dgh + (g0 + j) * es, dr);
  store<T>(dgi + (g0 + Hs + j) * es, dz); store<T>(dgh + (g0 + Hs + j) * es, dz);
  store<T>(dgi + (g0 + 2 * Hs + j) * es, dn); store<T>(dgh + (g0 + 2 * Hs + j) * es, dn * r);
  store<T>(dhp + (r0 + j) * es, d * z);
}

// @ts-ignore: decorator
@inline function gruBwdT<T>(dh: usize, ws: usize, h: usize, dgi: usize, dgh: usize, dhp: usize, B: i32, H: i32): void {
  const Hs = <usize>H;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 3 * Hs, s0 = <usize>b * 4 * Hs, r0 = <usize>b * Hs;
    let j: usize = 0;
    if (sizeof<T>() == 4) {
      const one = f32x4.splat(1);
      for (; j + 4 <= Hs; j += 4) {
        const r = v128.load(ws + ((s0 + j) << 2)), z = v128.load(ws + ((s0 + Hs + j) << 2));
        const n = v128.load(ws + ((s0 + 2 * Hs + j) << 2)), hn = v128.load(ws + ((s0 + 3 * Hs + j) << 2));
        const d = v128.load(dh + ((r0 + j) << 2));
        const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
        const dz = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(v128.load(h + ((r0 + j) << 2)), n)), z), f32x4.sub(one, z));
        const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, hn), r), f32x4.sub(one, r));
        v128.store(dgi + ((g0 + j) << 2), dr); v128.store(dgh + ((g0 + j) << 2), dr);
        v128.store(dgi + ((g0 + Hs + j) << 2), dz); v128.store(dgh + ((g0 + Hs + j) << 2), dz);
        v128.store(dgi + ((g0 + 2 * Hs + j) << 2), dn); v128.store(dgh + ((g0 + 2 * Hs + j) << 2), f32x4.mul(dn, r));
        v128.store(dhp + ((r0 + j) << 2), f32x4.mul(d, z));
      }
    }
    for (; j < Hs; j++) gruBwdOne<T>(dh, ws, h, dgi, dgh, dhp, r0, s0, g0, Hs, j);
  }
}

export function lstm_cell_f32(gi: usize, gh: usize, c: usize, h: usize, c2: usize, ws: usize, B: i32, H: i32): void { lstmT<f32>(gi, gh, c, h, c2, ws, B, H); }
export function lstm_cell_f64(gi: usize, gh: usize, c: usize, h: usize, c2: usize, ws: usize, B: i32, H: i32): void { lstmT<f64>(gi, gh, c, h, c2, ws, B, H); }
export function lstm_cell_bwd_f32(dh: usize, dc: usize, ws: usize, c: usize, dg: usize, dcp: usize, B: i32, H: i32): void { lstmBwdT<f32>(dh, dc, ws, c, dg, dcp, B, H); }
export function lstm_cell_bwd_f64(dh: usize, dc: usize, ws: usize, c: usize, dg: usize, dcp: usize, B: i32, H: i32): void { lstmBwdT<f64>(dh, dc, ws, c, dg, dcp, B, H); }
export function gru_cell_f32(gi: usize, gh: usize, h: usize, h2: usize, ws: usize, B: i32, H: i32): void { gruT<f32>(gi, gh, h, h2, ws, B, H); }
export function gru_cell_f64(gi: usize, gh: usize, h: usize, h2: usize, ws: usize, B: i32, H: i32): void { gruT<f64>(gi, gh, h, h2, ws, B, H); }
export function gru_cell_bwd_f32(dh: usize, ws: usize, h: usize, dgi: usize, dgh: usize, dhp: usize, B: i32, H: i32): void { gruBwdT<f32>(dh, ws, h, dgi, dgh, dhp, B, H); }
export function gru_cell_bwd_f64(dh: usize, ws: usize, h: usize, dgi: usize, dgh: usize, dhp: usize, B: i32, H: i32): void { gruBwdT<f64>(dh, ws, h, dgi, dgh, dhp, B, H); }

// WGSL for the recurrent cell kernels (float32): one invocation per (row b, unit j) of [B, H].
// Every operand is contiguous; P holds B*H, H and each operand's element offset. Gate blocks and
// workspace layouts as assembly/rnn.ts: LSTM ws [B, 5H] = (i, f, g, o, tanh c2); GRU ws [B, 4H] =
// (r, z, n, gh_n).
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

const bind = (names: string[], outs: number): string => names.map((n, k) =>
  `@group(0) @binding(${k}) var<storage, ${k >= names.length - outs ? 'read_write' : 'read'}> ${n}: array<f32>;`).join('\n') +
  `\n@group(0) @binding(${names.length}) var<storage, read> P: array<u32>;`;

// as the pointwise table's sigmoid and tanh (tanh clamped: some drivers overflow for large |x|)
const ACT = `
fn sig(x: f32) -> f32 { return select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0); }
fn th(x: f32) -> f32 { return tanh(clamp(x, -20.0, 20.0)); }`;

const HEAD = `
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let H = P[1]; let b = i / H; let j = i % H;`;

/** P: B*H, H, offGi, offGh, offC. */
export const lstmCellSource = (W: number): string => `${bind(['GI', 'GH', 'C', 'Hn', 'Cn', 'WS'], 3)}
${ACT}
${MAIN_1D(W)} {${HEAD}
  let g = b * 4u * H + j;
  let ig = sig(GI[P[2] + g] + GH[P[3] + g]);
  let fg = sig(GI[P[2] + g + H] + GH[P[3] + g + H]);
  let gg = th(GI[P[2] + g + 2u * H] + GH[P[3] + g + 2u * H]);
  let og = sig(GI[P[2] + g + 3u * H] + GH[P[3] + g + 3u * H]);
  let cn = fg * C[P[4] + i] + ig * gg;
  let tc = th(cn);
  Cn[i] = cn;
  Hn[i] = og * tc;
  let s = b * 5u * H + j;
  WS[s] = ig; WS[s + H] = fg; WS[s + 2u * H] = gg; WS[s + 3u * H] = og; WS[s + 4u * H] = tc;
}`;

/** P: B*H, H, offDh, offDc, offWs, offC. */
export const lstmCellBackwardSource = (W: number): string => `${bind(['DH', 'DC', 'WS', 'C', 'DG', 'DCP'], 2)}
${MAIN_1D(W)} {${HEAD}
  let s = P[4] + b * 5u * H + j;
  let ig = WS[s]; let fg = WS[s + H]; let gg = WS[s + 2u * H]; let og = WS[s + 3u * H]; let tc = WS[s + 4u * H];
  let d = DH[P[2] + i];
  let dct = DC[P[3] + i] + d * og * (1.0 - tc * tc);
  let g = b * 4u * H + j;
  DG[g] = dct * gg * ig * (1.0 - ig);
  DG[g + H] = dct * C[P[5] + i] * fg * (1.0 - fg);
  DG[g + 2u * H] = dct * ig * (1.0 - gg * gg);
  DG[g + 3u * H] = d * tc * og * (1.0 - og);
  DCP[i] = dct * fg;
}`;

/** P: B*H, H, offGi, offGh, offH. */
export const gruCellSource = (W: number): string => `${bind(['GI', 'GH', 'Hp', 'Hn', 'WS'], 2)}
${ACT}
${MAIN_1D(W)} {${HEAD}
  let g = b * 3u * H + j;
  let r = sig(GH[P[3] + g] + GI[P[2] + g]);
  let z = sig(GH[P[3] + g + H] + GI[P[2] + g + H]);
  let hn = GH[P[3] + g + 2u * H];
  let n = th(GI[P[2] + g + 2u * H] + hn * r);
  Hn[i] = (Hp[P[4] + i] - n) * z + n;
  let s = b * 4u * H + j;
  WS[s] = r; WS[s + H] = z; WS[s + 2u * H] = n; WS[s + 3u * H] = hn;
}`;

/** P: B*H, H, offDh, offWs, offH. */
export const gruCellBackwardSource = (W: number): string => `${bind(['DH', 'WS', 'Hp', 'DGI', 'DGH', 'DHP'], 3)}
${MAIN_1D(W)} {${HEAD}
  let s = P[3] + b * 4u * H + j;
  let r = WS[s]; let z = WS[s + H]; let n = WS[s + 2u * H]; let hn = WS[s + 3u * H];
  let d = DH[P[2] + i];
  let dn = d * (1.0 - z) * (1.0 - n * n);
  let dz = d * (Hp[P[4] + i] - n) * z * (1.0 - z);
  let dr = dn * hn * r * (1.0 - r);
  let g = b * 3u * H + j;
  DGI[g] = dr; DGH[g] = dr;
  DGI[g + H] = dz; DGH[g + H] = dz;
  DGI[g + 2u * H] = dn; DGH[g + 2u * H] = dn * r;
  DHP[i] = d * z;
}`;

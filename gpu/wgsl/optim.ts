// Fused optimizer updates in WGSL, one kernel per optimizer, generated from one table that
// mirrors assembly/optim.ts operation by operation (same f32 roundings of the hyper-parameters,
// same order of operations), so a step on webgpu matches a step on the CPU to float rounding.
//
// Each invocation updates one element: the parameter (read_write), its gradient (read) and the
// optimizer's state buffers (read_write) in place. The flags (maximize, amsgrad, nesterov, ...) are
// compile-time: each flag combination is its own pipeline, so a kernel binds exactly the state
// buffers it uses (layout 'auto' rejects unused bindings).
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

/** Flag bits shared with assembly/optim.ts and ts/optim/*.ts. */
export const MAXIMIZE = 1;
const SGD_NESTEROV = 2, SGD_FIRST = 4, SGD_MOMENTUM = 8;
const ADAM_AMSGRAD = 2, ADAM_DECOUPLED = 4;
const RMS_CENTERED = 2, RMS_MOMENTUM = 4;
const RADAM_RECTIFY = 2;

export interface OptimKernelDef {
  /** state buffer names, in the order fusedUpdate passes them (null entries are not bound) */
  states: readonly string[];
  /** the f32 constants the kernel reads, named c_<name> in the body */
  consts: readonly string[];
  /** fusedUpdate's f64 scalars to the constants, derived in f64 as the wasm kernel derives them */
  prep: (s: readonly number[]) => number[];
  /**
   * WGSL statements updating `pv` (var, the parameter value) from `gv` (the gradient value);
   * state `x` is read and written as `S_x[o_x]`. `has(flag)` tells the compile-time flags.
   */
  body: (has: (flag: number) => boolean) => string;
}

/** d = grad (negated when maximizing) + weight_decay * p (when weight_decay != 0 and not decoupled). */
function grad(has: (f: number) => boolean, withWd = true): string {
  const g = has(MAXIMIZE) ? '-gv' : 'gv';
  return withWd ? `var d = ${g};\n  if (c_wd != 0.0) { d = d + c_wd * pv; }` : `let d = ${g};`;
}

/** Adam-family start: AdamW-style decay of p first (decoupled), else the L2 term in d; then m and v. */
function adamMoments(has: (f: number) => boolean): string {
  const decoupled = has(ADAM_DECOUPLED);
  return `${decoupled ? 'pv = pv * c_decay;\n  ' : ''}${grad(has, !decoupled)}
  let mv = S_m[o_m] * c_b1 + c_omb1 * d;
  var vv = S_v[o_v] * c_b2 + c_omb2 * d * d;
  S_m[o_m] = mv;
  S_v[o_v] = vv;`;
}

export const OPTIM_KERNELS = {
  // buf = first ? d : buf * momentum + (1 - dampening) d; d = nesterov ? d + momentum buf : buf; p += -lr d
  sgd: {
    states: ['b'],
    consts: ['nlr', 'mom', 'damp1', 'wd'],
    prep: ([lr, momentum, dampening, wd]) => [-lr, momentum, 1 - dampening, wd],
    body: (has) => `${grad(has)}
  ${has(SGD_MOMENTUM) ? `let bv = ${has(SGD_FIRST) ? 'd' : 'S_b[o_b] * c_mom + c_damp1 * d'};
  S_b[o_b] = bv;
  d = ${has(SGD_NESTEROV) ? 'd + c_mom * bv' : 'bv'};` : ''}
  pv = pv + c_nlr * d;`,
  },
  // denom = sqrt(v | max(vmax, v)) / sqrt(bc2) + eps; p += -step_size m / denom
  adam: {
    states: ['m', 'v', 'vm'],
    consts: ['nss', 'b1', 'omb1', 'b2', 'omb2', 'bc2s', 'eps', 'wd', 'decay'],
    prep: ([nss, b1, b2, bc2s, eps, wd, decay]) => [nss, b1, 1 - b1, b2, 1 - b2, bc2s, eps, wd, decay],
    body: (has) => `${adamMoments(has)}
  ${has(ADAM_AMSGRAD) ? 'let x = S_vm[o_vm];\n  vv = select(vv, x, x > vv);\n  S_vm[o_vm] = vv;' : ''}
  let den = sqrt(vv) / c_bc2s + c_eps;
  pv = pv + c_nss * (mv / den);`,
  },
  // sq = rho sq + (1-rho) d d; delta = sqrt(acc + eps) / sqrt(sq + eps) d; acc = rho acc + (1-rho) delta delta
  adadelta: {
    states: ['s', 'a'],
    consts: ['nlr', 'rho', 'omr', 'eps', 'wd'],
    prep: ([lr, rho, eps, wd]) => [-lr, rho, 1 - rho, eps, wd],
    body: (has) => `${grad(has)}
  let sv = S_s[o_s] * c_rho + c_omr * d * d;
  let av = S_a[o_a];
  let delta = sqrt(av + c_eps) / sqrt(sv + c_eps) * d;
  S_s[o_s] = sv;
  S_a[o_a] = av * c_rho + c_omr * delta * delta;
  pv = pv + c_nlr * delta;`,
  },
  // sum += d d; p += -clr d / (sqrt(sum) + eps)
  adagrad: {
    states: ['s'],
    consts: ['nclr', 'eps', 'wd'],
    prep: ([clr, eps, wd]) => [-clr, eps, wd],
    body: (has) => `${grad(has)}
  let sv = S_s[o_s] + d * d;
  S_s[o_s] = sv;
  pv = pv + c_nclr * (d / (sqrt(sv) + c_eps));`,
  },
  // sq = alpha sq + (1-alpha) d d; avg = sqrt(sq [- ga ga]) + eps; p += -lr (momentum ? buf : d / avg)
  rmsprop: {
    states: ['s', 'ga', 'b'],
    consts: ['nlr', 'al', 'oma', 'eps', 'wd', 'mom'],
    prep: ([lr, alpha, eps, wd, momentum]) => [-lr, alpha, 1 - alpha, eps, wd, momentum],
    body: (has) => `${grad(has)}
  let sv = S_s[o_s] * c_al + c_oma * d * d;
  S_s[o_s] = sv;
  ${has(RMS_CENTERED) ? `let gav = S_ga[o_ga] * c_al + c_oma * d;
  S_ga[o_ga] = gav;
  var avg = sqrt(sv - gav * gav);` : 'var avg = sqrt(sv);'}
  avg = avg + c_eps;
  ${has(RMS_MOMENTUM) ? `let bv = S_b[o_b] * c_mom + d / avg;
  S_b[o_b] = bv;
  pv = pv + c_nlr * bv;` : 'pv = pv + c_nlr * (d / avg);'}`,
  },
  // m = b1 m + (1-b1) d; u = max(b2 u, |d| + eps) (NaN propagating); p += -clr m / u
  adamax: {
    states: ['m', 'u'],
    consts: ['nclr', 'b1', 'omb1', 'b2', 'eps', 'wd'],
    prep: ([nclr, b1, b2, eps, wd]) => [nclr, b1, 1 - b1, b2, eps, wd],
    body: (has) => `${grad(has)}
  let mv = S_m[o_m] * c_b1 + c_omb1 * d;
  let a = S_u[o_u] * c_b2;
  let c = abs(d) + c_eps;
  let uv = select(c, a, isnan_(a) || a > c);
  S_m[o_m] = mv;
  S_u[o_u] = uv;
  pv = pv + c_nclr * (mv / uv);`,
  },
  // m, v as Adam; denom = sqrt(v / bc2) + eps; p += c1 d / denom; p += c2 m / denom
  nadam: {
    states: ['m', 'v'],
    consts: ['b1', 'omb1', 'b2', 'omb2', 'bc2', 'eps', 'c1', 'c2', 'wd', 'decay'],
    prep: ([b1, b2, bc2, eps, c1, c2, wd, decay]) => [b1, 1 - b1, b2, 1 - b2, bc2, eps, c1, c2, wd, decay],
    body: (has) => `${adamMoments(has)}
  let den = sqrt(vv / c_bc2) + c_eps;
  pv = pv + c_c1 * (d / den);
  pv = pv + c_c2 * (mv / den);`,
  },
  // m, v as Adam; bm = m / bc1 lr; rectified: p -= bm (sqrt(bc2) / (sqrt(v) + eps)) rect, else p -= bm
  radam: {
    states: ['m', 'v'],
    consts: ['b1', 'omb1', 'b2', 'omb2', 'bc1', 'lr', 'bc2s', 'eps', 'rect', 'wd', 'decay'],
    prep: ([b1, b2, bc1, lr, bc2s, eps, rect, wd, decay]) => [b1, 1 - b1, b2, 1 - b2, bc1, lr, bc2s, eps, rect, wd, decay],
    body: (has) => `${adamMoments(has)}
  let bm = mv / c_bc1 * c_lr;
  ${has(RADAM_RECTIFY) ? 'pv = pv - bm * (c_bc2s / (sqrt(vv) + c_eps)) * c_rect;' : 'pv = pv - bm;'}`,
  },
} satisfies Record<string, OptimKernelDef>;

export type OptimName = keyof typeof OPTIM_KERNELS;

export const optimKey = (name: OptimName, flags: number, bound: readonly string[], wgSize: number): string =>
  `optim_${name}_${flags}_${bound.join('.')}_${wgSize}`;

/**
 * WGSL for one optimizer and flag set. Bindings: the parameter (read_write), the gradient (read),
 * each bound state (read_write), then P = [n, offset of p, of g, of each bound state, constants (f32 bits)].
 */
export function optimSource(name: OptimName, flags: number, bound: readonly string[], wgSize: number): string {
  const def: OptimKernelDef = OPTIM_KERNELS[name];
  const decls = [
    '@group(0) @binding(0) var<storage, read_write> Prm: array<f32>;',
    '@group(0) @binding(1) var<storage, read> G: array<f32>;',
    ...bound.map((s, k) => `@group(0) @binding(${k + 2}) var<storage, read_write> S_${s}: array<f32>;`),
    `@group(0) @binding(${bound.length + 2}) var<storage, read> P: array<u32>;`,
  ];
  const offsets = bound.map((s, k) => `let o_${s} = P[${k + 3}u] + i;`);
  const base = bound.length + 3;
  const consts = def.consts.map((c, k) => `let c_${c} = bitcast<f32>(P[${base + k}u]);`);
  return `${decls.join('\n')}
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
${MAIN_1D(wgSize)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let o_p = P[1] + i;
  let gv = G[P[2] + i];
  ${offsets.join('\n  ')}
  ${consts.join('\n  ')}
  var pv = Prm[o_p];
  ${def.body((f) => (flags & f) !== 0)}
  Prm[o_p] = pv;
}`;
}

// The optimizer update table: each fused optimizer update is declared here once.
//
// This file has no imports: build/gen-optim.mjs reads it to generate the AssemblyScript kernels
// (assembly/generated/optim.ts: f32 with SIMD128 plus a scalar tail, and f64), gpu/wgsl/optim.ts
// reads it to generate the WGSL kernels at run time (the update text from its generated copy,
// gpu/wgsl/generated/optim_updates.ts, as the bundles strip it here; both parse the updates with
// gpu/wgsl/optim_rule.ts, which the CPU path never loads), and ts/optim/fused.ts reads it for the flag
// bits and the order of the state buffers and scalars. Both backends therefore run the same
// operations in the same order, with the hyper-parameters rounded to the element type once.
//
// A rule declares:
// - `flags`: named bits, bit k = 1 << k (`maximize` is bit 0 everywhere);
// - `states`: the state buffers in kernel order, each mapped to the flag that enables it ('' =
//   always); a disabled state is passed as null and never touched;
// - `scalars`: the per-step numbers, in kernel order, computed in f64 by ts/optim/*.ts
//   (torch/optim/*.py's formulas) and rounded to the element type once by the kernel;
// - `update`: the per-element update, in the little language below.
//
// The update language: statements separated by `;` or newlines.
//   name = expr                      assigns `p` (the parameter), a state (written back after the
//                                    update) or a local (any other name)
//   if COND { ... } else { ... }     COND: `flag`, `!flag` or `scalar != 0`, joined by `&&`
// Expressions: numbers, names (`p`, `g` the gradient, states, scalars, locals), + - * / and
// unary -, parentheses, `flag ? a : b`, `sqrt(x)`, `abs(x)`, `max(a, b)` (NaN when either is NaN,
// as f32x4.max) and `pmax(a, b)` (b when b > a, else a, as f32x4.pmax). Operations keep the
// written order (a * b * c is (a * b) * c), which fixes every rounding.

export interface OptimRule {
  readonly flags: readonly string[];
  readonly states: Readonly<Record<string, string>>;
  readonly scalars: readonly string[];
  readonly update: string;
}

/** The direction d: the gradient (negated when maximizing) plus the L2 term weight_decay * p. */
const GRAD = `
  d = maximize ? -g : g
  if wd != 0 { d = d + wd * p }`;

/**
 * Adam, NAdam and RAdam's common start: AdamW-style decay of p first when decoupled (else the L2
 * term in d), then the first and second moments m and v.
 */
const MOMENTS = `
  if decoupled { p = p * decay }
  d = maximize ? -g : g
  if !decoupled && wd != 0 { d = d + wd * p }
  m = m * b1 + omb1 * d
  v = v * b2 + omb2 * d * d`;

export const OPTIM = {
  // d = grad (+ wd p); buf = first ? d : momentum buf + (1 - dampening) d;
  // d = nesterov ? d + momentum buf : buf; p += -lr d
  sgd: {
    flags: ['maximize', 'nesterov', 'first', 'momentum'],
    states: { b: 'momentum' },
    scalars: ['nlr', 'mom', 'damp1', 'wd'],
    update: `${GRAD}
      if momentum {
        b = first ? d : b * mom + damp1 * d
        d = nesterov ? d + mom * b : b
      }
      p = p + nlr * d`,
  },
  // denom = sqrt(v | max(vmax, v)) / sqrt(1 - beta2^t) + eps; p += -step_size m / denom
  adam: {
    flags: ['maximize', 'amsgrad', 'decoupled'],
    states: { m: '', v: '', vm: 'amsgrad' },
    scalars: ['nss', 'b1', 'omb1', 'b2', 'omb2', 'bc2s', 'eps', 'wd', 'decay'],
    update: `${MOMENTS}
      w = v
      if amsgrad { vm = pmax(w, vm); w = vm }
      p = p + nss * (m / (sqrt(w) / bc2s + eps))`,
  },
  // sq = rho sq + (1-rho) d d; delta = sqrt(acc + eps) / sqrt(sq + eps) d;
  // acc = rho acc + (1-rho) delta delta; p += -lr delta
  adadelta: {
    flags: ['maximize'],
    states: { s: '', a: '' },
    scalars: ['nlr', 'rho', 'omr', 'eps', 'wd'],
    update: `${GRAD}
      s = s * rho + omr * d * d
      delta = sqrt(a + eps) / sqrt(s + eps) * d
      a = a * rho + omr * delta * delta
      p = p + nlr * delta`,
  },
  // sum += d d; p += -clr d / (sqrt(sum) + eps)
  adagrad: {
    flags: ['maximize'],
    states: { s: '' },
    scalars: ['nclr', 'eps', 'wd'],
    update: `${GRAD}
      s = s + d * d
      p = p + nclr * (d / (sqrt(s) + eps))`,
  },
  // sq = alpha sq + (1-alpha) d d; avg = sqrt(sq [- ga ga]) + eps (ga = alpha ga + (1-alpha) d);
  // momentum: buf = momentum buf + d / avg, p += -lr buf; else p += -lr d / avg
  rmsprop: {
    flags: ['maximize', 'centered', 'momentum'],
    states: { s: '', ga: 'centered', b: 'momentum' },
    scalars: ['nlr', 'al', 'oma', 'eps', 'wd', 'mom'],
    update: `${GRAD}
      s = s * al + oma * d * d
      if centered { ga = ga * al + oma * d; avg = sqrt(s - ga * ga) } else { avg = sqrt(s) }
      avg = avg + eps
      if momentum { b = b * mom + d / avg; p = p + nlr * b } else { p = p + nlr * (d / avg) }`,
  },
  // m = b1 m + (1-b1) d; u = max(b2 u, |d| + eps) (NaN propagating); p += -clr m / u
  adamax: {
    flags: ['maximize'],
    states: { m: '', u: '' },
    scalars: ['nclr', 'b1', 'omb1', 'b2', 'eps', 'wd'],
    update: `${GRAD}
      m = m * b1 + omb1 * d
      u = max(u * b2, abs(d) + eps)
      p = p + nclr * (m / u)`,
  },
  // m, v as Adam; denom = sqrt(v / bc2) + eps; p += c1 d / denom; p += c2 m / denom
  nadam: {
    flags: ['maximize', 'decoupled'],
    states: { m: '', v: '' },
    scalars: ['b1', 'omb1', 'b2', 'omb2', 'bc2', 'eps', 'c1', 'c2', 'wd', 'decay'],
    update: `${MOMENTS}
      den = sqrt(v / bc2) + eps
      p = p + c1 * (d / den)
      p = p + c2 * (m / den)`,
  },
  // m, v as Adam; bm = m / bc1 lr; rectified: p -= bm (sqrt(bc2) / (sqrt(v) + eps)) rect, else p -= bm
  radam: {
    flags: ['maximize', 'rectify', 'decoupled'],
    states: { m: '', v: '' },
    scalars: ['b1', 'omb1', 'b2', 'omb2', 'bc1', 'lr', 'bc2s', 'eps', 'rect', 'wd', 'decay'],
    update: `${MOMENTS}
      bm = m / bc1 * lr
      if rectify { p = p - bm * (bc2s / (sqrt(v) + eps)) * rect } else { p = p - bm }`,
  },
} as const satisfies Record<string, OptimRule>;

export type OptimName = keyof typeof OPTIM;
export type OptimFlag<N extends OptimName> = (typeof OPTIM)[N]['flags'][number];
export type OptimState<N extends OptimName> = keyof (typeof OPTIM)[N]['states'] & string;
export type OptimScalar<N extends OptimName> = (typeof OPTIM)[N]['scalars'][number];

// ------------------------------------------------------------------ reading the table

/** The bit of `flag` in rule `rule`. */
export function flagBit(rule: OptimRule, flag: string): number {
  const k = rule.flags.indexOf(flag);
  if (k < 0) throw new Error(`optim table: unknown flag '${flag}'`);
  return 1 << k;
}

/** Whether state `state` of `rule` is used under `flags`. */
export function stateEnabled(rule: OptimRule, state: string, flags: number): boolean {
  const f = rule.states[state];
  return !f || (flags & flagBit(rule, f)) !== 0;
}

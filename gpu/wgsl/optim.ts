// Fused optimizer updates in WGSL, one kernel per optimizer and flag set, generated from the update
// table in ts/optim/optim_table.ts, the table build/gen-optim.mjs turns into the wasm kernels: the
// same operations in the same order, the hyper-parameters rounded to f32 once, so a step on webgpu
// matches a step on the CPU to float rounding.
//
// Each invocation updates one element: the parameter (read_write), its gradient (read) and the
// optimizer's state buffers (read_write) in place. The flags (maximize, amsgrad, nesterov, ...) are
// compile-time: each flag combination is its own pipeline, so a kernel binds exactly the state
// buffers its flags enable (layout 'auto' rejects unused bindings).
import { MAIN_1D, LINEAR_ID } from '../runtime.js';
import { OPTIM, stateEnabled, type OptimName, type OptimRule } from '../../ts/optim/optim_table.js';
import { parseRule, type ParsedRule, type Expr, type Stmt, type CondAtom } from './optim_rule.js';
import { UPDATES } from './generated/optim_updates.js';

const parsed = new Map<OptimName, ParsedRule>();
function rule(name: OptimName): [OptimRule, ParsedRule] {
  const r: OptimRule = OPTIM[name];
  let p = parsed.get(name);
  // the update's text from its generated copy: the bundles strip it from the table
  if (!p) parsed.set(name, (p = parseRule(name, { ...r, update: UPDATES[name] })));
  return [r, p];
}

/** The state buffers kernel `name` binds under `flags`, in the table's order. */
export function boundStates(name: OptimName, flags: number): string[] {
  const r: OptimRule = OPTIM[name];
  return Object.keys(r.states).filter((s) => stateEnabled(r, s, flags));
}

export const optimKey = (name: OptimName, flags: number, wgSize: number): string => `optim_${name}_${flags}_${wgSize}`;

const CALL = { sqrt: 'sqrt', abs: 'abs', max: 'max_', pmax: 'pmax_' } as const;

/** The statements of rule `name` as WGSL, with the compile-time flags resolved. */
function body(name: OptimName, flags: number): string[] {
  const [r, p] = rule(name);
  const bound = boundStates(name, flags);
  const on = (f: string): boolean => (flags & (1 << r.flags.indexOf(f))) !== 0;
  const value = (n: string): string => {
    if (r.scalars.includes(n)) return `c_${n}`;
    if (n in r.states && !bound.includes(n)) throw new Error(`optim ${name}: state '${n}' is used but not bound under flags ${flags}`);
    return `v_${n}`;
  };
  const expr = (e: Expr): string => {
    switch (e.k) {
      case 'num': return `f32(${e.v})`;
      case 'name': return value(e.n);
      case 'neg': return `-(${expr(e.a)})`;
      case 'bin': return `(${expr(e.a)} ${e.op} ${expr(e.b)})`;
      case 'call': return `${CALL[e.f]}(${e.args.map(expr).join(', ')})`;
      case 'sel': return expr(holds(e.c) ? e.a : e.b);
    }
  };
  // a condition on flags alone is decided here; `scalar != 0` tests stay in the kernel
  const holds = (a: CondAtom): boolean => ('nz' in a ? true : on(a.flag) !== a.not);
  const out: string[] = [];
  const stmts = (list: Stmt[], ind: string): void => {
    for (const s of list) {
      if (s.k === 'set') { out.push(`${ind}${value(s.n)} = ${expr(s.e)};`); continue; }
      const runtime = s.c.filter((a): a is { nz: string } => 'nz' in a).map((a) => `c_${a.nz} != 0.0`);
      const branch = s.c.every(holds) ? s.t : null;
      if (!runtime.length) { stmts(branch ?? s.f, ind); continue; }
      if (!branch) { stmts(s.f, ind); continue; }
      out.push(`${ind}if (${runtime.join(' && ')}) {`);
      stmts(s.t, ind + '  ');
      if (s.f.length) { out.push(`${ind}} else {`); stmts(s.f, ind + '  '); }
      out.push(`${ind}}`);
    }
  };
  for (const l of p.locals) out.push(`var v_${l}: f32;`);
  stmts(p.body, '');
  return out;
}

/**
 * WGSL for one optimizer and flag set. Bindings: the parameter (read_write), the gradient (read),
 * each bound state (read_write), then P = [n, offset of p, of g, of each bound state, scalars (f32 bits)].
 */
export function optimSource(name: OptimName, flags: number, wgSize: number): string {
  const [r, p] = rule(name);
  const bound = boundStates(name, flags);
  const decls = [
    '@group(0) @binding(0) var<storage, read_write> Prm: array<f32>;',
    '@group(0) @binding(1) var<storage, read> G: array<f32>;',
    ...bound.map((s, k) => `@group(0) @binding(${k + 2}) var<storage, read_write> S_${s}: array<f32>;`),
    `@group(0) @binding(${bound.length + 2}) var<storage, read> P: array<u32>;`,
  ];
  const base = bound.length + 3;
  return `${decls.join('\n')}
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// NaN when either is NaN (as f32x4.max); b when b > a, else a (as f32x4.pmax)
fn max_(a: f32, b: f32) -> f32 { return select(b, a, isnan_(a) || a > b); }
fn pmax_(a: f32, b: f32) -> f32 { return select(a, b, b > a); }
${MAIN_1D(wgSize)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let o_p = P[1] + i;
  let v_g = G[P[2] + i];
  ${bound.map((s, k) => `let o_${s} = P[${k + 3}u] + i;`).join('\n  ')}
  ${r.scalars.map((c, k) => `let c_${c} = bitcast<f32>(P[${base + k}u]);`).join('\n  ')}
  var v_p = Prm[o_p];
  ${bound.map((s) => `var v_${s} = S_${s}[o_${s}];`).join('\n  ')}
  ${body(name, flags).join('\n  ')}
  Prm[o_p] = v_p;
  ${bound.filter((s) => p.written.has(s)).map((s) => `S_${s}[o_${s}] = v_${s};`).join('\n  ')}
}`;
}

// Generates assembly/generated/optim.ts, the fused optimizer kernels, from the update table in
// ts/optim/optim_table.ts (the WGSL kernels come from the same table: gpu/wgsl/optim.ts).
//
// Each rule becomes `<name>_f32` (SIMD128 over 4 lanes, then a scalar tail) and `<name>_f64`
// (scalar), with the signature (p, g, ...states, n, ...scalars, flags): pointers to contiguous
// arrays of n elements, a null pointer for a state the flags leave unused, the scalars as f64
// (rounded to the element type once, like PyTorch's scalar arguments) and the flag bits. Every
// value is loaded once per element, the statements run in the written order (no FMA), and the
// parameter and the written states are stored back at the end.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// the table, and the parser of its update language (gpu/wgsl/optim_rule.ts, which imports the table for types only)
const load = (file) => {
  const js = ts.transpileModule(readFileSync(join(root, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  return import('data:text/javascript;base64,' + Buffer.from(js).toString('base64'));
};
const { OPTIM, flagBit } = await load('ts/optim/optim_table.ts');
const { parseRule } = await load('gpu/wgsl/optim_rule.ts');

const SIMD_OP = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };
const SIMD_CALL = { sqrt: 'f32x4.sqrt', abs: 'f32x4.abs', max: 'f32x4.max', pmax: 'f32x4.pmax' };
const SCALAR_CALL = { sqrt: 'sqrt', abs: 'fabs', max: 'nanmax', pmax: 'pmax' };

/** The names a statement (or expression) reads or writes, except scalars. */
function refs(x, rule, acc = new Set()) {
  if (Array.isArray(x)) { for (const y of x) refs(y, rule, acc); return acc; }
  switch (x.k) {
    case 'set': acc.add(x.n); refs(x.e, rule, acc); break;
    case 'if': refs(x.t, rule, acc); refs(x.f, rule, acc); break;
    case 'name': if (!rule.scalars.includes(x.n)) acc.add(x.n); break;
    case 'neg': refs(x.a, rule, acc); break;
    case 'bin': case 'sel': refs(x.a, rule, acc); refs(x.b, rule, acc); break;
    case 'call': refs(x.args, rule, acc); break;
  }
  return acc;
}

/**
 * AssemblyScript for one rule's loop body; `simd`: over v128 lanes, else over scalars of T.
 * Each value lives in the innermost block that holds all its uses: a state used only under
 * `if amsgrad { ... }` is loaded and stored there, as a hand-written kernel would.
 */
function body(rule, parsed, T, simd) {
  const states = Object.keys(rule.states);
  const scalar = (n) => (simd ? `x_${n}` : `k_${n}`);
  const cond = (c) => c.map((a) => ('nz' in a ? `nz_${a.nz}` : `${a.not ? '!' : ''}f_${a.flag}`)).join(' && ');
  function expr(e) {
    switch (e.k) {
      case 'num': return simd ? `f32x4.splat(<f32>${e.v})` : `<${T}>${e.v}`;
      case 'name': return rule.scalars.includes(e.n) ? scalar(e.n) : `v_${e.n}`;
      case 'neg': return simd ? `f32x4.neg(${expr(e.a)})` : `-(${expr(e.a)})`;
      case 'bin': return simd ? `f32x4.${SIMD_OP[e.op]}(${expr(e.a)}, ${expr(e.b)})` : `(${expr(e.a)} ${e.op} ${expr(e.b)})`;
      case 'call': return simd ? `${SIMD_CALL[e.f]}(${e.args.map(expr).join(', ')})` : `${SCALAR_CALL[e.f]}<${T}>(${e.args.map(expr).join(', ')})`;
      case 'sel': return `(${cond([e.c])} ? ${expr(e.a)} : ${expr(e.b)})`;
    }
    throw new Error(`unknown expression ${e.k}`);
  }
  const VT = simd ? 'v128' : T;
  const zero = simd ? 'zero4' : `<${T}>0`;
  const ptr = (n) => (n === 'p' ? 'P' : n === 'g' ? 'G' : `S_${n}`);
  const at = (n) => `${ptr(n)} + (<usize>i << ${simd || T === 'f32' ? 2 : 3})`;
  const ld = (n) => (simd ? `v128.load(${at(n)})` : `load<${T}>(${at(n)})`);
  const st = (n) => (simd ? `v128.store(${at(n)}, v_${n});` : `store<${T}>(${at(n)}, v_${n});`);
  const out = [];
  function block(list, ind, declared, guards) {
    const sets = list.map((x) => refs(x, rule));
    const owned = new Map(); // name -> [first, last] statement index
    for (const n of new Set(sets.flatMap((x) => [...x]))) {
      if (declared.has(n)) continue;
      const idx = sets.flatMap((x, k) => (x.has(n) ? [k] : []));
      if (idx.length === 1 && list[idx[0]].k === 'if') continue; // the branch holds it
      owned.set(n, [idx[0], idx[idx.length - 1]]);
    }
    const inner = new Set([...declared, ...owned.keys()]);
    list.forEach((x, k) => {
      let inlineDecl = null;
      for (const [n, [first]] of owned) {
        if (first !== k) continue;
        const memory = n === 'p' || n === 'g' || states.includes(n);
        if (!memory) {
          if (x.k === 'set' && x.n === n) inlineDecl = n; else out.push(`${ind}let v_${n}: ${VT} = ${zero};`);
          continue;
        }
        const f = rule.states[n];
        if (f && !guards.has(f)) out.push(`${ind}let v_${n}: ${VT} = ${zero};`, `${ind}if (f_${f}) v_${n} = ${ld(n)};`);
        else out.push(`${ind}${n === 'g' ? 'const' : 'let'} v_${n}: ${VT} = ${ld(n)};`);
      }
      if (x.k === 'set') out.push(`${ind}${inlineDecl ? `let v_${x.n}: ${VT}` : `v_${x.n}`} = ${expr(x.e)};`);
      else {
        const then = new Set([...guards, ...x.c.filter((a) => 'flag' in a && !a.not).map((a) => a.flag)]);
        out.push(`${ind}if (${cond(x.c)}) {`);
        block(x.t, ind + '  ', inner, then);
        if (x.f.length) { out.push(`${ind}} else {`); block(x.f, ind + '  ', inner, guards); }
        out.push(`${ind}}`);
      }
      for (const [n, [, last]] of owned) {
        if (last !== k || !parsed.written.has(n)) continue;
        const f = rule.states[n];
        out.push(`${ind}${f && !guards.has(f) ? `if (f_${f}) ` : ''}${st(n)}`);
      }
    });
  }
  block(parsed.body, '    ', new Set(), new Set());
  return out;
}

/** The names of the scalars that a `scalar != 0` condition tests. */
function nonzeroTests(list, acc = new Set()) {
  for (const s of list) {
    if (s.k !== 'if') continue;
    for (const a of s.c) if ('nz' in a) acc.add(a.nz);
    nonzeroTests(s.t, acc); nonzeroTests(s.f, acc);
  }
  return acc;
}

const lines = [
  '// GENERATED by build/gen-optim.mjs from ts/optim/optim_table.ts. Do not edit by hand.',
  '// Fused optimizer updates: one call updates a parameter and its state buffers in place.',
  '',
  '// @ts-ignore: decorator',
  '@inline function fabs<T>(x: T): T { return x < 0 ? -x : x; }',
  '// NaN when either is NaN (as f32x4.max)',
  '// @ts-ignore: decorator',
  '@inline function nanmax<T>(a: T, b: T): T { return (a != a || a > b) ? a : b; }',
  '// b when b > a, else a (as f32x4.pmax)',
  '// @ts-ignore: decorator',
  '@inline function pmax<T>(a: T, b: T): T { return b > a ? b : a; }',
  '',
];

for (const [name, rule] of Object.entries(OPTIM)) {
  const parsed = parseRule(name, rule);
  const states = Object.keys(rule.states);
  const nz = [...nonzeroTests(parsed.body)];
  const args = ['P: usize', 'G: usize', ...states.map((s) => `S_${s}: usize`), 'n: i32', ...rule.scalars.map((s) => `${s}: f64`), 'flags: i32'].join(', ');
  lines.push(`// ${name}: flags ${rule.flags.map((f) => `${f} = ${flagBit(rule, f)}`).join(', ')}`);
  for (const T of ['f32', 'f64']) {
    lines.push(`export function ${name}_${T}(${args}): void {`);
    lines.push(`  ${rule.flags.map((f) => `const f_${f} = (flags & ${flagBit(rule, f)}) != 0;`).join(' ')}`);
    lines.push(`  ${rule.scalars.map((s) => `const k_${s} = <${T}>${s};`).join(' ')}`);
    if (nz.length) lines.push(`  ${nz.map((s) => `const nz_${s} = k_${s} != 0;`).join(' ')}`);
    lines.push('  let i = 0;');
    if (T === 'f32') {
      lines.push(`  ${rule.scalars.map((s) => `const x_${s} = f32x4.splat(k_${s});`).join(' ')}`);
      lines.push('  const zero4 = f32x4.splat(0);');
      lines.push('  for (; i + 4 <= n; i += 4) {', ...body(rule, parsed, T, true), '  }');
    }
    lines.push('  for (; i < n; i++) {', ...body(rule, parsed, T, false), '  }');
    lines.push('}');
  }
}
mkdirSync(join(root, 'assembly/generated'), { recursive: true });
writeFileSync(join(root, 'assembly/generated/optim.ts'), lines.join('\n') + '\n');

// The updates' text for the webgpu kernels, which parse it at run time (gpu/wgsl/optim.ts): the
// bundles strip it from the table (rollup.config.mjs), where the CPU path never reads it.
mkdirSync(join(root, 'gpu/wgsl/generated'), { recursive: true });
writeFileSync(join(root, 'gpu/wgsl/generated/optim_updates.ts'), [
  '// GENERATED by build/gen-optim.mjs from ts/optim/optim_table.ts (each rule\'s `update`). Do not edit by hand.',
  'export const UPDATES: Readonly<Record<string, string>> = {',
  ...Object.entries(OPTIM).map(([n, r]) => `  ${n}: ${JSON.stringify(r.update)},`),
  '};',
  '',
].join('\n'));

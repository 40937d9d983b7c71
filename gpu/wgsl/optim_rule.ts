// The update language of ts/optim/optim_table.ts (described there), parsed: a rule's `update`
// checked against its flags, states and scalars and turned into statements. Two readers: the
// webgpu backend, which generates its WGSL kernels from the parsed rules at run time
// (gpu/wgsl/optim.ts), and build/gen-optim.mjs, which generates the wasm kernels at build time.
// The CPU path never parses a rule, so the parser lives here, in the webgpu chunk that pages
// load only with `await torch.webgpu.init()`.
import type { OptimRule } from '../../ts/optim/optim_table.js';

/** An expression of the update language. */
export type Expr =
  | { k: 'num'; v: number }
  | { k: 'name'; n: string }
  | { k: 'neg'; a: Expr }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; a: Expr; b: Expr }
  | { k: 'call'; f: 'sqrt' | 'abs' | 'max' | 'pmax'; args: Expr[] }
  | { k: 'sel'; c: CondAtom; a: Expr; b: Expr };
/** `flag`, `!flag`, or `scalar != 0` */
export type CondAtom = { flag: string; not: boolean } | { nz: string };
export type Stmt = { k: 'set'; n: string; e: Expr } | { k: 'if'; c: CondAtom[]; t: Stmt[]; f: Stmt[] };

/** A rule parsed: its statements, plus which names are locals and which states it writes. */
export interface ParsedRule {
  body: Stmt[];
  locals: string[];
  written: Set<string>;
}

const CALLS: Record<string, number> = { sqrt: 1, abs: 1, max: 2, pmax: 2 };

/** Parses `rule.update`, checking every name against the rule's flags, states and scalars. */
export function parseRule(name: string, rule: OptimRule): ParsedRule {
  const toks = rule.update.match(/\d+(?:\.\d*)?(?:e-?\d+)?|[A-Za-z_]\w*|&&|!=|[-+*/()?:{};=!,]/g) ?? [];
  let at = 0;
  const fail = (msg: string): never => { throw new Error(`optim table, ${name}: ${msg} (at token ${at}: '${toks[at] ?? 'end'}')`); };
  const peek = (): string | undefined => toks[at];
  const eat = (t?: string): string => {
    const x = toks[at];
    if (x === undefined || (t !== undefined && x !== t)) fail(`expected '${t ?? 'a token'}'`);
    at++;
    return x!;
  };
  const isName = (t: string | undefined): t is string => t !== undefined && /^[A-Za-z_]/.test(t);
  const states = Object.keys(rule.states);
  const locals: string[] = [];
  const written = new Set<string>();
  const known = (n: string): boolean => n === 'p' || n === 'g' || states.includes(n) || rule.scalars.includes(n) || locals.includes(n);

  function atom(): CondAtom {
    if (peek() === '!') { eat(); const f = eat(); if (!rule.flags.includes(f)) fail(`'${f}' is not a flag`); return { flag: f, not: true }; }
    const n = eat();
    if (rule.flags.includes(n)) return { flag: n, not: false };
    if (!rule.scalars.includes(n)) fail(`'${n}' is neither a flag nor a scalar`);
    eat('!='); eat('0');
    return { nz: n };
  }
  function cond(): CondAtom[] {
    const c = [atom()];
    while (peek() === '&&') { eat(); c.push(atom()); }
    return c;
  }
  function primary(): Expr {
    const t = eat();
    if (t === '(') { const e = expr(); eat(')'); return e; }
    if (t === '-') return { k: 'neg', a: primary() };
    if (/^\d/.test(t)) return { k: 'num', v: Number(t) };
    if (!isName(t)) return fail('expected an operand');
    if (peek() === '(') {
      if (!(t in CALLS)) fail(`unknown function '${t}'`);
      eat('(');
      const args = [expr()];
      while (peek() === ',') { eat(); args.push(expr()); }
      eat(')');
      if (args.length !== CALLS[t]) fail(`${t} takes ${CALLS[t]} argument(s)`);
      return { k: 'call', f: t as 'sqrt', args };
    }
    if (!known(t)) fail(`unknown name '${t}'`);
    return { k: 'name', n: t };
  }
  function term(): Expr {
    let e = primary();
    while (peek() === '*' || peek() === '/') { const op = eat() as '*'; e = { k: 'bin', op, a: e, b: primary() }; }
    return e;
  }
  function sum(): Expr {
    let e = term();
    while (peek() === '+' || peek() === '-') { const op = eat() as '+'; e = { k: 'bin', op, a: e, b: term() }; }
    return e;
  }
  function expr(): Expr {
    // `flag ? a : b` (or `!flag ? a : b`)
    const f = peek() === '!' ? toks[at + 1] : peek();
    if (f !== undefined && rule.flags.includes(f) && toks[at + (peek() === '!' ? 2 : 1)] === '?') {
      const c = atom();
      eat('?');
      const a = expr();
      eat(':');
      return { k: 'sel', c, a, b: expr() };
    }
    return sum();
  }
  function block(): Stmt[] {
    eat('{');
    const out = stmts('}');
    eat('}');
    return out;
  }
  function ifStmt(): Stmt {
    eat('if');
    const c = cond();
    const t = block();
    let f: Stmt[] = [];
    if (peek() === 'else') { eat(); f = peek() === 'if' ? [ifStmt()] : block(); }
    return { k: 'if', c, t, f };
  }
  function stmts(end?: string): Stmt[] {
    const out: Stmt[] = [];
    while (peek() !== end) {
      if (peek() === ';') { eat(); continue; }
      if (peek() === 'if') { out.push(ifStmt()); continue; }
      const n = eat();
      if (!isName(n) || n === 'g' || rule.scalars.includes(n) || rule.flags.includes(n)) fail(`cannot assign '${n}'`);
      eat('=');
      const e = expr();
      if (n !== 'p' && !states.includes(n) && !locals.includes(n)) locals.push(n);
      if (n === 'p' || states.includes(n)) written.add(n);
      out.push({ k: 'set', n, e });
    }
    return out;
  }
  const body = stmts(undefined);
  if (!written.has('p')) fail('the update never assigns p');
  return { body, locals, written };
}

// Every Tensor method and torch.* function takes its PyTorch arguments positionally and by name
// (issue 17). The argument table is PyTorch 1.13's own (test/fixtures/signatures.json `methods`
// and `torch_functions`, recorded by test/fixtures/gen_signatures.py with every overload); the
// sample arguments and expected results are the recorded op fixtures (core_*.json).
// Each case runs in two more forms, all positional (keyword arguments moved into their places) and
// all by name (every argument after the tensor in the options object, named as the overload that
// takes them), both as the recorded call and, for a torch function that is also a Tensor method,
// as that method; each must give PyTorch's recorded result. An unknown or duplicated keyword must
// give PyTorch's TypeError.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFixtures, runCase, buildArg, type FixtureCase } from './helpers/fixtures.js';

interface Overload { positional: string[]; keyword_only: string[] }
const here = dirname(fileURLToPath(import.meta.url));
const table: { methods: Record<string, Overload[]>; torch_functions: Record<string, Overload[]> } =
  JSON.parse(readFileSync(join(here, 'fixtures', 'signatures.json'), 'utf8'));

const FAMILIES = ['core_creation', 'core_pointwise', 'core_reduce', 'core_views', 'core_index', 'core_linalg'];
const count = { methods: new Set<string>(), functions: new Set<string>(), cases: 0, forms: 0, unknownKw: 0, duplicateKw: 0, skipped: [] as string[] };
afterAll(() => {
  console.log(`signatures: ${Object.keys(table.methods).length} Tensor methods and ${Object.keys(table.torch_functions).length} torch functions in the table; ` +
    `${count.methods.size} methods and ${count.functions.size} functions exercised in ${count.cases} cases, ${count.forms} forms; ` +
    `${count.unknownKw} unknown-keyword and ${count.duplicateKw} duplicated-keyword checks; ${count.skipped.length} forms skipped (a varargs call, or a gap before a named argument)`);
});

/** The overloads whose names can take these arguments (`n` positional, then `kwargs`). */
const candidates = (sig: Overload[], n: number, kwargs: Record<string, unknown>): Overload[] =>
  sig.filter((o) => o.positional.length >= n && Object.keys(kwargs).every((k) => o.positional.includes(k) || o.keyword_only.includes(k)));

interface Form { args: unknown[]; kwargs: Record<string, unknown> }
/** All positional (null where a position before a named argument is left empty) and all by name, keeping the first `keep` args. */
function forms(o: Overload, args: unknown[], kwargs: Record<string, unknown>, keep: number): { positional: Form | null; byName: Form } {
  const names = o.positional;
  const last = Math.max(-1, ...Object.keys(kwargs).map((k) => names.indexOf(k)));
  let positional: Form | null = { args: [...args], kwargs: {} };
  for (let i = args.length; i <= last; i++) {
    if (!(names[i] in kwargs)) { positional = null; break; }
    positional.args.push(kwargs[names[i]]);
  }
  if (positional) for (const [k, v] of Object.entries(kwargs)) if (names.indexOf(k) < 0) positional.kwargs[k] = v;
  const byName: Form = { args: args.slice(0, keep), kwargs: { ...kwargs } };
  args.slice(keep).forEach((v, i) => { byName.kwargs[names[keep + i]] = v; });
  return { positional, byName };
}

/** Runs `c` in form `f`: passes if one of the overloads' namings gives PyTorch's result. */
function runForms(c: FixtureCase, family: string, sig: Overload[], offset: number): void {
  const tries = candidates(sig, c.args.length - offset, c.kwargs);
  // a sequence given as separate arguments (x.view(2, 3), torch.zeros(2, 3)) has no names to move
  if (!tries.length && !Object.keys(c.kwargs).length && sig.some((o) => o.positional.length < c.args.length - offset)) { count.skipped.push(`${c.id} (${c.call}): varargs`); return; }
  expect(tries.length, `${c.call}: an overload taking ${c.args.length - offset} positional arguments and ${Object.keys(c.kwargs)}`).toBeGreaterThan(0);
  const errors: string[] = [];
  for (const form of ['positional', 'byName'] as const) {
    let ok = false;
    for (const o of tries) {
      // a method's names follow self; a function's include input
      const f = forms({ ...o, positional: [...Array(offset).fill('self'), ...o.positional] }, c.args, c.kwargs, offset || 1)[form];
      if (!f) { count.skipped.push(`${c.id} (${c.call})`); ok = true; break; }
      try {
        // gradients flow to the positional leaves only
        runCase(family, { ...c, args: f.args, kwargs: f.kwargs, grads: c.grads && c.grads.slice(0, f.args.length) });
        ok = true;
        count.forms++;
        break;
      } catch (e) {
        errors.push(`${form} as (${o.positional.join(', ')}): ${(e as Error).message}`);
      }
    }
    if (!ok) throw new Error(`${c.id} ${c.call}: ${errors.join('\n')}`);
  }
}

const build = (a: unknown[]): unknown[] => a.map((x) => buildArg(x).value);
const buildKw = (kw: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(kw).map(([k, v]) => [k, buildArg(v).value]));

for (const family of FAMILIES) {
  describe(`${family}: positional and by name`, () => {
    const seen = new Set<string>();
    for (const c of loadFixtures(family)) {
      const [ns, name] = c.call.split('.');
      const methodSig = table.methods[name];
      const fnSig = ns === 'torch' ? table.torch_functions[name] : undefined;
      if (!(ns === 'Tensor' ? methodSig : fnSig)) continue;
      // Python (*args) forwarders (torch.einsum) have no names to bind
      if ((ns === 'Tensor' ? methodSig : fnSig)!.some((o) => o.positional.includes('args'))) continue;
      it(`${c.id} ${c.call}`, async () => {
        const torch = await import('../ts/index.js');
        count.cases++;
        if (ns === 'torch') {
          count.functions.add(name);
          runForms(c, family, fnSig!, 0);
        }
        const selfIsTensor = typeof c.args[0] === 'object' && c.args[0] !== null && 'tensor' in (c.args[0] as object);
        // torch.name(input, ...) is input.name(...) (torch.where's first argument is the condition)
        if (methodSig && selfIsTensor && (ns === 'Tensor' || fnSig!.every((o) => o.positional[0] === 'input'))) {
          count.methods.add(name);
          runForms({ ...c, call: `Tensor.${name}` }, family, methodSig, 1);
        }
        if (seen.has(c.call) || name === 'item') return; // Tensor.item is the async reader
        seen.add(c.call);
        const call = (kw: Record<string, unknown>): unknown => {
          const args = build(c.args);
          if (ns === 'torch') return (torch as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args, kw);
          const [self, ...rest] = args as [Record<string, (...a: unknown[]) => unknown>, ...unknown[]];
          return self[name](...rest, kw);
        };
        expect(() => call({ ...buildKw(c.kwargs), bogus_kw: 1 })).toThrow(new TypeError(`${name}() got an unexpected keyword argument 'bogus_kw'`));
        count.unknownKw++;
        // the first argument after the tensor, given positionally and again by name
        const offset = ns === 'torch' ? 0 : 1;
        const o = candidates(ns === 'torch' ? fnSig! : methodSig, c.args.length - offset, c.kwargs)[0];
        const i = ns === 'torch' ? 1 : 1;
        if (!o || c.args.length <= i || !o.positional[i - offset]) return;
        const dup = o.positional[i - offset];
        expect(() => call({ [dup]: buildArg(c.args[i]).value })).toThrow(new TypeError(`${name}() got multiple values for argument '${dup}'`));
        count.duplicateKw++;
      });
    }
  });
}

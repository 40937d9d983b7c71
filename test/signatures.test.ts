// Every nn layer and nn.functional function takes its PyTorch arguments positionally and by name
// (issue 17). The argument table is PyTorch 1.13's own (test/fixtures/signatures.json, recorded by
// test/fixtures/gen_signatures.py); the sample arguments and expected results are the recorded
// fixture cases (nn_functional.json, nn_modules.json). Each case runs in two more forms, all
// positional (keyword arguments moved into their places, gaps filled with PyTorch's defaults) and
// all by name (every argument after the first in the options object, weight and target included), and must give
// PyTorch's recorded result; an unknown or duplicated keyword must give PyTorch's TypeError.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { loadFixtures, runCase, buildArg, expectValue, toTensor, F, type FixtureCase, type TensorJSON } from './helpers/fixtures.js';

interface Param { name: string; kind: 'positional' | 'keyword_only' | 'var'; required?: true; value?: unknown; unwritable?: string }
const here = dirname(fileURLToPath(import.meta.url));
const table: { layers: Record<string, Param[]>; functions: Record<string, Param[]> } =
  JSON.parse(readFileSync(join(here, 'fixtures', 'signatures.json'), 'utf8'));

interface Forms { positional: [unknown[], Record<string, unknown>] | string; byName: [unknown[], Record<string, unknown>] }

/** The two forms of (args, kwargs) for signature `sig`; the first `keep` args stay positional in the by-name form. */
function forms(sig: Param[], args: unknown[], kwargs: Record<string, unknown>, keep: number): Forms {
  const names = sig.filter((p) => p.kind === 'positional').map((p) => p.name);
  // all positional: every kwarg that has a place goes there, gaps take PyTorch's default
  const pos = [...args];
  const rest: Record<string, unknown> = {};
  let positional: Forms['positional'] | null = null;
  const last = Math.max(-1, ...Object.keys(kwargs).map((k) => names.indexOf(k)));
  for (let i = args.length; i <= last; i++) {
    const k = names[i];
    if (k in kwargs) { pos.push(kwargs[k]); continue; }
    const p = sig.find((q) => q.name === k)!;
    if (!('value' in p)) { positional = `no default for '${k}' (${p.unwritable ?? 'required'})`; break; }
    pos.push(p.value);
  }
  for (const [k, v] of Object.entries(kwargs)) if (names.indexOf(k) < args.length || names.indexOf(k) > last) rest[k] = v;
  positional ??= [pos, rest];
  // all by name
  const kw: Record<string, unknown> = {};
  args.slice(keep).forEach((v, i) => { kw[names[keep + i]] = v; });
  return { positional, byName: [args.slice(0, keep), { ...kw, ...kwargs }] };
}

const count = { signatures: Object.keys(table.layers).length + Object.keys(table.functions).length, cases: 0, forms: 0, unknownKw: 0, duplicateKw: 0, skipped: [] as string[] };
afterAll(() => {
  console.log(`signatures: ${count.signatures} in the table; ${count.cases} cases; ${count.forms} forms run; ${count.unknownKw} unknown-keyword and ${count.duplicateKw} duplicated-keyword checks; ${count.skipped.length} positional forms skipped`);
  for (const s of count.skipped) console.log(`  skipped: ${s}`);
});

describe('nn.functional: positional and by name', () => {
  const seen = new Set<string>();
  for (const c of loadFixtures('nn_functional')) {
    const name = c.call.slice(2);
    const sig = table.functions[name];
    it(`${c.id}`, () => {
      expect(sig, `F.${name} in the signature table`).toBeTruthy();
      count.cases++;
      const f = forms(sig, c.args, c.kwargs, 1);
      const grads = (n: number): FixtureCase['grads'] => c.grads && c.grads.slice(0, n);
      if (typeof f.positional === 'string') count.skipped.push(`${c.id}: ${f.positional}`);
      else { runCase('nn_functional', { ...c, args: f.positional[0], kwargs: f.positional[1], grads: grads(c.args.length) }); count.forms++; }
      runCase('nn_functional', { ...c, args: f.byName[0], kwargs: f.byName[1], grads: grads(f.byName[0].length) });
      count.forms++;
      if (seen.has(name)) return;
      seen.add(name);
      const fn = F[name] as (...a: unknown[]) => unknown;
      expect(() => fn(...c.args.map((a) => buildArg(a).value), { ...Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, buildArg(v).value])), bogus_kw: 1 }))
        .toThrow(new TypeError(`${name}() got an unexpected keyword argument 'bogus_kw'`));
      count.unknownKw++;
      const names = sig.filter((p) => p.kind === 'positional').map((p) => p.name);
      if (c.args.length < 2) return;
      expect(() => fn(...c.args.map((a) => buildArg(a).value), { [names[1]]: buildArg(c.args[1]).value }))
        .toThrow(new TypeError(`${name}() got multiple values for argument '${names[1]}'`));
      count.duplicateKw++;
    });
  }
});

interface ModuleCase { id: string; module: string; args: unknown[]; kwargs: Record<string, unknown>; train: boolean; state: Record<string, TensorJSON>; inputs: unknown[]; out: unknown; steps: number }
type Ctor = new (...a: unknown[]) => InstanceType<typeof torch.nn.Module>;
const moduleCases: ModuleCase[] = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_modules.json'), 'utf8')).cases;
const Cls = (name: string): Ctor => (torch.nn as unknown as Record<string, Ctor>)[name];
const build = (Ctor: Ctor, args: unknown[], kwargs: Record<string, unknown>) => {
  const kw = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, buildArg(v).value]));
  return Object.keys(kw).length ? new Ctor(...args.map((a) => buildArg(a).value), kw) : new Ctor(...args.map((a) => buildArg(a).value));
};
const shapes = (m: InstanceType<typeof torch.nn.Module>) => Object.entries(m.state_dict()).map(([k, t]) => [k, (t as Tensor).shape]);

describe('nn layers: positional and by name', () => {
  const seen = new Set<string>();
  for (const c of moduleCases) {
    it(c.id, () => {
      const sig = table.layers[c.module];
      expect(sig, `nn.${c.module} in the signature table`).toBeTruthy();
      count.cases++;
      const Ctor = Cls(c.module);
      const ref = build(Ctor, c.args, c.kwargs);
      const f = forms(sig, c.args, c.kwargs, 0);
      const variants: [string, unknown[], Record<string, unknown>][] = [['by name', ...f.byName]];
      if (typeof f.positional === 'string') count.skipped.push(`${c.id}: ${f.positional}`);
      else variants.push(['positional', ...f.positional]);
      for (const [form, args, kwargs] of variants) {
        const m = build(Ctor, args, kwargs);
        expect(m.toString(), `${form} repr`).toBe(ref.toString());
        expect(shapes(m), `${form} state_dict`).toEqual(shapes(ref));
        const state: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(c.state)) state[k] = toTensor(v);
        m.load_state_dict(state);
        m.train(c.train);
        let out: unknown;
        for (let s = 0; s < c.steps; s++) out = m.call(...c.inputs.map((a) => buildArg(a).value));
        expectValue(out, c.out, `${form} out`);
        count.forms++;
      }
      if (seen.has(c.module) || sig.some((p) => p.kind === 'var')) return; // nn.Identity(*args, **kwargs) takes anything
      seen.add(c.module);
      expect(() => build(Ctor, c.args, { ...c.kwargs, bogus_kw: 1 })).toThrow(new TypeError(`${c.module}() got an unexpected keyword argument 'bogus_kw'`));
      count.unknownKw++;
      if (!c.args.length) return;
      expect(() => build(Ctor, c.args, { [sig[0].name]: c.args[0] })).toThrow(new TypeError(`${c.module}() got multiple values for argument '${sig[0].name}'`));
      count.duplicateKw++;
    });
  }
});

// Layers whose fixtures drive forward passes elsewhere (nn_attention.json, nn_rnn.json): the
// constructor forms alone, checked against the reference construction and PyTorch's recorded repr.
interface CtorCase { id: string; cls: string; args: unknown; kwargs: Record<string, unknown>; repr?: string }
const ctorCases: CtorCase[] = [
  ...JSON.parse(readFileSync(join(here, 'fixtures', 'nn_attention.json'), 'utf8')).modules,
  ...JSON.parse(readFileSync(join(here, 'fixtures', 'nn_rnn.json'), 'utf8')).cases,
].filter((c: CtorCase) => Array.isArray(c.args) && !c.id.endsWith('float64'));

describe('attention and recurrent layer constructors: positional and by name', () => {
  const seen = new Set<string>();
  for (const c of ctorCases) {
    const sig = table.layers[c.cls];
    // a (*args, **kwargs) signature has no names to move arguments by (gen_signatures.py spells out RNN/LSTM/GRU)
    const hasNames = sig && !sig.some((p) => p.kind === 'var');
    it.skipIf(!hasNames)(c.id, () => {
      count.cases++;
      const Ctor = Cls(c.cls);
      const args = c.args as unknown[];
      const ref = build(Ctor, args, c.kwargs);
      if (c.repr) expect(ref.toString(), 'reference repr').toBe(c.repr);
      const f = forms(sig, args, c.kwargs, 0);
      const variants: [string, unknown[], Record<string, unknown>][] = [['by name', ...f.byName]];
      if (typeof f.positional === 'string') count.skipped.push(`${c.id}: ${f.positional}`);
      else variants.push(['positional', ...f.positional]);
      for (const [form, a, kw] of variants) {
        const m = build(Ctor, a, kw);
        expect(m.toString(), `${form} repr`).toBe(ref.toString());
        expect(shapes(m), `${form} state_dict`).toEqual(shapes(ref));
        count.forms++;
      }
      if (seen.has(c.cls)) return;
      seen.add(c.cls);
      expect(() => build(Ctor, args, { ...c.kwargs, bogus_kw: 1 })).toThrow(new TypeError(`${c.cls}() got an unexpected keyword argument 'bogus_kw'`));
      count.unknownKw++;
    });
  }
});

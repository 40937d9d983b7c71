// Decoding and comparing the PyTorch fixtures recorded by test/fixtures/gen_fixtures.py.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';

export interface TensorJSON { dtype: string; shape: number[]; data: (number | string | boolean)[] }
export interface FixtureCase {
  id: string; call: string; args: unknown[]; kwargs: Record<string, unknown>;
  out: unknown; grad_out: TensorJSON | null; grads: unknown[] | null; grad_of?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
export function loadFixtures(name: string): FixtureCase[] {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', `${name}.json`), 'utf8')).cases;
}

const num = (v: number | string | boolean): number =>
  typeof v === 'string' ? (v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity) : +v;

export const mapDtype = (d: string): torch.DType => (d === 'int64' ? 'int32' : d) as torch.DType;

export function toTensor(t: TensorJSON): Tensor {
  const dtype = mapDtype(t.dtype);
  const flat = t.data.map(num);
  const x = torch.tensor(flat.length ? flat : [], { dtype });
  return x.reshape(t.shape);
}

export interface Built { value: unknown; leaves: (Tensor | Tensor[] | null)[] }

function applyView(x: Tensor, step: unknown[]): Tensor {
  const [kind, ...a] = step as [string, ...any[]];
  switch (kind) {
    case 'transpose': return x.transpose(a[0], a[1]);
    case 'permute': return x.permute(a[0]);
    case 'slice': return x.slice(a[0], a[1], a[2], a[3] ?? 1);
    case 'expand': return x.expand(a[0]);
    case 'select': return x.select(a[0], a[1]);
    case 'unsqueeze': return x.unsqueeze(a[0]);
    default: throw new Error(`unknown view step ${kind}`);
  }
}

/** Decodes one ARG; returns the value and the base leaf (for grads). */
export function buildArg(a: unknown): { value: unknown; leaf: Tensor | Tensor[] | null } {
  if (a === null || typeof a !== 'object') return { value: a, leaf: null };
  if (Array.isArray(a)) {
    const parts = a.map(buildArg);
    const leaves = parts.map((p) => p.leaf).filter((l): l is Tensor => !!l && !Array.isArray(l));
    return { value: parts.map((p) => p.value), leaf: leaves.length ? (parts.map((p) => p.leaf) as Tensor[]) : null };
  }
  const o = a as Record<string, unknown>;
  if ('tensor' in o) {
    const base = toTensor(o.tensor as TensorJSON);
    if (o.requires_grad) base.requires_grad_(true);
    let v = base;
    for (const step of (o.view as unknown[][] | undefined) ?? []) v = applyView(v, step);
    return { value: v, leaf: base };
  }
  if ('dtype' in o && Object.keys(o).length === 1) return { value: mapDtype(o.dtype as string), leaf: null };
  return { value: o, leaf: null };
}

const R_OPS: Record<string, (a: any, b: any) => Tensor> = {
  __radd__: (s, o) => torch.add(o, s), __rsub__: (s, o) => torch.sub(o, s), __rmul__: (s, o) => torch.mul(o, s),
  __rtruediv__: (s, o) => torch.div(o, s), __rpow__: (s, o) => torch.pow(o, s), __matmul__: (s, o) => torch.matmul(s, o),
};

/** Runs the case's call with webtorch. */
export function invoke(c: FixtureCase, args: unknown[], F: Record<string, any>): unknown {
  const kw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.kwargs ?? {})) kw[k] = buildArg(v).value;
  const extra = Object.keys(kw).length ? [kw] : [];
  const [ns, name] = c.call.split('.');
  if (ns === 'torch') {
    const fn = (torch as any)[name];
    if (typeof fn !== 'function') throw new Error(`torch.${name} is missing`);
    return fn(...args, ...extra);
  }
  if (ns === 'F') {
    const fn = F[name];
    if (typeof fn !== 'function') throw new Error(`F.${name} is missing`);
    return fn(...args, ...extra);
  }
  const [self, ...rest] = args as [Tensor, ...unknown[]];
  if (R_OPS[name]) return R_OPS[name](self, rest[0]);
  const m = (self as any)[name === 'item' ? 'itemSync' : name];
  if (typeof m !== 'function') throw new Error(`Tensor.${name} is missing`);
  return m.call(self, ...rest, ...extra);
}

export function tolerance(dtype: string): { atol: number; rtol: number } {
  return dtype === 'float64' ? { atol: 1e-10, rtol: 1e-7 } : { atol: 2e-5, rtol: 2e-4 };
}

export function expectTensorClose(actual: unknown, expected: TensorJSON, what: string, tol0?: { atol: number; rtol: number }): void {
  const tol = tol0 ?? tolerance(expected.dtype);
  expect(actual instanceof torch.Tensor, `${what}: expected a Tensor, got ${String(actual)}`).toBe(true);
  const t = actual as Tensor;
  expect(t.shape, `${what}: shape`).toEqual(expected.shape);
  expect(t.dtype, `${what}: dtype`).toBe(mapDtype(expected.dtype));
  const got = Array.from(t.dataSync() as ArrayLike<number>);
  const want = expected.data.map(num);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w)) { expect(Number.isNaN(g), `${what}[${i}]: expected nan, got ${g}`).toBe(true); continue; }
    if (!Number.isFinite(w)) { expect(g, `${what}[${i}]`).toBe(w); continue; }
    const ok = Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w);
    if (!ok) expect(g, `${what}[${i}] (got ${g}, want ${w})`).toBeCloseTo(w, 10);
  }
}

export function expectValue(actual: unknown, expected: unknown, what: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && 'tensor' in (expected as object)) {
    expectTensorClose(actual, (expected as { tensor: TensorJSON }).tensor, what);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${what}: expected a list`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${what}: length`).toBe(expected.length);
    expected.forEach((e, i) => expectValue(a[i], e, `${what}[${i}]`));
    return;
  }
  if (typeof expected === 'number') {
    expect(typeof actual === 'number' || typeof actual === 'boolean', `${what}: expected a number`).toBe(true);
    expect(Math.abs(+(actual as number) - expected) <= 2e-5 + 2e-4 * Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBe(true);
    return;
  }
  expect(actual, what).toEqual(expected);
}

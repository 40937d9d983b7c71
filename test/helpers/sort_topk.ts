// The torch.sort / argsort / topk fixture cases (test/fixtures/sort_topk.json, recorded by
// test/fixtures/gen_sort_fixtures.py from PyTorch 1.13), run on a given device: values, indices
// and the gradient of sum(values * w). Shared by test/sort_topk.test.ts and its webgpu variant.
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';

export interface TJ { dtype: string; shape: number[]; data: (number | string)[] }
export interface SortCase {
  id: string; op: 'sort' | 'topk'; input: TJ; dim: number; descending?: boolean; k?: number; largest?: boolean;
  values: TJ; indices: TJ; argsort?: TJ; w?: TJ; grad?: TJ; indices_from?: string;
}
const here = dirname(fileURLToPath(import.meta.url));
export const SORT_CASES = (JSON.parse(readFileSync(join(here, '..', 'fixtures', 'sort_topk.json'), 'utf8')) as { cases: SortCase[] }).cases;

/** JSON has no NaN or infinities: the generator writes them as 'nan', 'inf', '-inf'. */
const num = (v: number | string): number => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity);
export const fromJSON = (j: TJ, device = 'cpu'): Tensor =>
  torch.tensor(j.data.map(num), { dtype: j.dtype as 'float32' }).reshape(j.shape).to(device);

async function same(a: Tensor, e: TJ, what: string, device: string): Promise<void> {
  expect(a.device.type, `${what}: device`).toBe(device);
  expect(a.shape, `${what}: shape`).toEqual(e.shape);
  expect(a.dtype, `${what}: dtype`).toBe(e.dtype === 'int64' ? 'int32' : e.dtype);
  const got = Array.from(await a.data() as ArrayLike<number>);
  // sorting moves values without arithmetic and gradients are scattered: exact (NaN equals NaN here)
  expect(got, what).toEqual(e.data.map(num));
}

/** Runs one case on `device`; float64 inputs only where the device has them. */
export async function runSortCase(c: SortCase, device: string): Promise<void> {
  const floating = c.input.dtype.startsWith('float');
  const x = fromJSON(c.input, device);
  if (floating) x.requires_grad_();
  const r = c.op === 'sort' ? torch.sort(x, c.dim, c.descending) : torch.topk(x, c.k!, { dim: c.dim, largest: c.largest });
  const [values, indices] = r;
  expect(r.values).toBe(values);
  expect(r.indices).toBe(indices);
  await same(values, c.values, `${c.id} values`, device);
  await same(indices, c.indices, `${c.id} indices`, device);
  if (c.argsort) await same(torch.argsort(x, { dim: c.dim, descending: c.descending }), c.argsort, `${c.id} argsort`, device);
  if (floating) {
    expect(values.grad_fn?.name).toBe(c.op === 'sort' ? 'SortBackward0' : 'TopkBackward0');
    expect(indices.requires_grad).toBe(false);
    values.mul(fromJSON(c.w!, device)).sum().backward();
    await same(x.grad!, c.grad!, `${c.id} grad`, device);
  }
}

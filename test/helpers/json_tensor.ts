// Tensors recorded by the fixture generators as JSON ({ dtype, shape, data }), and the comparison
// of a webtorch result with one: shape, then every value within a tolerance by dtype (equal
// values, infinities included, and NaN beside NaN count as close).
import { expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';

export interface TJ { dtype: string; shape: number[]; data: number[] }
export interface Tol { atol: number; rtol: number }

/** The tensor a fixture recorded (a leaf requiring grad with `rg`). */
export function toT(j: TJ, rg = false): Tensor {
  const t = j.dtype === 'bool' ? torch.tensor(j.data.map((v) => v !== 0)).reshape(j.shape) : torch.tensor(j.data, { dtype: j.dtype as 'float32' }).reshape(j.shape);
  return rg ? t.requires_grad_() : t;
}

/** A state_dict of fixture tensors. */
export const stateDict = (o: Record<string, TJ>): Record<string, Tensor> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toT(v)]));

const DEFAULT = { float64: { atol: 1e-10, rtol: 1e-8 }, float32: { atol: 2e-5, rtol: 2e-4 } };

/** Expects `a` to match the recorded tensor `e` (tolerance by e's dtype unless given). */
export function expectClose(a: Tensor | null | undefined, e: TJ, what: string, tol: Tol = e.dtype === 'float64' ? DEFAULT.float64 : DEFAULT.float32): void {
  expect(a, what).toBeTruthy();
  expect(a!.shape, what).toEqual(e.shape);
  const got = Array.from(a!.dataSync() as ArrayLike<number>);
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = e.data[i];
    if (g === w || (Number.isNaN(g) && Number.isNaN(w)) || Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w)) continue;
    throw new Error(`${what}[${i}]: got ${g}, expected ${w}`);
  }
}

/** A module built like PyTorch's: the recorded state_dict keys and shapes, parameter order and repr. */
export function expectLayout(m: torch.nn.Module, c: { state_dict: Record<string, TJ>; param_order: string[]; repr: string }): void {
  expect(Object.keys(m.state_dict())).toEqual(Object.keys(c.state_dict));
  expect(m.named_parameters().map(([n]) => n)).toEqual(c.param_order);
  for (const [k, v] of Object.entries(c.state_dict)) expect(m.state_dict()[k].shape, k).toEqual(v.shape);
  expect(m.toString()).toBe(c.repr);
}

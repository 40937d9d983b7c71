// The PyTorch fixtures (test/fixtures/*.json, recorded by the gen_*.py scripts), decoded and
// compared by the runtime-neutral suite (test/runtime/suite.mjs), bound here to the ts/ sources.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
// @ts-expect-error: plain JS module without type declarations
import { decoder, runCase as runCaseWith } from '../runtime/suite.mjs';

export interface TensorJSON { dtype: string; shape: number[]; data: (number | string | boolean)[] }
export interface FixtureCase {
  id: string; call: string; args: unknown[]; kwargs: Record<string, unknown>;
  out: unknown; grad_out: TensorJSON | null; grads: unknown[] | null; grad_of?: number;
}
interface Decoder {
  toTensor(t: TensorJSON): Tensor;
  buildArg(a: unknown): { value: unknown; leaf: Tensor | Tensor[] | null };
  invoke(c: FixtureCase, args: unknown[], F: Record<string, unknown>): unknown;
  expectTensorClose(actual: unknown, expected: TensorJSON, what: string, tol?: { atol: number; rtol: number }): void;
  expectValue(actual: unknown, expected: unknown, what: string): void;
}

const here = dirname(fileURLToPath(import.meta.url));
export function loadFixtures(name: string): FixtureCase[] {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', `${name}.json`), 'utf8')).cases;
}

const D = decoder(torch) as Decoder;
export const { toTensor, buildArg, invoke, expectTensorClose, expectValue } = D;
export const F = (torch as unknown as { nn: { functional: Record<string, unknown> } }).nn.functional;
/** Runs one case (output, then gradients) against PyTorch's recorded values. */
export const runCase = (family: string, c: FixtureCase): void => runCaseWith(torch, D, family, c, F);

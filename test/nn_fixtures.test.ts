// nn against PyTorch 1.13: every functional op, layer and loss (outputs, input and parameter
// gradients, running statistics), from fixtures recorded by test/fixtures/gen_nn_fixtures.py.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { loadFixtures, runCase, buildArg, expectValue, expectTensorClose, toTensor, type TensorJSON } from './helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const { nn } = torch;

describe('nn_functional', () => {
  for (const c of loadFixtures('nn_functional')) it(c.id, () => runCase('nn_functional', c));
});

interface ModuleCase {
  id: string; module: string; args: unknown[]; kwargs: Record<string, unknown>; train: boolean; steps: number;
  state: Record<string, TensorJSON>; inputs: unknown[]; out: unknown; grad_out: TensorJSON | null; grad_of?: number;
  input_grads: (TensorJSON | null)[] | null; param_grads: Record<string, TensorJSON>; buffers_after: Record<string, TensorJSON>;
}
const here = dirname(fileURLToPath(import.meta.url));
const moduleCases: ModuleCase[] = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_modules.json'), 'utf8')).cases;

describe('nn_modules', () => {
  for (const c of moduleCases) {
    it(c.id, () => {
      const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => InstanceType<typeof nn.Module>>)[c.module];
      expect(Cls, `nn.${c.module}`).toBeTruthy();
      const args = c.args.map((a) => buildArg(a).value);
      const kw: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.kwargs)) kw[k] = buildArg(v).value;
      const m = Object.keys(kw).length ? new Cls(...args, kw) : new Cls(...args);
      const state: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.state)) state[k] = toTensor(v);
      expect(Object.keys(m.state_dict())).toEqual(Object.keys(state));
      m.load_state_dict(state);
      m.train(c.train);
      let out: unknown;
      let built: ReturnType<typeof buildArg>[] = [];
      for (let s = 0; s < c.steps; s++) {
        built = c.inputs.map(buildArg);
        out = m.call(...built.map((b) => b.value));
      }
      expectValue(out, c.out, 'out');
      for (const [k, v] of Object.entries(c.buffers_after)) expectTensorClose(m.state_dict()[k], v, `buffer ${k}`);
      if (!c.grad_out) return;
      const y = (c.grad_of !== undefined ? (out as Tensor[])[c.grad_of] : out) as Tensor;
      y.backward(toTensor(c.grad_out));
      c.input_grads!.forEach((g, i) => { if (g) expectTensorClose((built[i].leaf as Tensor).grad, g, `input grad[${i}]`); });
      const params = Object.fromEntries(m.named_parameters());
      for (const [k, g] of Object.entries(c.param_grads)) expectTensorClose(params[k].grad, g, `grad of ${k}`);
    });
  }
});

export type { FixtureCase };

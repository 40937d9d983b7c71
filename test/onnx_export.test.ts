// torch.onnx.export: every exported model runs in onnxruntime-web with webtorch's outputs
// (rtol 1e-4) and passes onnx.checker (full_check); dynamic axes, unmapped ops and bad arguments.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/tensor.js';
import type { Module } from '../ts/nn/module.js';
import { makeNet } from '../examples/mnist/lib.mjs';
import { runOrt, onnxCheck } from './helpers/onnx.js';

const { nn } = torch;

function expectClose(got: { dims: readonly number[]; data: Float32Array }, want: Tensor, rtol = 1e-4, atol = 1e-5): void {
  expect([...got.dims]).toEqual(want.shape);
  const w = want.contiguous().dataSync() as Float32Array;
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - w[i]) - (atol + rtol * Math.abs(w[i])));
  expect(worst).toBeLessThanOrEqual(0);
}

/** Exports `model` on `inputs`, checks the file, runs it in ORT and compares every output with webtorch's forward. */
async function roundTrip(model: Module, inputs: Tensor[], opts: Record<string, unknown> = {}): Promise<Uint8Array> {
  model.eval();
  const bytes = await torch.onnx.export(model, inputs, null, opts);
  onnxCheck(bytes);
  const want = torch.no_grad(() => model.call(...(inputs as []))) as unknown;
  const wants = [want].flat(3) as Tensor[];
  const feeds = Object.fromEntries(inputs.map((t, i) => [(opts.input_names as string[] | undefined)?.[i] ?? `input.${i}`, t]));
  const got = Object.values(await runOrt(bytes, feeds));
  expect(got.length).toBe(wants.length);
  got.forEach((g, i) => expectClose(g, wants[i]));
  return bytes;
}

describe('torch.onnx.export: the MNIST nets', () => {
  for (const arch of ['seed', 'current']) {
    it(`${arch} net`, async () => {
      torch.manual_seed(0);
      await roundTrip(makeNet(torch, arch), [torch.randn([2, 1, 28, 28])]);
    });
  }
});

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

/** Random running statistics, so that exported BatchNormalization nodes do more than the identity. */
function randomizeBatchNorm(model: Module): Module {
  for (const m of model.modules()) {
    if (m instanceof nn.BatchNorm2d || m instanceof nn.BatchNorm1d) {
      m.running_mean!.copy_(torch.randn(m.running_mean!.shape).mul(0.1));
      m.running_var!.copy_(torch.rand(m.running_var!.shape).add(0.5));
    }
  }
  return model;
}

/**
 * VGG's classifier (Linear 25088->4096->4096, about 120M weights) takes most of a minute to build,
 * export, check and run at full size; the tests keep its layers but make the hidden width 256.
 */
function narrowVggClassifier(model: Module): Module {
  const c = (model as unknown as { classifier: Module })['classifier'];
  const mods = [...c._modules.values()] as Module[];
  const classes = (mods[6] as InstanceType<typeof nn.Linear>).out_features;
  (model as unknown as { classifier: Module })['classifier'] = new nn.Sequential(
    new nn.Linear(512 * 7 * 7, 256), new nn.ReLU(true), new nn.Dropout(), new nn.Linear(256, 256), new nn.ReLU(true), new nn.Dropout(), new nn.Linear(256, classes));
  return model;
}

describe('torch.onnx.export: webtorch/vision models', async () => {
  const V = await import('../ts/vision/index.js');
  const models: [string, () => Module, number][] = [
    ['resnet18', () => V.models.resnet18({ num_classes: 10 }), 32],
    ['resnet34', () => V.models.resnet34({ num_classes: 10 }), 32],
    ['resnet50', () => V.models.resnet50({ num_classes: 10 }), 32],
    ['vgg11', () => narrowVggClassifier(V.models.vgg11({ num_classes: 10 })), 32],
    ['vgg11_bn', () => narrowVggClassifier(V.models.vgg11_bn({ num_classes: 10 })), 32],
    ['vgg16', () => narrowVggClassifier(V.models.vgg16({ num_classes: 10 })), 32],
    ['vgg16_bn', () => narrowVggClassifier(V.models.vgg16_bn({ num_classes: 10 })), 32],
    ['alexnet', () => V.models.alexnet({ num_classes: 10 }), 64],
    ['mobilenet_v2', () => V.models.mobilenet_v2({ num_classes: 10 }), 32],
    ['squeezenet1_1', () => V.models.squeezenet1_1({ num_classes: 10 }), 64],
    ['densenet121', () => V.models.densenet121({ num_classes: 10 }), 32],
  ];
  for (const [name, make, size] of models) {
    it(name, async () => {
      torch.manual_seed(0);
      await roundTrip(randomizeBatchNorm(make()), [torch.randn([1, 3, size, size])]);
    });
  }
});

describe('torch.onnx.export: recurrent and attention models', () => {
  it('LSTM (2 layers, bidirectional, batch_first) with its states as outputs', async () => {
    torch.manual_seed(0);
    const lstm = new nn.LSTM(5, 7, { num_layers: 2, bidirectional: true, batch_first: true });
    await roundTrip(lstm, [torch.randn([3, 4, 5])]);
  });
  it('LSTM with initial states', async () => {
    torch.manual_seed(1);
    class WithStates extends nn.Module {
      lstm = new nn.LSTM(4, 6);
      override forward(x: Tensor, h: Tensor, c: Tensor): Tensor { return this.lstm.call(x, [h, c])[0]; }
    }
    await roundTrip(new WithStates(), [torch.randn([5, 2, 4]), torch.randn([1, 2, 6]), torch.randn([1, 2, 6])]);
  });
  it('TransformerEncoder (2 layers)', async () => {
    torch.manual_seed(0);
    const layer = new nn.TransformerEncoderLayer(16, 4, { dim_feedforward: 32 });
    const enc = new nn.TransformerEncoder(layer, 2);
    await roundTrip(enc, [torch.randn([6, 2, 16])]);
  });
});

describe('torch.onnx.export: options and errors', () => {
  it('dynamic_axes: the exported batch axis runs with another batch size; names reach the graph', async () => {
    torch.manual_seed(0);
    const model = makeNet(torch, 'current') as Module;
    model.eval();
    const bytes = await torch.onnx.export(model, torch.randn([2, 1, 28, 28]), null, {
      input_names: ['image'], output_names: ['logp'], dynamic_axes: { image: { 0: 'batch' }, logp: [0] },
    });
    onnxCheck(bytes);
    const x5 = torch.randn([5, 1, 28, 28]);
    const got = await runOrt(bytes, { image: x5 });
    expect(Object.keys(got)).toEqual(['logp']);
    expectClose(got.logp, torch.no_grad(() => model.call(x5)) as Tensor);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('batch');
    expect(text).toContain('logp_dynamic_axes_1');
  });

  it('restores the training flags and writes the file when given a path', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Dropout(0.5), new nn.Softmax(1));
    model.train();
    const f = join(mkdtempSync(join(tmpdir(), 'webtorch-onnx-')), 'm.onnx');
    const bytes = await torch.onnx.export(model, torch.randn([2, 3]), f);
    expect(model.training).toBe(true);
    expect([...model.modules()].every((m) => m.training)).toBe(true);
    expect(new Uint8Array(readFileSync(f))).toEqual(bytes);
    expect(torch.onnx.is_in_onnx_export()).toBe(false);
  });

  it('an op without an ONNX mapping is named in the error', async () => {
    class Cumulative extends nn.Module { override forward(x: Tensor): Tensor { return x.cumsum(1); } }
    await expect(torch.onnx.export(new Cumulative(), torch.randn([2, 3]))).rejects.toThrow(/torch\.onnx\.export: the op Cumsum \(autograd node CumsumBackward0\) has no ONNX mapping/);
    class Reflect extends nn.Module {
      conv = new nn.Conv2d(1, 1, 3, { padding: 1, padding_mode: 'reflect' });
      override forward(x: Tensor): Tensor { return this.conv.call(x); }
    }
    await expect(torch.onnx.export(new Reflect(), torch.randn([1, 1, 4, 4]))).rejects.toThrow("torch.onnx.export: Conv2d with padding_mode='reflect' has no ONNX mapping");
    expect(torch.onnx.is_in_onnx_export()).toBe(false);
  });

  it('bad arguments give clear errors', async () => {
    const lin = new nn.Linear(2, 2), x = torch.randn([1, 2]);
    await expect(torch.onnx.export({} as Module, x)).rejects.toThrow('torch.onnx.export: model must be an nn.Module, got Object');
    await expect(torch.onnx.export(lin, [] as Tensor[])).rejects.toThrow('args must be a Tensor or a non-empty array of Tensors');
    await expect(torch.onnx.export(lin, x, null, { opset_version: 11 })).rejects.toThrow('torch.onnx.export: opset_version 11 is not supported (supported: 17)');
    await expect(torch.onnx.export(lin, x, null, { opset: 17 } as object)).rejects.toThrow("torch.onnx.export: unknown option 'opset'");
    await expect(torch.onnx.export(lin, x, null, { dynamic_axes: { nope: [0] } })).rejects.toThrow("dynamic_axes names 'nope', which is neither an input nor an output name");
    await expect(torch.onnx.export(lin, x, null, { input_names: ['a'], dynamic_axes: { a: [2] } })).rejects.toThrow("dynamic_axes['a'] names axis 2, but 'a' has 2 dimensions");
    await expect(torch.onnx.export(lin, x, 3 as unknown as string)).rejects.toThrow('torch.onnx.export: f must be a file path or null, got number');
  });
});

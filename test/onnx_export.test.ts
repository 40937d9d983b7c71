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
});

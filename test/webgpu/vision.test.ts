// torch.vision models on webgpu: a torch.save'd torchvision squeezenet1_1 checkpoint (ceil_mode
// max pools, channel concatenation) and mobilenet_v2 blocks (depthwise convs, ReLU6, batch norm
// in eval) give the CPU's outputs, which test/vision_models.test.ts checks against torchvision.
import { it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as torch from '../../ts/index.js';
import * as torchvision from '../../ts/vision/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const { models } = torchvision;

describeGpu('torch.vision.models on webgpu', () => {
  it('squeezenet1_1 from a torchvision checkpoint', async () => {
    const model = models.squeezenet1_1({ num_classes: 10 });
    model.load_state_dict(torch.load(new Uint8Array(readFileSync(new URL('../fixtures/vision/squeezenet1_1.pt', import.meta.url)))));
    model.eval();
    torch.manual_seed(0);
    const x = torch.rand(1, 3, 40, 40);
    const want = torch.no_grad(() => model.call(x));
    model.to('webgpu');
    const got = torch.no_grad(() => model.call(gpu(x)));
    await expectGpuClose(got, want, 'squeezenet1_1 output', { atol: 1e-4, rtol: 1e-4 });
  });

  it('mobilenet_v2 inverted residual blocks', async () => {
    torch.manual_seed(0);
    const m = models.mobilenet_v2({ num_classes: 5 });
    const blocks = m.features.slice(0, 4).eval();
    for (const b of blocks.modules()) {
      if (b instanceof torch.nn.BatchNorm2d) { b.running_mean!.uniform_(-0.1, 0.1); b.running_var!.uniform_(0.5, 1.5); }
    }
    const x = torch.randn(1, 3, 16, 16);
    const want = torch.no_grad(() => blocks.call(x));
    expect(want.shape).toEqual([1, 24, 4, 4]);
    blocks.to('webgpu');
    await expectGpuClose(torch.no_grad(() => blocks.call(gpu(x))), want, 'mobilenet_v2 features[:4]', { atol: 1e-4, rtol: 1e-4 });
  });
});

// The training side of the GAN page: examples/dcgan's nets and loop body (lib.mjs) on MNIST
// fetched from `dataRoot`, in a module Web Worker. Messages in: train, stop. Messages out:
// loaded-module, ready, progress (the original's figures), samples (the fixed noise's images), done, error.
import * as torch from '../../dist/webtorch.js';
import { setup, step } from '../dcgan/lib.mjs';

let stopRequested = false;
const post = (msg) => self.postMessage(msg);

async function train({ steps = 100, batchSize = 16, nz = 100, ngf = 8, ndf = 8, seed = 1, dataRoot, sampleEvery = 10 }) {
  stopRequested = false;
  torch.manual_seed(seed);
  const { transforms } = torch;
  const dataset = new torch.datasets.MNIST(dataRoot, {
    train: true, download: false,
    transform: transforms.Compose([transforms.Resize(64), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]),
  });
  await dataset.ready();
  const gan = setup(torch, { nz, ngf, ndf, nc: 1 });
  const fixed_noise = torch.randn(16, nz, 1, 1);
  const samples = async (i) => {
    const fake = torch.no_grad(() => gan.netG.call(fixed_noise));
    post({ type: 'samples', step: i, pixels: await fake.add(1).div(2).clamp(0, 1).data() });
  };
  post({ type: 'ready', train: dataset.length });
  const loader = new torch.utils.data.DataLoader(dataset, { batch_size: batchSize, shuffle: true });
  const t0 = performance.now();
  let i = 0;
  for await (const [real] of loader) {
    if (i >= steps || stopRequested) break;
    const r = await step(torch, gan, real, { nz });
    i++;
    post({ type: 'progress', step: i, steps, ...r, msPerStep: (performance.now() - t0) / i });
    if (i % sampleEvery === 0) await samples(i);
  }
  await samples(i);
  post({ type: 'done', step: i, seconds: (performance.now() - t0) / 1000 });
}

self.onmessage = async ({ data: msg }) => {
  try {
    if (msg.type === 'train') await train(msg);
    else if (msg.type === 'stop') stopRequested = true;
    else throw new Error(`unknown message ${msg.type}`);
  } catch (e) {
    post({ type: 'error', message: String(e?.stack ?? e) });
  }
};
post({ type: 'loaded-module', version: torch.__version__ });

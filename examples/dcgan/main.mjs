#!/usr/bin/env node
// A port of pytorch/examples dcgan/main.py to webtorch, on MNIST (nc = 1).
//
//   npm install                                                  # builds dist/
//   node examples/dcgan/main.mjs --niter 1 --dry-run             # data from --data or $MNIST_DIR
//   node examples/dcgan/main.mjs --niter 1 --ngf 16 --ndf 16 --outf out --device webgpu
//
// Models, weight init and the loop body are in lib.mjs (shared with the tests); save_image.mjs
// writes torchvision-style PNG grids. Left out: --netG/--netD resuming, checkpoints, other datasets.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../dist/webtorch.js';
import { parseArgs } from '../argparse.mjs';
import { setup, step, logLine } from './lib.mjs';
import { save_image } from './save_image.mjs';

const opt = parseArgs({
  data: { type: 'str', default: null, help: 'MNIST folder (default: $MNIST_DIR, else ../data)' },
  batchSize: { type: 'int', default: 64, help: 'input batch size' },
  imageSize: { type: 'int', default: 64, help: 'the height / width of the input image to network' },
  nz: { type: 'int', default: 100, help: 'size of the latent z vector' },
  ngf: { type: 'int', default: 64, help: 'generator width' },
  ndf: { type: 'int', default: 64, help: 'discriminator width' },
  niter: { type: 'int', default: 25, help: 'number of epochs to train for' },
  lr: { type: 'float', default: 0.0002, help: 'learning rate' },
  beta1: { type: 'float', default: 0.5, help: 'beta1 for adam' },
  dry_run: { type: 'bool', dash: true, help: 'check a single training cycle works' },
  max_iters: { type: 'int', default: 0, dash: true, help: 'stop after this many iterations in all, 0 for no limit (webtorch addition, for timing)' },
  outf: { type: 'str', default: '.', help: 'folder to output images' },
  manualSeed: { type: 'int', default: null, help: 'manual seed' },
  device: { type: 'str', default: 'cpu', help: 'where to run', choices: ['cpu', 'webgpu'] },
}, process.argv.slice(2), { prog: 'main.mjs', description: 'DCGAN on MNIST (webtorch port of pytorch/examples dcgan)' });
console.log(opt);
// the original's nets map nz x 1 x 1 to 64 x 64 and back: other sizes fail deep inside a conv there
if (opt.imageSize !== 64) {
  console.error(`main.mjs: --imageSize ${opt.imageSize}: the DCGAN nets of pytorch/examples are built for 64 x 64 images (5 stride-2/4 layers); use --imageSize 64`);
  process.exit(2);
}

mkdirSync(opt.outf, { recursive: true });
if (opt.manualSeed === null) opt.manualSeed = 1 + Math.floor(Math.random() * 10000);
console.log('Random Seed: ', opt.manualSeed);
torch.manual_seed(opt.manualSeed);

let device;
try {
  // opening a GPU is asynchronous in JS: once, before torch.device('webgpu') is used
  if (opt.device === 'webgpu' && !(await torch.webgpu.init())) torch.device('webgpu').toString();
  device = torch.device(opt.device);
  if (opt.device === 'webgpu') torch.zeros(1, { device }); // throws the reason when no adapter opened
} catch (e) {
  console.error(`main.mjs: --device ${opt.device}: ${e.message}`);
  process.exit(1);
}

const { datasets, transforms } = torch;
const dataset = new datasets.MNIST(opt.data ?? process.env.MNIST_DIR ?? '../data', {
  train: true, download: false,
  transform: transforms.Compose([transforms.Resize(opt.imageSize), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]),
});
await dataset.ready();
const nc = 1;
const dataloader = new torch.utils.data.DataLoader(dataset, { batch_size: opt.batchSize, shuffle: true });

const { nz, ngf, ndf, niter } = opt;
const gan = setup(torch, { nz, ngf, ndf, nc, lr: opt.lr, beta1: opt.beta1, device });
console.log(gan.netG.toString());
console.log(gan.netD.toString());

const fixed_noise = torch.randn(opt.batchSize, nz, 1, 1, { device });
// GPU memory is invisible to the garbage collector: there each step's tensors are released by a scope
const scoped = opt.device === 'webgpu' ? (fn) => torch.scope(fn) : (fn) => fn();

/** The state_dict with CPU copies of its tensors (reading a GPU tensor back is asynchronous). */
async function cpuStateDict(net) {
  const sd = net.state_dict();
  for (const k of Object.keys(sd)) sd[k] = await sd[k].cpu();
  return sd;
}

const t0 = performance.now();
let iters = 0;
for (let epoch = 0; epoch < niter; epoch++) {
  let i = 0;
  for (const data of dataloader) {
    const real_cpu = data[0];
    const r = await scoped(() => step(torch, gan, real_cpu, { nz, device }));
    console.log(logLine(epoch, niter, i, dataloader.length, r));
    if (i % 100 === 0) {
      await save_image(real_cpu, join(opt.outf, 'real_samples.png'), { normalize: true });
      await scoped(async () => {
        const fake = torch.no_grad(() => gan.netG.call(fixed_noise));
        await save_image(fake.detach(), join(opt.outf, `fake_samples_epoch_${String(epoch).padStart(3, '0')}.png`), { normalize: true });
      });
    }
    i++; iters++;
    if (opt.dry_run || iters === opt.max_iters) break;
  }
  if (opt.dry_run || iters === opt.max_iters) break;
  // do checkpointing (PyTorch's zip format: torch.load in PyTorch reads them)
  await torch.save(await cpuStateDict(gan.netG), join(opt.outf, `netG_epoch_${epoch}.pth`), { format: 'pt' });
  await torch.save(await cpuStateDict(gan.netD), join(opt.outf, `netD_epoch_${epoch}.pth`), { format: 'pt' });
}
const secs = (performance.now() - t0) / 1000;
console.error(`[${iters} iterations in ${secs.toFixed(1)} s (${((1000 * secs) / iters).toFixed(0)} ms/iteration)]`);

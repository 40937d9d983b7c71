// pytorch/examples dcgan/main.py's training loop on MNIST, using the example's own models and loop
// body (examples/dcgan/lib.mjs). Shortened: imageSize 64, nz 100, lr 0.0002, beta1 0.5, ngf = ndf
// = 8 (64 by default), batchSize 16, one pass over the first nImages MNIST digits;
// transforms.Resize is F.interpolate(bilinear) (as in the Python twin); image saving and
// checkpoints are left out here (the example writes them).
import * as torch from '../../ts/index.js';
import { mnist } from './common.mjs';
import { setup, step, logLine } from '../../examples/dcgan/lib.mjs';
const F = torch.nn.functional;

export async function main({ imageSize = 64, nz = 100, ngf = 8, ndf = 8, batchSize = 16, lr = 0.0002, beta1 = 0.5, niter = 1, nImages = 480, manualSeed = 1, log = console.log } = {}) {
  torch.manual_seed(manualSeed);
  const device = torch.device('cpu');
  const nc = 1;

  const [images] = await mnist(true, nImages);
  // Resize(imageSize), ToTensor(), Normalize((0.5,), (0.5,))
  const x = F.interpolate(images.float().div(255).unsqueeze(1), { size: imageSize, mode: 'bilinear', align_corners: false });
  const dataset = new torch.utils.data.TensorDataset(x.sub(0.5).div(0.5));
  const dataloader = new torch.utils.data.DataLoader(dataset, { batch_size: batchSize, shuffle: true });

  const gan = setup(torch, { nz, ngf, ndf, nc, lr, beta1, device });
  const fixed_noise = torch.randn(batchSize, nz, 1, 1, { device });

  const rows = [];
  for (let epoch = 0; epoch < niter; epoch++) {
    let i = 0;
    for (const data of dataloader) {
      const r = await step(torch, gan, data[0], { nz, device });
      log(logLine(epoch, niter, i, dataloader.length, r));
      rows.push([r.errD, r.errG, r.D_x, r.D_G_z1, r.D_G_z2]);
      i++;
    }
  }
  // the fixed noise's samples (saved as images by the example)
  const samples = torch.no_grad(() => gan.netG.call(fixed_noise));
  return { rows, samples_shape: samples.shape };
}

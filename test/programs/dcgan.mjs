// pytorch/examples dcgan/main.py's models and training loop, ported line by line (dataset mnist,
// imageSize 64, nz 100, lr 0.0002, beta1 0.5). Shortened: ngf = ndf = 8 (64 by default), batchSize
// 16, one pass over the first nImages MNIST digits; transforms.Resize is F.interpolate(bilinear)
// (as in the Python twin); image saving and checkpoints are left out.
import * as torch from '../../ts/index.js';
import { mnist } from './common.mjs';
const nn = torch.nn, F = torch.nn.functional, optim = torch.optim;

export async function main({ imageSize = 64, nz = 100, ngf = 8, ndf = 8, batchSize = 16, lr = 0.0002, beta1 = 0.5, niter = 1, nImages = 480, manualSeed = 1, log = console.log } = {}) {
  torch.manual_seed(manualSeed);
  const device = torch.device('cpu');
  const nc = 1;

  const [images] = await mnist(true, nImages);
  // Resize(imageSize), ToTensor(), Normalize((0.5,), (0.5,))
  const x = F.interpolate(images.float().div(255).unsqueeze(1), { size: imageSize, mode: 'bilinear', align_corners: false });
  const dataset = new torch.utils.data.TensorDataset(x.sub(0.5).div(0.5));
  const dataloader = new torch.utils.data.DataLoader(dataset, { batch_size: batchSize, shuffle: true });

  // custom weights initialization called on netG and netD
  function weights_init(m) {
    const classname = m.constructor.name;
    if (classname.includes('Conv')) {
      torch.nn.init.normal_(m.weight, 0.0, 0.02);
    } else if (classname.includes('BatchNorm')) {
      torch.nn.init.normal_(m.weight, 1.0, 0.02);
      torch.nn.init.zeros_(m.bias);
    }
  }

  class Generator extends nn.Module {
    constructor() {
      super();
      this.main = new nn.Sequential(
        // input is Z, going into a convolution
        new nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, { bias: false }),
        new nn.BatchNorm2d(ngf * 8),
        new nn.ReLU(true),
        // state size. (ngf*8) x 4 x 4
        new nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ngf * 4),
        new nn.ReLU(true),
        // state size. (ngf*4) x 8 x 8
        new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ngf * 2),
        new nn.ReLU(true),
        // state size. (ngf*2) x 16 x 16
        new nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ngf),
        new nn.ReLU(true),
        // state size. (ngf) x 32 x 32
        new nn.ConvTranspose2d(ngf, nc, 4, 2, 1, { bias: false }),
        new nn.Tanh(),
        // state size. (nc) x 64 x 64
      );
    }

    forward(input) {
      return this.main.call(input);
    }
  }

  const netG = new Generator().to(device);
  netG.apply(weights_init);

  class Discriminator extends nn.Module {
    constructor() {
      super();
      this.main = new nn.Sequential(
        // input is (nc) x 64 x 64
        new nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf) x 32 x 32
        new nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ndf * 2),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf*2) x 16 x 16
        new nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ndf * 4),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf*4) x 8 x 8
        new nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ndf * 8),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf*8) x 4 x 4
        new nn.Conv2d(ndf * 8, 1, 4, 1, 0, { bias: false }),
        new nn.Sigmoid(),
      );
    }

    forward(input) {
      const output = this.main.call(input);
      return output.view(-1, 1).squeeze(1);
    }
  }

  const netD = new Discriminator().to(device);
  netD.apply(weights_init);

  const criterion = new nn.BCELoss();

  const fixed_noise = torch.randn(batchSize, nz, 1, 1, { device });
  const real_label = 1;
  const fake_label = 0;

  // setup optimizer
  const optimizerD = new optim.Adam(netD.parameters(), { lr, betas: [beta1, 0.999] });
  const optimizerG = new optim.Adam(netG.parameters(), { lr, betas: [beta1, 0.999] });

  const rows = [];
  for (let epoch = 0; epoch < niter; epoch++) {
    let i = 0;
    for (const data of dataloader) {
      // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
      // train with real
      netD.zero_grad();
      const real_cpu = data[0].to(device);
      const batch_size = real_cpu.size(0);
      const label = torch.full([batch_size], real_label, { dtype: real_cpu.dtype, device });

      let output = netD.call(real_cpu);
      const errD_real = criterion.call(output, label);
      errD_real.backward();
      const D_x = output.mean().itemSync();

      // train with fake
      const noise = torch.randn(batch_size, nz, 1, 1, { device });
      const fake = netG.call(noise);
      label.fill_(fake_label);
      output = netD.call(fake.detach());
      const errD_fake = criterion.call(output, label);
      errD_fake.backward();
      const D_G_z1 = output.mean().itemSync();
      const errD = errD_real.add(errD_fake);
      optimizerD.step();

      // (2) Update G network: maximize log(D(G(z)))
      netG.zero_grad();
      label.fill_(real_label); // fake labels are real for generator cost
      output = netD.call(fake);
      const errG = criterion.call(output, label);
      errG.backward();
      const D_G_z2 = output.mean().itemSync();
      optimizerG.step();

      log(`[${epoch}/${niter}][${i}/${dataloader.length}] Loss_D: ${errD.itemSync().toFixed(4)} Loss_G: ${errG.itemSync().toFixed(4)} D(x): ${D_x.toFixed(4)} D(G(z)): ${D_G_z1.toFixed(4)} / ${D_G_z2.toFixed(4)}`);
      rows.push([errD.itemSync(), errG.itemSync(), D_x, D_G_z1, D_G_z2]);
      i++;
    }
  }
  // the fixed noise's samples (saved as images by the original)
  const samples = torch.no_grad(() => netG.call(fixed_noise));
  return { rows, samples_shape: samples.shape };
}

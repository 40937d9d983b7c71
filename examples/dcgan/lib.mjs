// pytorch/examples dcgan/main.py's models, weight init and one training iteration, ported line by
// line; each function takes the webtorch module (the CLI passes dist/, the tests pass ts/ sources).

/** custom weights initialization called on netG and netD */
export const weights_init = (torch) => (m) => {
  const classname = m.constructor.name;
  if (classname.includes('Conv')) {
    torch.nn.init.normal_(m.weight, 0.0, 0.02);
  } else if (classname.includes('BatchNorm')) {
    torch.nn.init.normal_(m.weight, 1.0, 0.02);
    torch.nn.init.zeros_(m.bias);
  }
};

export function Generator(torch, { nz = 100, ngf = 64, nc = 1 } = {}) {
  const nn = torch.nn;
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
  return new Generator();
}

export function Discriminator(torch, { ndf = 64, nc = 1 } = {}) {
  const nn = torch.nn;
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
  return new Discriminator();
}

/** The nets, loss and the two Adam optimizers of main.py, with weights_init applied. */
export function setup(torch, { nz = 100, ngf = 64, ndf = 64, nc = 1, lr = 0.0002, beta1 = 0.5, device = 'cpu' } = {}) {
  const netG = Generator(torch, { nz, ngf, nc }).to(device);
  netG.apply(weights_init(torch));
  const netD = Discriminator(torch, { ndf, nc }).to(device);
  netD.apply(weights_init(torch));
  const criterion = new torch.nn.BCELoss();
  const optimizerD = new torch.optim.Adam(netD.parameters(), { lr, betas: [beta1, 0.999] });
  const optimizerG = new torch.optim.Adam(netG.parameters(), { lr, betas: [beta1, 0.999] });
  return { netG, netD, criterion, optimizerD, optimizerG };
}

export const real_label = 1;
export const fake_label = 0;

/**
 * One iteration of main.py's loop on a batch of real images; noise defaults to
 * randn(batch_size, nz, 1, 1) as in main.py. Resolves to the logged figures { errD, errG, D_x, D_G_z1, D_G_z2 }.
 */
export async function step(torch, { netG, netD, criterion, optimizerD, optimizerG }, real_cpu, { nz = 100, device = 'cpu', noise = null } = {}) {
  // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
  // train with real
  netD.zero_grad();
  real_cpu = real_cpu.to(device);
  const batch_size = real_cpu.size(0);
  const label = torch.full([batch_size], real_label, { dtype: real_cpu.dtype, device });

  let output = netD.call(real_cpu);
  const errD_real = criterion.call(output, label);
  errD_real.backward();
  const D_x = await output.mean().item();

  // train with fake
  noise = noise ? noise.to(device) : torch.randn(batch_size, nz, 1, 1, { device });
  const fake = netG.call(noise);
  label.fill_(fake_label);
  output = netD.call(fake.detach());
  const errD_fake = criterion.call(output, label);
  errD_fake.backward();
  const D_G_z1 = await output.mean().item();
  const errD = errD_real.add(errD_fake);
  optimizerD.step();

  // (2) Update G network: maximize log(D(G(z)))
  netG.zero_grad();
  label.fill_(real_label); // fake labels are real for generator cost
  output = netD.call(fake);
  const errG = criterion.call(output, label);
  errG.backward();
  const D_G_z2 = await output.mean().item();
  optimizerG.step();

  return { errD: await errD.item(), errG: await errG.item(), D_x, D_G_z1, D_G_z2 };
}

/** main.py's log line. */
export const logLine = (epoch, niter, i, n, r) =>
  `[${epoch}/${niter}][${i}/${n}] Loss_D: ${r.errD.toFixed(4)} Loss_G: ${r.errG.toFixed(4)} D(x): ${r.D_x.toFixed(4)} D(G(z)): ${r.D_G_z1.toFixed(4)} / ${r.D_G_z2.toFixed(4)}`;

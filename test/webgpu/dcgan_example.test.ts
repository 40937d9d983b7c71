// The DCGAN example's loop body (examples/dcgan/lib.mjs) on webgpu: from PyTorch's initial weights,
// the same digits and noise as test/examples_dcgan.test.ts, the first iterations' Loss_D, Loss_G,
// D(x), D(G(z)) match PyTorch 1.13 (fixtures/dcgan_example.json); and the CLI's dry-run on webgpu
// writes both PNGs. Tiny nets (nz 8, ngf = ndf = 2) for the software adapter.
import { it, expect } from 'vitest';
import { readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import pngjs from 'pngjs';
import * as torch from '../../ts/index.js';
import { describeGpu } from '../helpers/gpu.js';
// @ts-expect-error plain JS module without types
import { setup, step } from '../../examples/dcgan/lib.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const MNIST_DIR = resolve(ROOT, process.env.MNIST_DIR ?? '../shared/data/mnist');
const HAVE = existsSync(join(MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const FIX = (f: string): string => join(ROOT, 'test/fixtures', f);
const pt = JSON.parse(readFileSync(FIX('dcgan_example.json'), 'utf8'));
const F = torch.nn.functional;

describeGpu('DCGAN example on webgpu', () => {
  it.skipIf(!HAVE)('the first iterations\' losses and D outputs match PyTorch 1.13', async () => {
    const { nz, ngf, ndf, imageSize, batchSize: B, iters, lr, beta1 } = pt;
    const device = 'webgpu';
    const gan = setup(torch, { nz, ngf, ndf, nc: 1, lr, beta1, device });
    gan.netG.load_state_dict(await torch.load(FIX('dcgan_example_netG.pt')));
    gan.netD.load_state_dict(await torch.load(FIX('dcgan_example_netD.pt')));
    expect(String(gan.netG.parameters()[0].device)).toBe('webgpu');
    const ds = await new torch.datasets.MNIST(MNIST_DIR, { train: true, download: false }).ready();
    const x = F.interpolate(ds.data.narrow(0, 0, B * iters).float().div(255).unsqueeze(1), { size: imageSize, mode: 'bilinear', align_corners: false });
    const data = x.sub(0.5).div(0.5);
    let maxDiff = 0;
    for (let i = 0; i < iters; i++) {
      const noise = torch.tensor(pt.noise[i]).view(B, nz, 1, 1);
      const r = await step(torch, gan, data.narrow(0, i * B, B).contiguous(), { nz, noise, device });
      const got = [r.errD, r.errG, r.D_x, r.D_G_z1, r.D_G_z2], want = pt.rows[i];
      for (let k = 0; k < 5; k++) maxDiff = Math.max(maxDiff, Math.abs(got[k] - want[k]));
      for (let k = 0; k < 5; k++) expect(Math.abs(got[k] - want[k]), `iteration ${i} figure ${k}: ${got} vs ${want}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[k])));
    }
    console.log('largest |webtorch - PyTorch| over the iterations\' figures:', maxDiff);
  }, 300_000);

  it.skipIf(!HAVE || !existsSync(join(ROOT, 'dist/webtorch.js')))('main.mjs --device webgpu --dry-run writes both PNGs', () => {
    const outf = mkdtempSync(join(tmpdir(), 'dcgan-gpu-'));
    const r = spawnSync(process.execPath, ['examples/dcgan/main.mjs', '--device', 'webgpu', '--dry-run', '--batchSize', '4', '--nz', '8', '--ngf', '2', '--ndf', '2',
      '--manualSeed', '1', '--outf', outf, '--data', MNIST_DIR], { cwd: ROOT, encoding: 'utf8', env: { ...process.env }, timeout: 300_000 });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/^\[0\/25\]\[0\/15000\] Loss_D: \d+\.\d{4} Loss_G: \d+\.\d{4} D\(x\): \d\.\d{4} D\(G\(z\)\): \d\.\d{4} \/ \d\.\d{4}$/m);
    for (const f of ['real_samples.png', 'fake_samples_epoch_000.png']) {
      const png = pngjs.PNG.sync.read(readFileSync(join(outf, f)));
      expect([png.width, png.height]).toEqual([4 * 66 + 2, 66 + 2]);
    }
  }, 300_000);
});

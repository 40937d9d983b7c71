// The DCGAN example (examples/dcgan), shortened for CI. From PyTorch's initial weights
// (fixtures/dcgan_example_net{G,D}.pt), the same first MNIST digits and the same noise, the
// example's loop body (lib.mjs step) gives PyTorch 1.13's Loss_D, Loss_G, D(x), D(G(z)) over the
// first iterations (fixtures/dcgan_example.json, from fixtures/gen_dcgan_fixtures.py); the log
// line has main.py's format; save_image writes torchvision's grid as a PNG that decodes to the
// image's bytes; the CLI (built dist/) runs a dry-run and writes both PNG files, and 2 epochs on
// an 8-digit MNIST folder write a grid and a checkpoint pair per epoch.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import pngjs from 'pngjs';
import * as torch from '../ts/index.js';
// @ts-expect-error plain JS module without types
import { setup, step, logLine, Discriminator } from '../examples/dcgan/lib.mjs';
// @ts-expect-error plain JS module without types
import { save_image } from '../examples/dcgan/save_image.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const MNIST_DIR = resolve(ROOT, process.env.MNIST_DIR ?? '../shared/data/mnist');
const HAVE = existsSync(join(MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const FIX = (f: string): string => new URL(`./fixtures/${f}`, import.meta.url).pathname;
const pt = JSON.parse(readFileSync(FIX('dcgan_example.json'), 'utf8'));
const F = torch.nn.functional;
const LOG = /^\[\d+\/\d+\]\[\d+\/\d+\] Loss_D: \d+\.\d{4} Loss_G: \d+\.\d{4} D\(x\): \d\.\d{4} D\(G\(z\)\): \d\.\d{4} \/ \d\.\d{4}$/;

describe.skipIf(!HAVE)('DCGAN example', () => {
  it('from PyTorch\'s weights, data and noise, the first iterations\' losses and D outputs match PyTorch 1.13', async () => {
    const { nz, ngf, ndf, imageSize, batchSize: B, iters, lr, beta1 } = pt;
    const gan = setup(torch, { nz, ngf, ndf, nc: 1, lr, beta1 });
    gan.netG.load_state_dict(await torch.load(FIX('dcgan_example_netG.pt')));
    gan.netD.load_state_dict(await torch.load(FIX('dcgan_example_netD.pt')));
    const ds = await new torch.datasets.MNIST(MNIST_DIR, { train: true, download: false }).ready();
    const x = F.interpolate(ds.data.narrow(0, 0, B * iters).float().div(255).unsqueeze(1), { size: imageSize, mode: 'bilinear', align_corners: false });
    const data = x.sub(0.5).div(0.5);
    const lines: string[] = [];
    let maxDiff = 0;
    for (let i = 0; i < iters; i++) {
      const noise = torch.tensor(pt.noise[i]).view(B, nz, 1, 1);
      const r = await step(torch, gan, data.narrow(0, i * B, B), { nz, noise });
      lines.push(logLine(0, 1, i, iters, r));
      const got = [r.errD, r.errG, r.D_x, r.D_G_z1, r.D_G_z2], want = pt.rows[i];
      console.log(lines[i], '\n  PyTorch', want.map((v: number) => v.toFixed(6)).join(' '), '\n  webtorch', got.map((v: number) => v.toFixed(6)).join(' '));
      for (let k = 0; k < 5; k++) maxDiff = Math.max(maxDiff, Math.abs(got[k] - want[k]));
      for (let k = 0; k < 5; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[k])));
      expect(lines[i]).toMatch(LOG);
    }
    console.log('largest |webtorch - PyTorch| over the iterations\' figures:', maxDiff);
    // the losses move: not the same figures at every iteration
    expect(new Set(pt.rows.map((r: number[]) => r[0].toFixed(4))).size).toBeGreaterThan(1);
  }, 120_000);

  it('save_image writes make_grid\'s layout as a PNG that decodes to the images\' bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcgan-'));
    const img = torch.linspace(-1, 1, 5 * 3 * 4).view(5, 1, 3, 4);
    await save_image(img, join(dir, 'g.png'), { nrow: 2, normalize: true });
    const png = pngjs.PNG.sync.read(readFileSync(join(dir, 'g.png')));
    // nrow 2, padding 2: 2 columns x 3 rows of 3x4 images
    expect([png.width, png.height]).toEqual([2 * (4 + 2) + 2, 3 * (3 + 2) + 2]);
    const px = (y: number, xx: number): number[] => Array.from(png.data.subarray((y * png.width + xx) * 4, (y * png.width + xx) * 4 + 3));
    expect(px(0, 0)).toEqual([0, 0, 0]); // padding
    expect(px(2, 2)).toEqual([0, 0, 0]); // first image's first pixel: the minimum
    const last = (v: number): number => Math.floor(v * 255 + 0.5);
    expect(px(2 * (3 + 2) + 2 + 2, 2 + 3)).toEqual([255, 255, 255]); // fifth image (row 2, column 0), last pixel: the maximum
    const v = (1 - 0) / 59; // image 1 (second), pixel (0, 1): index 12 + 1 of 60 evenly spaced values, normalized
    expect(px(2, 6 + 2 + 1)[0]).toBe(last(13 * v));
  });

  const CLI = join(ROOT, 'examples/dcgan/main.mjs');
  it.skipIf(!existsSync(join(ROOT, 'dist/webtorch.js')))('the CLI dry-run logs main.py\'s line and writes real_samples.png and fake_samples_epoch_000.png', () => {
    const outf = mkdtempSync(join(tmpdir(), 'dcgan-cli-'));
    const out = execFileSync(process.execPath, [CLI, '--dry-run', '--niter', '1', '--batchSize', '4', '--nz', '8', '--ngf', '2', '--ndf', '2', '--manualSeed', '1', '--outf', outf, '--data', MNIST_DIR], { encoding: 'utf8' });
    const log = out.split('\n').filter((l) => l.startsWith('['));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(LOG);
    expect(log[0]).toMatch(/^\[0\/1\]\[0\/15000\] /);
    for (const f of ['real_samples.png', 'fake_samples_epoch_000.png']) {
      const png = pngjs.PNG.sync.read(readFileSync(join(outf, f)));
      expect([png.width, png.height]).toEqual([4 * 66 + 2, 66 + 2]);
    }
    // the original's nets are built for 64 x 64: another size is refused, saying why
    const bad = spawnSync(process.execPath, [CLI, '--imageSize', '32', '--dry-run', '--data', MNIST_DIR], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--imageSize 32: the DCGAN nets of pytorch\/examples are built for 64 x 64 images/);
  }, 120_000);

  it.skipIf(!existsSync(join(ROOT, 'dist/webtorch.js')))('the CLI runs whole epochs (an 8-digit MNIST folder): a grid and a checkpoint pair per epoch that load back', async () => {
    // the first 8 training digits, as IDX files with their own headers
    const data = mkdtempSync(join(tmpdir(), 'dcgan-mnist-')), outf = mkdtempSync(join(tmpdir(), 'dcgan-cli-'));
    const head = (magic: number, dims: number[]): Buffer => { const b = Buffer.alloc(4 + 4 * dims.length); b.writeUInt32BE(magic, 0); dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i)); return b; };
    const images = gunzipSync(readFileSync(join(MNIST_DIR, 'train-images-idx3-ubyte.gz'))).subarray(16, 16 + 8 * 784);
    const labels = gunzipSync(readFileSync(join(MNIST_DIR, 'train-labels-idx1-ubyte.gz'))).subarray(8, 16);
    writeFileSync(join(data, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([head(2051, [8, 28, 28]), images])));
    writeFileSync(join(data, 'train-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([head(2049, [8]), labels])));
    const out = execFileSync(process.execPath, [CLI, '--niter', '2', '--batchSize', '4', '--nz', '8', '--ngf', '2', '--ndf', '2', '--manualSeed', '1', '--outf', outf, '--data', data], { encoding: 'utf8' });
    const log = out.split('\n').filter((l) => l.startsWith('['));
    expect(log.map((l) => l.slice(0, 10))).toEqual(['[0/2][0/2]', '[0/2][1/2]', '[1/2][0/2]', '[1/2][1/2]']);
    for (const l of log) expect(l).toMatch(LOG);
    for (const e of [0, 1]) {
      expect(existsSync(join(outf, `fake_samples_epoch_00${e}.png`))).toBe(true);
      const netD = Discriminator(torch, { ndf: 2, nc: 1 });
      netD.load_state_dict(await torch.load(join(outf, `netD_epoch_${e}.pth`)));
      expect(netD.call(torch.zeros(1, 1, 64, 64)).shape).toEqual([1]);
      expect(Object.keys(await torch.load(join(outf, `netG_epoch_${e}.pth`)))).toHaveLength(25);
    }
  }, 120_000);
});

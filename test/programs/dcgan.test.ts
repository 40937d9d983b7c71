// dcgan (pytorch/examples dcgan/main.py) ported to webtorch trains as in PyTorch 1.13: same
// shortened configuration on MNIST, thresholds from PyTorch's runs over three seeds
// (fixtures/dcgan.json): the discriminator's loss falls and D(x) rises, D(G(z)) falls.
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main } from './dcgan.mjs';
// @ts-expect-error plain JS module without types
import { fixture, HAVE_MNIST } from './common.mjs';

const pt = fixture('dcgan');
const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
/** mean Loss_D, Loss_G, D(x), D(G(z)) over the first and the last five iterations */
const figures = (rows: number[][]): Record<string, number> => {
  const f = rows.slice(0, 5), l = rows.slice(-5);
  return { lossD0: mean(f.map((r) => r[0])), lossD: mean(l.map((r) => r[0])), lossG: mean(l.map((r) => r[1])), Dx: mean(l.map((r) => r[2])), DGz: mean(l.map((r) => r[3])) };
};

describe.skipIf(!HAVE_MNIST)('program: dcgan', () => {
  it('DCGAN training loop: the discriminator learns and the generator\'s loss rises as in PyTorch', async () => {
    const lines: string[] = [];
    const r = await main({ manualSeed: 1, nImages: pt.n_images, batchSize: pt.batchSize, ngf: pt.ngf, ndf: pt.ndf, log: (s: string) => lines.push(s) });
    const js = figures(r.rows), ref = pt.runs.map((x: any) => figures(x.rows));
    console.log(lines.slice(0, 3).join('\n'), '\n...\n', lines.slice(-3).join('\n'), '\nwebtorch', js, '\nPyTorch', ref);
    expect(lines[0]).toMatch(/^\[0\/1\]\[0\/30\] Loss_D: \d+\.\d{4} Loss_G: \d+\.\d{4} D\(x\): \d\.\d{4} D\(G\(z\)\): \d\.\d{4} \/ \d\.\d{4}$/);
    expect(r.samples_shape).toEqual([pt.batchSize, 1, 64, 64]);
    const max = (k: string): number => Math.max(...ref.map((x: any) => x[k]));
    const min = (k: string): number => Math.min(...ref.map((x: any) => x[k]));
    expect(js.lossD).toBeLessThan(1.5 * max('lossD'));
    expect(js.lossD).toBeLessThan(js.lossD0 / 2);
    expect(js.Dx).toBeGreaterThan(min('Dx') - 0.1);
    expect(js.DGz).toBeLessThan(max('DGz') + 0.1);
    expect(js.lossG).toBeGreaterThan(0.7 * min('lossG'));
  });
});

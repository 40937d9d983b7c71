// super_resolution (pytorch/examples super_resolution) ported to webtorch learns as in PyTorch
// 1.13: same shortened configuration on MNIST digits, thresholds from PyTorch's runs over three
// seeds (fixtures/super_resolution.json).
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main } from './super_resolution.mjs';
// @ts-expect-error plain JS module without types
import { fixture, HAVE_MNIST } from './common.mjs';

const pt = fixture('super_resolution');

describe.skipIf(!HAVE_MNIST)('program: super_resolution', () => {
  it('sub-pixel CNN: PSNR rises and the loss falls as in PyTorch', async () => {
    const lines: string[] = [];
    const r = await main({ train: pt.train, test: pt.test, nEpochs: pt.nEpochs, log: (s: string) => lines.push(s) });
    console.log(lines.join('\n'), '\nwebtorch', r, '\nPyTorch', pt.runs);
    expect(lines).toContainEqual(expect.stringMatching(/^===> Epoch\[1\]\(1\/4\): Loss: \d+\.\d{4}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^===> Avg\. PSNR: \d+\.\d{4} dB$/));
    const min = (k: (x: any) => number): number => Math.min(...pt.runs.map(k));
    const max = (k: (x: any) => number): number => Math.max(...pt.runs.map(k));
    // the final PSNR reaches PyTorch's worst final PSNR less 0.5 dB, and gains on the initial one
    expect(r.psnr.at(-1)).toBeGreaterThan(min((x) => x.psnr.at(-1)) - 0.5);
    expect(r.psnr.at(-1)).toBeGreaterThan(r.psnr_init + 0.5);
    // the second epoch's mean loss is within PyTorch's, with 50% slack
    expect(r.epoch_loss.at(-1)).toBeLessThan(1.5 * max((x) => x.epoch_loss.at(-1)));
  });
});

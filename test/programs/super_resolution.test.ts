// super_resolution (pytorch/examples super_resolution) ported to webtorch learns as in PyTorch
// 1.13: same shortened configuration on MNIST digits, thresholds from PyTorch's runs over three
// seeds (fixtures/super_resolution.json); the port starts from seed 1's initial weights, the
// batches are shuffled by each library's own generator.
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main } from './super_resolution.mjs';
// @ts-expect-error plain JS module without types
import { fixture, HAVE_MNIST } from './common.mjs';

const pt = fixture('super_resolution');

describe.skipIf(!HAVE_MNIST)('program: super_resolution', () => {
  it('sub-pixel CNN: PSNR rises and the loss falls as in PyTorch', async () => {
    const lines: string[] = [];
    const init_weights = new URL('./fixtures/super_resolution_init.pt', import.meta.url).pathname;
    const r = await main({ seed: 1, train: pt.train, test: pt.test, nEpochs: pt.nEpochs, init_weights, log: (s: string) => lines.push(s) });
    console.log(lines.join('\n'), '\nwebtorch', r, '\nPyTorch', pt.runs);
    expect(lines).toContainEqual(expect.stringMatching(/^===> Epoch\[1\]\(1\/8\): Loss: \d+\.\d{4}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^===> Avg\. PSNR: \d+\.\d{4} dB$/));
    const ref = pt.runs.find((x: any) => x.seed === 1);
    // from PyTorch's initial weights (seed 1's run) the untrained net scores the same PSNR
    expect(r.psnr_init).toBeCloseTo(ref.psnr_init, 3);
    // from the same weights (batches shuffled differently) the final PSNR is within 1.5 dB of
    // PyTorch's (seed 1: 7.93 -> 14.96 dB), far above the initial one, and the last epoch's mean
    // loss within 50% of PyTorch's. (PyTorch's seed 123 gets stuck at ~10.3 dB with the original
    // lr=0.01: the fixture keeps it, the comparison uses the learning seed.)
    expect(r.psnr.at(-1)).toBeGreaterThan(ref.psnr.at(-1) - 1.5);
    expect(r.psnr.at(-1)).toBeGreaterThan(r.psnr_init + 4);
    expect(r.epoch_loss.at(-1)).toBeLessThan(1.5 * ref.epoch_loss.at(-1));
  });
});

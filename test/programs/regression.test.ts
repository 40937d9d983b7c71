// regression (pytorch/examples regression/main.py) ported to webtorch learns as in PyTorch 1.13:
// same configuration, thresholds from PyTorch's runs over five seeds (fixtures/regression.json).
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main } from './regression.mjs';
// @ts-expect-error plain JS module without types
import { fixture } from './common.mjs';

const pt = fixture('regression');

describe('program: regression', () => {
  it('fits the polynomial: loss falls as in PyTorch', () => {
    const r = main({ seed: 1, maxBatches: pt.max_batches, log: () => {} });
    console.log('webtorch', r);
    const worstLast20 = Math.max(...pt.runs.map((x: any) => x.last20_mean));
    const minInitial = Math.min(...pt.runs.map((x: any) => x.initial_loss));
    expect(r.initial_loss).toBeGreaterThan(minInitial / 4);
    // PyTorch's last-20-batch mean is 0.18..0.47 over seeds 1-5 (initial 8..26)
    expect(r.last20_mean).toBeLessThan(2 * worstLast20);
    expect(r.last20_mean).toBeLessThan(r.initial_loss / 10);
  });
});

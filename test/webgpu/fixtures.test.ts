// The PyTorch op and gradient fixtures (the same cases test/ops_fixtures.test.ts runs on the CPU)
// run on webgpu: inputs made on the GPU, results read back asynchronously. Cases asking for float64
// results are skipped (WGSL has no 64-bit floats); float64 inputs run as float32.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { loadFixtures, F } from '../helpers/fixtures.js';
import { describeGpu } from '../helpers/gpu.js';
// @ts-expect-error: plain JS module without type declarations
import { decoder, runCaseAsync, FAMILIES } from '../runtime/suite.mjs';

const D = decoder(torch, 'webgpu');

for (const family of FAMILIES as string[]) {
  describeGpu(`${family} on webgpu`, () => {
    for (const c of loadFixtures(family)) {
      it(c.id, async () => {
        const r = await torch.scope(() => runCaseAsync(torch, D, family, c, F));
        expect(['passed', 'skipped']).toContain(r);
      });
    }
  });
}

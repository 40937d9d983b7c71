// sort / argsort / topk and multinomial on webgpu: the PyTorch fixture cases of
// test/sort_topk.test.ts (float32 and int32; WGSL has no float64) run on the GPU's rank-sort
// kernel, and multinomial draws from the same counter-based stream as the CPU.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu, gpu } from '../helpers/gpu.js';
import { SORT_CASES, runSortCase } from '../helpers/sort_topk.js';

describeGpu('sort / argsort / topk on webgpu match PyTorch (fixtures)', () => {
  for (const c of SORT_CASES.filter((c) => c.input.dtype !== 'float64')) it(c.id, async () => { await runSortCase(c, 'webgpu'); });
  it('topk keeps the first k of the stable order (ties, NaN) for every k', async () => {
    torch.manual_seed(4);
    const x = torch.randint(0, 6, [2, 40]).to('float32').where(torch.rand([2, 40]).gt(0.1), NaN);
    for (const largest of [true, false]) {
      const s = torch.sort(x, 1, largest);
      for (const k of [1, 5, 33, 40]) {
        const t = torch.topk(gpu(x), k, 1, largest);
        expect(Array.from(await t.indices.data()), `k ${k}`).toEqual(Array.from(s.indices.narrow(1, 0, k).contiguous().dataSync()));
      }
    }
  });
  it('strided input, and rows along a middle dim', async () => {
    const x = torch.randn([3, 4, 5]).transpose(0, 2);
    const g = gpu(x).transpose(0, 2).transpose(0, 2);
    const [vc, ic] = x.sort(1, true), [vg, ig] = g.sort(1, true);
    expect(Array.from(await vg.data())).toEqual(Array.from(vc.dataSync()));
    expect(Array.from(await ig.data())).toEqual(Array.from(ic.dataSync()));
    const b = torch.sort(gpu(torch.tensor([true, false, true, false])), 0, true);
    expect(b.values.dtype).toBe('bool');
    expect(Array.from(await b.indices.data())).toEqual([0, 2, 1, 3]);
  });
});

describeGpu('multinomial on webgpu', () => {
  it('a seed gives the CPU\'s samples, with and without replacement', async () => {
    const p = torch.tensor([[0.1, 0, 0.3, 0.6], [0.25, 0.25, 0.25, 0.25]]);
    for (const replacement of [true, false]) {
      torch.manual_seed(4); const c = torch.multinomial(p, replacement ? 16 : 3, replacement);
      torch.manual_seed(4); const g = torch.multinomial(gpu(p), replacement ? 16 : 3, replacement);
      expect(g.device.type).toBe('webgpu');
      expect(g.shape).toEqual(c.shape);
      expect(Array.from(await g.data())).toEqual(Array.from(c.dataSync()));
    }
  });
  it('never draws a zero-probability category and never repeats without replacement', async () => {
    torch.manual_seed(8);
    const s = Array.from(await torch.multinomial(gpu(torch.tensor([0, 2, 0, 1, 1]).float()), 200, true).data());
    expect(s.every((v) => v === 1 || v === 3 || v === 4)).toBe(true);
    const w = Array.from(await gpu(torch.tensor([0.2, 0.2, 0.2, 0.2, 0.2])).multinomial(5).data());
    expect(new Set(w).size).toBe(5);
  });
});

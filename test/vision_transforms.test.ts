// torch.transforms for a classifier (Resize, CenterCrop, RandomHorizontalFlip, ConvertImageDtype,
// Normalize, ToTensor on RGB) against torchvision 0.14 on tensors (test/fixtures/gen_vision_fixtures.py),
// on the same hash-made 3x13x17 uint8 image.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const T = torch.transforms;
const TR = JSON.parse(readFileSync(new URL('./fixtures/vision.json', import.meta.url).pathname, 'utf8')).transforms;

/** The generator's fill(2000, [3, 13, 17], 0, 1) * 255.999, floored to uint8. */
function image(): Tensor {
  const n = 3 * 13 * 17, out = new Uint8Array(n);
  const base = Math.imul(2000, 0x9e3779b9) >>> 0;
  for (let i = 0; i < n; i++) {
    let x = (base + i) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    out[i] = Math.floor(Math.fround(Math.fround(x / 4294967296) * Math.fround(255.999)));
  }
  return torch.tensor(out, { dtype: 'uint8' }).reshape([3, 13, 17]);
}
const u8 = image(), f32 = u8.to('float32').div(255);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const build: Record<string, () => any> = {
  resize_7: () => T.Resize(7, { antialias: false }), 'resize_u8_7': () => T.Resize(7, { antialias: false }),
  'resize_[9, 11]': () => T.Resize([9, 11], { antialias: false }), 'resize_u8_[9, 11]': () => T.Resize([9, 11], { antialias: false }),
  'resize_[20, 15]': () => T.Resize([20, 15], { antialias: false }), 'resize_u8_[20, 15]': () => T.Resize([20, 15], { antialias: false }),
  resize_24: () => T.Resize(24, { antialias: false }), resize_u8_24: () => T.Resize(24, { antialias: false }),
  resize_max_size: () => T.Resize(12, { max_size: 14, antialias: false }),
  resize_nearest: () => T.Resize([20, 9], { interpolation: T.InterpolationMode.NEAREST }),
  centercrop_7: () => T.CenterCrop(7), 'centercrop_[5, 10]': () => T.CenterCrop([5, 10]), 'centercrop_[12, 16]': () => T.CenterCrop([12, 16]),
  'centercrop_[15, 20]': () => T.CenterCrop([15, 20]), centercrop_24: () => T.CenterCrop(24), centercrop_u8: () => T.CenterCrop([5, 6]),
  hflip: () => T.RandomHorizontalFlip(1.0), no_hflip: () => T.RandomHorizontalFlip({ p: 0.0 }),
  normalize_rgb: () => T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
  convert_dtype: () => T.ConvertImageDtype('float32'),
  classifier_pipeline: () => T.Compose([T.Resize(12, { antialias: false }), T.CenterCrop(10), T.ConvertImageDtype('float32'), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
};

describe('transforms against torchvision 0.14 (tensor images)', () => {
  it('covers every recorded case', () => { expect(Object.keys(build).sort()).toEqual(TR.cases.map((c: { name: string }) => c.name).sort()); });
  for (const c of TR.cases as { name: string; input: string; repr: string; shape: number[]; dtype: string; data: number[] }[]) {
    it(c.name, () => {
      const t = build[c.name]();
      const y: Tensor = t(c.input === 'uint8' ? u8 : f32);
      expect(y.shape).toEqual(c.shape);
      expect(y.dtype).toBe(c.dtype);
      const got = Array.from(y.contiguous().dataSync() as ArrayLike<number>);
      if (c.dtype === 'uint8' && c.name.startsWith('resize')) {
        // interpolated in float32 like torchvision, but float32 rounding can put a value that is
        // within an ulp of a half on the other side: off by one in at most 1% of the pixels
        const off = got.filter((v, i) => v !== c.data[i]);
        expect(got.every((v, i) => Math.abs(v - c.data[i]) <= 1)).toBe(true);
        expect(off.length).toBeLessThanOrEqual(got.length / 100);
      } else if (c.dtype === 'uint8') expect(got).toEqual(c.data);
      else {
        // the pipeline resizes a uint8 image first: one level (1/255/std) off where a pixel rounded the other way
        const tol = c.name === 'classifier_pipeline' ? 1 / 255 / 0.224 + 1e-5 : 1e-6;
        const bad = got.filter((v, i) => Math.abs(v - c.data[i]) > tol + 1e-5 * Math.abs(c.data[i]));
        expect(bad).toEqual([]);
        if (c.name === 'classifier_pipeline') expect(got.filter((v, i) => Math.abs(v - c.data[i]) > 1e-4).length).toBeLessThanOrEqual(3);
      }
      if (c.name !== 'resize_nearest') expect(String(t)).toBe(c.repr);
    });
  }

  it('ToTensor of an HWC uint8 RGB image', () => {
    const y = T.ToTensor()(u8.permute(1, 2, 0).contiguous());
    expect(y.shape).toEqual([3, 13, 17]);
    expect(Array.from(y.dataSync() as Float32Array)).toEqual(TR.to_tensor.data);
  });

  it('RandomHorizontalFlip flips with probability p', () => {
    const g = new torch.Generator().manual_seed(0);
    const flip = T.RandomHorizontalFlip({ p: 0.5, generator: g });
    const x = torch.arange(4).reshape([1, 1, 4]).to('float32');
    let flips = 0;
    for (let i = 0; i < 200; i++) if ((flip(x).dataSync() as Float32Array)[0] === 3) flips++;
    expect(flips).toBeGreaterThan(70);
    expect(flips).toBeLessThan(130);
  });

  it('gives torchvision\'s errors', () => {
    expect(() => T.Resize([1, 2, 3])).toThrow('Size must be an int or a 1 or 2 element tuple/list, not a 3 element tuple/list');
    expect(() => T.Resize([4, 5], { max_size: 9 })).toThrow(/max_size should only be passed if size specifies the length of the smaller edge/);
    expect(() => T.Resize(12, { max_size: 10 })(f32)).toThrow('max_size = 10 must be strictly greater than the requested size for the smaller edge size = 12');
    expect(() => T.Resize(4, { antialias: true })).toThrow(/antialias=true is not supported/);
    expect(() => T.CenterCrop(3)(torch.zeros(4))).toThrow(/CenterCrop: Tensor is not a torch image/);
  });
});

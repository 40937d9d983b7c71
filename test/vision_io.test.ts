// torch.vision.io: decoding PNG and JPEG bytes to uint8 [C, H, W] tensors in Node, through the
// optional npm decoders pngjs and jpeg-js (skipped where they are not installed), and a
// decode -> transforms -> model run on a torch.save'd torchvision checkpoint.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
import * as torchvision from '../ts/vision/index.js';

const { io, models, transforms: T } = torchvision;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const optional = async (name: string): Promise<any> => { try { const m = await import(/* @vite-ignore */ name); return m.default ?? m; } catch { return null; } };
const pngjs = await optional('pngjs');
const jpegjs = await optional('jpeg-js');

/** h x w x c pixels (hash-made, or a smooth gradient for lossy JPEG). */
function pixels(h: number, w: number, c: number, smooth = false): Uint8Array {
  const out = new Uint8Array(h * w * c);
  for (let i = 0; i < out.length; i++) {
    const p = Math.floor(i / c), y = Math.floor(p / w), x = p % w, k = i % c;
    out[i] = smooth ? (x * 9 + y * 5 + k * 60) % 256 : (Math.imul(i + 7, 2654435761) >>> 24);
  }
  return out;
}
/** HWC -> CHW as a plain array. */
function chw(src: Uint8Array, h: number, w: number, c: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) out.push(src[p * c + k]);
  return out;
}
/** A PNG of colorType 0 (gray), 2 (RGB), 4 (gray+alpha) or 6 (RGBA) from HWC pixels of c channels. */
function encodePng(px: Uint8Array, h: number, w: number, c: number): Uint8Array {
  const png = new pngjs.PNG({ width: w, height: h });
  const rgba = new Uint8Array(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    const g = px[p * c];
    rgba[p * 4] = g; rgba[p * 4 + 1] = c >= 3 ? px[p * c + 1] : g; rgba[p * 4 + 2] = c >= 3 ? px[p * c + 2] : g;
    rgba[p * 4 + 3] = c === 2 || c === 4 ? px[p * c + c - 1] : 255;
  }
  png.data = Buffer.from(rgba);
  const colorType = { 1: 0, 2: 4, 3: 2, 4: 6 }[c];
  return new Uint8Array(pngjs.PNG.sync.write(png, { colorType, inputColorType: 6 }));
}

describe.skipIf(!pngjs)('decode_image of PNG (pngjs)', () => {
  for (const c of [1, 2, 3, 4]) {
    it(`${c}-channel PNG decodes losslessly to [${c}, H, W] uint8`, async () => {
      const px = pixels(5, 7, c);
      const t = await io.decode_image(encodePng(px, 5, 7, c));
      expect(t.dtype).toBe('uint8');
      expect(t.shape).toEqual([c, 5, 7]);
      expect(Array.from(t.dataSync() as Uint8Array)).toEqual(chw(px, 5, 7, c));
    });
  }

  it('converts channels as ImageReadMode asks', async () => {
    const rgba = pixels(3, 4, 4), bytes = encodePng(rgba, 3, 4, 4);
    const rgb = await io.decode_png(bytes, io.ImageReadMode.RGB);
    expect(Array.from(rgb.dataSync() as Uint8Array)).toEqual(chw(rgba, 3, 4, 4).slice(0, 36));
    const gray = pixels(3, 4, 1), g = encodePng(gray, 3, 4, 1);
    const g3 = await io.decode_image(g, 'RGB');
    expect(Array.from(g3.dataSync() as Uint8Array)).toEqual([...gray, ...gray, ...gray]);
    const ga = await io.decode_image(g, 'GRAY_ALPHA');
    expect(Array.from(ga.dataSync() as Uint8Array)).toEqual([...gray, ...new Array(12).fill(255)]);
    const bw = await io.decode_image(encodePng(new Uint8Array(12).fill(200), 2, 2, 3), 'GRAY');
    expect(Array.from(bw.dataSync() as Uint8Array)).toEqual([200, 200, 200, 200]);
  });

  it('reads a file and takes the bytes as a uint8 tensor', async () => {
    const px = pixels(4, 6, 3), bytes = encodePng(px, 4, 6, 3);
    const path = join(mkdtempSync(join(tmpdir(), 'webtorch-io-')), 'img.png');
    writeFileSync(path, bytes);
    const t = await io.read_image(path);
    expect(Array.from(t.dataSync() as Uint8Array)).toEqual(chw(px, 4, 6, 3));
    const raw = await io.read_file(path);
    expect(raw.shape).toEqual([bytes.length]);
    expect(Array.from((await io.decode_image(raw)).dataSync() as Uint8Array)).toEqual(chw(px, 4, 6, 3));
  });

  it('gives clear errors for bad bytes', async () => {
    const bytes = encodePng(pixels(4, 4, 3), 4, 4, 3);
    await expect(io.decode_image(bytes.subarray(0, 40))).rejects.toThrow(/^decode_image: could not decode the PNG image: /);
    await expect(io.decode_image(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow('decode_image: unsupported image format (expected PNG or JPEG bytes; got 5 bytes starting 01 02 03 04)');
    await expect(io.decode_jpeg(bytes)).rejects.toThrow('decode_jpeg: the bytes are not a JPEG image (no JPEG SOI marker)');
    await expect(io.decode_image(torch.zeros(4))).rejects.toThrow('decode_image: expected a 1-D uint8 tensor of encoded bytes, got float32 of shape [4]');
    await expect(io.decode_image(bytes, 'CMYK' as never)).rejects.toThrow(/decode_image: unknown ImageReadMode 'CMYK'/);
  });

  it('decodes, preprocesses and classifies with a torchvision checkpoint', async () => {
    const img = await io.decode_image(encodePng(pixels(40, 52, 3, true), 40, 52, 3));
    const pre = T.Compose([T.Resize(36), T.CenterCrop(32), T.ConvertImageDtype('float32'), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]);
    const x = pre(img).unsqueeze(0);
    expect(x.shape).toEqual([1, 3, 32, 32]);
    const model = models.squeezenet1_1({ num_classes: 10 });
    model.load_state_dict(torch.load(new Uint8Array(readFileSync(new URL('./fixtures/vision/squeezenet1_1.pt', import.meta.url)))));
    model.eval();
    const probs = torch.no_grad(() => model.call(x).softmax(1));
    expect(probs.shape).toEqual([1, 10]);
    expect(Math.abs((probs.sum().itemSync() as number) - 1)).toBeLessThan(1e-5);
  });
});

describe.skipIf(!jpegjs)('decode_image of JPEG (jpeg-js)', () => {
  it('decodes an RGB JPEG to [3, H, W] close to the encoded pixels', async () => {
    const h = 16, w = 24, rgba = pixels(h, w, 4, true);
    for (let p = 0; p < h * w; p++) rgba[p * 4 + 3] = 255;
    const bytes = new Uint8Array(jpegjs.encode({ data: rgba, width: w, height: h }, 100).data);
    const t = await io.decode_jpeg(bytes);
    expect(t.shape).toEqual([3, h, w]);
    const got = t.dataSync() as Uint8Array, want = chw(rgba, h, w, 4);
    let maxErr = 0;
    for (let i = 0; i < got.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
    expect(maxErr).toBeLessThanOrEqual(12);
    const g = await io.decode_image(bytes, 'GRAY');
    expect(g.shape).toEqual([1, h, w]);
    await expect(io.decode_png(bytes)).rejects.toThrow('decode_png: the bytes are not a PNG image (no PNG signature)');
    await expect(io.decode_image(bytes.subarray(0, 30))).rejects.toThrow(/^decode_image: could not decode the JPEG image: /);
  });
});

it('names the decoder package when it is missing, or decodes with it', async () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
  const p = io.decode_image(jpeg);
  if (jpegjs) await expect(p).rejects.toThrow(/^decode_image: could not decode the JPEG image/);
  else await expect(p).rejects.toThrow("decode_image: decoding JPEG in Node/Deno needs the npm package 'jpeg-js' (npm install jpeg-js)");
});

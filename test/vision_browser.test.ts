// torch.vision.io's browser decoder (ts/platform/image.ts: createImageBitmap + OffscreenCanvas) in
// Debian's headless Chromium: PNG and JPEG bytes encoded by the browser itself decode to the
// pixels drawn (exactly for opaque PNG). Skipped without Chromium or playwright-core, except under CI.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import ts from 'typescript';

// playwright-core (a devDependency) drives the browser; CI must have it and Chromium
const runtime = await import('./runtime/chromium.mjs').catch(() => null);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const have = runtime !== null && existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error(`CI: no Chromium at ${CHROMIUM} or no playwright-core`);

describe.skipIf(!have)('decodeImageBytes in Chromium', () => {
  it('decodes PNG (RGB and RGBA) and JPEG bytes', async () => {
    // image.ts imports nothing: transpiled alone it is the module the bundle carries
    const src = readFileSync(new URL('../ts/platform/image.ts', import.meta.url), 'utf8');
    const code = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
    const browser = await runtime!.launch();
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ type: 'module', content: `${code}\nglobalThis.__image = { decodeImageBytes };` });
      await page.waitForFunction(() => (globalThis as { __image?: unknown }).__image);
      const r = await page.evaluate(async () => {
        const mod = (globalThis as unknown as { __image: { decodeImageBytes(b: Uint8Array, op: string): Promise<{ width: number; height: number; channels: number; format: string; data: Uint8Array }> } }).__image;
        const w = 7, h = 5;
        async function encode(alpha: boolean, type: string): Promise<[Uint8Array, Uint8ClampedArray]> {
          const px = new Uint8ClampedArray(w * h * 4);
          for (let i = 0; i < px.length; i++) px[i] = (i * 37 + 11) % 256;
          for (let p = 0; p < w * h; p++) px[p * 4 + 3] = alpha ? 200 + (p % 50) : 255;
          const c = new OffscreenCanvas(w, h);
          c.getContext('2d')!.putImageData(new ImageData(px, w, h), 0, 0);
          const blob = await c.convertToBlob({ type, quality: 1 });
          return [new Uint8Array(await blob.arrayBuffer()), px];
        }
        const out: Record<string, unknown> = {};
        for (const [name, alpha, type] of [['rgb', false, 'image/png'], ['rgba', true, 'image/png'], ['jpeg', false, 'image/jpeg']] as const) {
          const [bytes, px] = await encode(alpha, type);
          const img = await mod.decodeImageBytes(bytes, 'decode_image');
          let maxErr = 0;
          for (let p = 0; p < w * h; p++) for (let k = 0; k < img.channels; k++) maxErr = Math.max(maxErr, Math.abs(img.data[p * img.channels + k] - px[p * 4 + k]));
          out[name] = { width: img.width, height: img.height, channels: img.channels, format: img.format, maxErr };
        }
        try { await mod.decodeImageBytes(new Uint8Array([1, 2, 3, 4]), 'decode_image'); } catch (e) { out.error = String(e); }
        return out;
      });
      expect(r.rgb).toEqual({ width: 7, height: 5, channels: 3, format: 'png', maxErr: 0 });
      expect(r.rgba).toMatchObject({ width: 7, height: 5, channels: 4, format: 'png' });
      expect((r.rgba as { maxErr: number }).maxErr).toBeLessThanOrEqual(1); // the canvas premultiplies alpha
      expect(r.jpeg).toMatchObject({ width: 7, height: 5, channels: 3, format: 'jpeg' });
      expect((r.jpeg as { maxErr: number }).maxErr).toBeLessThanOrEqual(64); // lossy, 7x5 of noise
      expect(r.error).toMatch(/^Error: decode_image: could not decode the given image: /);
    } finally { await browser.close(); }
  }, 240_000);
});

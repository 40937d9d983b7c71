// torchvision.utils.save_image(tensor, fp, nrow=8, padding=2, normalize=False, pad_value=0) for
// a batch [B, C, H, W] (C = 1 or 3) of float images: make_grid's layout, then
// mul(255).add(0.5).clamp(0, 255) to bytes and an RGB PNG (pngjs, the project's devDependency).
import { writeFileSync } from 'node:fs';
import pngjs from 'pngjs';

/** make_grid + save_image's byte conversion: { width, height, rgb } (Uint8Array, RGB rows). */
export async function imageGrid(tensor, { nrow = 8, padding = 2, normalize = false, pad_value = 0 } = {}) {
  const [B, C, H, W] = tensor.shape;
  if (tensor.ndim !== 4 || (C !== 1 && C !== 3)) throw new RangeError(`save_image: expected a batch [B, C, H, W] with C = 1 or 3, got shape [${tensor.shape}]`);
  const x = Float64Array.from(await tensor.detach().data());
  if (normalize) { // value_range=None: the batch's min and max, as make_grid's norm_range
    let lo = Infinity, hi = -Infinity;
    for (const v of x) { if (v < lo) lo = v; if (v > hi) hi = v; }
    for (let i = 0; i < x.length; i++) x[i] = (Math.min(Math.max(x[i], lo), hi) - lo) / Math.max(hi - lo, 1e-5);
  }
  const xmaps = Math.min(nrow, B), ymaps = Math.ceil(B / xmaps);
  const width = xmaps * (W + padding) + padding, height = ymaps * (H + padding) + padding;
  const byte = (v) => Math.min(Math.max(Math.floor(v * 255 + 0.5), 0), 255);
  const rgb = new Uint8Array(width * height * 3).fill(byte(pad_value));
  for (let b = 0; b < B; b++) {
    const top = Math.floor(b / xmaps) * (H + padding) + padding, left = (b % xmaps) * (W + padding) + padding;
    for (let c = 0; c < 3; c++) {
      const src = (b * C + (C === 1 ? 0 : c)) * H * W;
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) rgb[((top + h) * width + left + w) * 3 + c] = byte(x[src + h * W + w]);
    }
  }
  return { width, height, rgb };
}

/** Writes the grid of a batch of images to a PNG file. */
export async function save_image(tensor, fp, opts = {}) {
  const { width, height, rgb } = await imageGrid(tensor, opts);
  const png = new pngjs.PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  writeFileSync(fp, pngjs.PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

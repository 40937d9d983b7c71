// torchvision.io: images from bytes or files as uint8 tensors [C, H, W]. Decoding is asynchronous
// (browsers decode off the main thread; Node/Deno load their decoder lazily), so these return
// Promises where torchvision returns tensors.
import { Tensor } from '../tensor.js';
import { decodeImageBytes, type RawImage } from '../platform/image.js';
import { readFile } from '../platform/index.js';

/** torchvision.io.ImageReadMode */
export const ImageReadMode = { UNCHANGED: 'UNCHANGED', GRAY: 'GRAY', GRAY_ALPHA: 'GRAY_ALPHA', RGB: 'RGB', RGB_ALPHA: 'RGB_ALPHA' } as const;
export type ImageReadMode = (typeof ImageReadMode)[keyof typeof ImageReadMode];

const CHANNELS: Record<ImageReadMode, number | null> = { UNCHANGED: null, GRAY: 1, GRAY_ALPHA: 2, RGB: 3, RGB_ALPHA: 4 };

/** libjpeg's luma for JPEG, libpng's default (sRGB) rgb-to-gray weights for PNG and the rest. */
function lumaWeights(format: RawImage['format']): [number, number, number] {
  return format === 'jpeg' ? [0.299, 0.587, 0.114] : [6968 / 32768, 23434 / 32768, 2366 / 32768];
}

/** Raw HWC pixels -> uint8 tensor [C, H, W] with `mode`'s channels. */
function toTensor(img: RawImage, mode: ImageReadMode, op: string): Tensor {
  const want = CHANNELS[mode];
  if (want === undefined) throw new RangeError(`${op}: unknown ImageReadMode '${mode}' (one of ${Object.keys(CHANNELS).join(', ')})`);
  const C = want ?? img.channels, c0 = img.channels, n = img.width * img.height, src = img.data;
  const hasAlpha = c0 === 2 || c0 === 4, color = c0 >= 3;
  const [wr, wg, wb] = lumaWeights(img.format);
  const out = new Uint8Array(C * n);
  for (let p = 0; p < n; p++) {
    const s = p * c0;
    const r = src[s], g = color ? src[s + 1] : r, b = color ? src[s + 2] : r, a = hasAlpha ? src[s + c0 - 1] : 255;
    if (C <= 2) out[p] = color ? Math.round(wr * r + wg * g + wb * b) : r;
    else { out[p] = r; out[n + p] = g; out[2 * n + p] = b; }
    if (C === 2) out[n + p] = a;
    if (C === 4) out[3 * n + p] = a;
  }
  return Tensor._fromData(out, 'uint8', [C, img.height, img.width]);
}

function bytesOf(input: Tensor | Uint8Array | ArrayBuffer, op: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (input instanceof Tensor) {
    if (input.dtype !== 'uint8' || input.ndim !== 1) throw new TypeError(`${op}: expected a 1-D uint8 tensor of encoded bytes, got ${input.dtype} of shape [${input.shape}]`);
    return input.dataSync() as Uint8Array;
  }
  throw new TypeError(`${op}: expected the encoded image as a Uint8Array, ArrayBuffer or 1-D uint8 tensor, got ${typeof input}`);
}

/**
 * torchvision.io.decode_image(input, mode=ImageReadMode.UNCHANGED): PNG or JPEG bytes (any format
 * the browser decodes, in browsers and workers) -> Promise of a uint8 tensor [C, H, W].
 */
export async function decode_image(input: Tensor | Uint8Array | ArrayBuffer, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const bytes = bytesOf(input, 'decode_image');
  return toTensor(await decodeImageBytes(bytes, 'decode_image'), mode, 'decode_image');
}

/** torchvision.io.decode_png(input, mode=ImageReadMode.UNCHANGED) */
export async function decode_png(input: Tensor | Uint8Array | ArrayBuffer, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const bytes = bytesOf(input, 'decode_png');
  const img = await decodeImageBytes(bytes, 'decode_png');
  if (img.format !== 'png') throw new Error('decode_png: the bytes are not a PNG image (no PNG signature)');
  return toTensor(img, mode, 'decode_png');
}

/** torchvision.io.decode_jpeg(input, mode=ImageReadMode.UNCHANGED) */
export async function decode_jpeg(input: Tensor | Uint8Array | ArrayBuffer, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const bytes = bytesOf(input, 'decode_jpeg');
  const img = await decodeImageBytes(bytes, 'decode_jpeg');
  if (img.format !== 'jpeg') throw new Error('decode_jpeg: the bytes are not a JPEG image (no JPEG SOI marker)');
  return toTensor(img, mode, 'decode_jpeg');
}

/** torchvision.io.read_file(path): the file's bytes as a 1-D uint8 tensor (Node, Deno, Bun). */
export async function read_file(path: string): Promise<Tensor> {
  const b = await readFile(path);
  return Tensor._fromData(new Uint8Array(b), 'uint8', [b.length]);
}

/** torchvision.io.read_image(path, mode=ImageReadMode.UNCHANGED) (Node, Deno, Bun). */
export async function read_image(path: string, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  return decode_image(await readFile(path), mode);
}

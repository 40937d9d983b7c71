// Image decoding from bytes, the one place that knows each runtime's decoder:
//   - Node, Deno, Bun: the npm packages `pngjs` (PNG) and `jpeg-js` (JPEG), pure JavaScript,
//     imported lazily the first time an image of that format is decoded (optional: install them
//     beside webtorch where images are decoded);
//   - browsers and workers: createImageBitmap + OffscreenCanvas (any format the browser decodes).
// The result is the image's pixels row-major (HWC) with the channel count the file has.

export interface RawImage { width: number; height: number; channels: 1 | 2 | 3 | 4; data: Uint8Array; format: 'png' | 'jpeg' | 'other' }

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export function imageFormat(b: Uint8Array): 'png' | 'jpeg' | 'other' {
  if (b.length >= 8 && PNG_SIG.every((v, i) => b[i] === v)) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return 'other';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = any;
const modules = new Map<string, Promise<AnyModule>>();
function importOptional(name: string, op: string, what: string): Promise<AnyModule> {
  if (!modules.has(name)) {
    // a variable specifier keeps bundlers from resolving an optional dependency at build time
    const spec = name;
    modules.set(name, import(/* @vite-ignore */ /* webpackIgnore: true */ spec).then((m) => m.default ?? m).catch(() => {
      modules.delete(name);
      throw new Error(`${op}: decoding ${what} in Node/Deno needs the npm package '${name}' (npm install ${name})`);
    }));
  }
  return modules.get(name)!;
}

const isServerRuntime = (): boolean => {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown; Bun?: unknown };
  return !!(g.process?.versions?.node || g.Deno || g.Bun);
};

/** Number of components in a JPEG's frame header (1 for grayscale), or 3 if none is found. */
function jpegComponents(b: Uint8Array): number {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) { i++; continue; }
    const m = b[i + 1];
    if (m === 0xff) { i++; continue; }
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return b[i + 9];
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; }
    i += 2 + ((b[i + 2] << 8) | b[i + 3]);
  }
  return 3;
}

/** Keeps `channels` of each RGBA pixel: 1 = R (gray), 2 = R+A, 3 = RGB, 4 = RGBA. */
function fromRGBA(rgba: Uint8Array, n: number, channels: 1 | 2 | 3 | 4): Uint8Array {
  if (channels === 4) return new Uint8Array(rgba.buffer, rgba.byteOffset, n * 4);
  const pick = channels === 1 ? [0] : channels === 2 ? [0, 3] : [0, 1, 2];
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = rgba[p * 4 + pick[c]];
  return out;
}

function decodeFailed(op: string, what: string, e: unknown): Error {
  return new Error(`${op}: could not decode the ${what} image: ${e instanceof Error ? e.message : String(e)}`);
}

async function decodePngNode(bytes: Uint8Array, op: string): Promise<RawImage> {
  const { PNG } = await importOptional('pngjs', op, 'PNG');
  const B = (globalThis as { Buffer?: { from(a: ArrayBufferLike, o: number, l: number): Uint8Array } }).Buffer;
  let png: { width: number; height: number; data: Uint8Array; colorType: number; alpha: boolean };
  try { png = PNG.sync.read(B ? B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes); } catch (e) { throw decodeFailed(op, 'PNG', e); }
  // colorType: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA; alpha: also set by a tRNS chunk
  const gray = png.colorType === 0 || png.colorType === 4;
  const channels = (gray ? (png.alpha ? 2 : 1) : (png.alpha ? 4 : 3)) as 1 | 2 | 3 | 4;
  return { width: png.width, height: png.height, channels, data: fromRGBA(png.data, png.width * png.height, channels), format: 'png' };
}

async function decodeJpegNode(bytes: Uint8Array, op: string): Promise<RawImage> {
  const jpeg = await importOptional('jpeg-js', op, 'JPEG');
  let img: { width: number; height: number; data: Uint8Array };
  try { img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true }); } catch (e) { throw decodeFailed(op, 'JPEG', e); }
  const channels = jpegComponents(bytes) === 1 ? 1 : 3;
  return { width: img.width, height: img.height, channels, data: fromRGBA(img.data, img.width * img.height, channels), format: 'jpeg' };
}

async function decodeBrowser(bytes: Uint8Array, op: string, format: RawImage['format']): Promise<RawImage> {
  const g = globalThis as unknown as {
    createImageBitmap(b: Blob, o: object): Promise<{ width: number; height: number; close(): void }>;
    OffscreenCanvas: new (w: number, h: number) => { getContext(t: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  };
  let bitmap;
  try {
    bitmap = await g.createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch (e) { throw decodeFailed(op, format === 'other' ? 'given' : format.toUpperCase(), e); }
  const { width, height } = bitmap;
  const ctx = new g.OffscreenCanvas(width, height).getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  let opaque = true;
  for (let i = 3; i < data.length && opaque; i += 4) opaque = data[i] === 255;
  // the canvas always holds RGBA: a JPEG or an opaque image comes back as RGB
  const channels = format === 'jpeg' || opaque ? 3 : 4;
  return { width, height, channels, data: fromRGBA(data, width * height, channels), format };
}

/** Decodes PNG or JPEG bytes (any browser-supported format in browsers and workers). */
export async function decodeImageBytes(bytes: Uint8Array, op: string): Promise<RawImage> {
  const format = imageFormat(bytes);
  const g = globalThis as { createImageBitmap?: unknown; OffscreenCanvas?: unknown };
  if (!isServerRuntime() && typeof g.createImageBitmap === 'function' && typeof g.OffscreenCanvas === 'function') return decodeBrowser(bytes, op, format);
  if (format === 'png') return decodePngNode(bytes, op);
  if (format === 'jpeg') return decodeJpegNode(bytes, op);
  throw new Error(`${op}: unsupported image format (expected PNG or JPEG bytes; got ${bytes.length} bytes starting ${[...bytes.subarray(0, 4)].map((v) => v.toString(16).padStart(2, '0')).join(' ')})`);
}

// F.pixel_shuffle / pixel_unshuffle: channels to space and back, as reshape + permute views.
import type { Tensor } from '../../tensor.js';
import { checkTensor } from '../../ops/pointwise.js';
import { parseArgs, required } from './args.js';

function check(op: string, x: Tensor, r: number, what: string): void {
  checkTensor(op, x);
  if (!Number.isInteger(r) || r <= 0) throw new RangeError(`${op} expects ${what} to be a positive integer, but got ${r}`);
  if (x.ndim < 3) throw new RangeError(`${op} expects input to have at least 3 dimensions, but got input with ${x.ndim} dimension(s)`);
}

/** The one required factor argument, positionally or by name. */
function factor(op: string, args: unknown[], name: string): number {
  const a = parseArgs<Record<string, number>>(op, args, [name], {});
  required(op, a, [name]);
  return a[name];
}

/** F.pixel_shuffle(input, upscale_factor): [*, C r^2, H, W] -> [*, C, H r, W r] */
export function pixel_shuffle(x: Tensor, ...args: unknown[]): Tensor {
  const r = factor('pixel_shuffle', args, 'upscale_factor');
  check('pixel_shuffle', x, r, 'upscale_factor');
  const [c, h, w] = x.shape.slice(-3), lead = x.shape.slice(0, -3);
  if (c % (r * r) !== 0) {
    throw new RangeError(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
  }
  const oc = c / (r * r), n = lead.length;
  const at = (k: number) => n + k;
  return x.reshape([...lead, oc, r, r, h, w])
    .permute([...lead.keys(), at(0), at(3), at(1), at(4), at(2)])
    .reshape([...lead, oc, h * r, w * r]);
}

/** F.pixel_unshuffle(input, downscale_factor): [*, C, H r, W r] -> [*, C r^2, H, W] */
export function pixel_unshuffle(x: Tensor, ...args: unknown[]): Tensor {
  const r = factor('pixel_unshuffle', args, 'downscale_factor');
  check('pixel_unshuffle', x, r, 'downscale_factor');
  const [c, h, w] = x.shape.slice(-3), lead = x.shape.slice(0, -3);
  if (h % r !== 0) throw new RangeError(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new RangeError(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const n = lead.length;
  const at = (k: number) => n + k;
  return x.reshape([...lead, c, h / r, r, w / r, r])
    .permute([...lead.keys(), at(0), at(2), at(4), at(1), at(3)])
    .reshape([...lead, c * r * r, h / r, w / r]);
}

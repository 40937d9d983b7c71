// nn.PixelShuffle, nn.PixelUnshuffle, nn.Upsample and its fixed-mode forms.
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { parseArgs } from '../functional/args.js';
import { pyFloat, pyVal } from '../repr.js';

/** nn.PixelShuffle(upscale_factor) */
export class PixelShuffle extends Module {
  upscale_factor: number;
  constructor(...args: unknown[]) {
    super();
    this.upscale_factor = parseArgs<{ upscale_factor: number }>('PixelShuffle', args, ['upscale_factor'], {}).upscale_factor;
  }
  override forward(x: Tensor): Tensor { return F.pixel_shuffle(x, this.upscale_factor); }
  override extra_repr(): string { return `upscale_factor=${this.upscale_factor}`; }
}

/** nn.PixelUnshuffle(downscale_factor) */
export class PixelUnshuffle extends Module {
  downscale_factor: number;
  constructor(...args: unknown[]) {
    super();
    this.downscale_factor = parseArgs<{ downscale_factor: number }>('PixelUnshuffle', args, ['downscale_factor'], {}).downscale_factor;
  }
  override forward(x: Tensor): Tensor { return F.pixel_unshuffle(x, this.downscale_factor); }
  override extra_repr(): string { return `downscale_factor=${this.downscale_factor}`; }
}

type Size = number | number[] | null;
type Scale = number | number[] | null;
interface UpsampleArgs { size: Size; scale_factor: Scale; mode: string; align_corners: boolean | null; recompute_scale_factor: boolean | null }

/** nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None) */
export class Upsample extends Module {
  size: Size;
  scale_factor: Scale;
  mode: string;
  align_corners: boolean | null;
  recompute_scale_factor: boolean | null;
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs<UpsampleArgs>(new.target.name, args, ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor'],
      { size: null, scale_factor: null, mode: 'nearest', align_corners: null, recompute_scale_factor: null });
    this.size = a.size; this.scale_factor = a.scale_factor; this.mode = a.mode;
    this.align_corners = a.align_corners; this.recompute_scale_factor = a.recompute_scale_factor;
  }
  override forward(x: Tensor): Tensor {
    return F.interpolate(x, { size: this.size, scale_factor: this.scale_factor, mode: this.mode, align_corners: this.align_corners, recompute_scale_factor: this.recompute_scale_factor });
  }
  override extra_repr(): string {
    const sf = this.scale_factor;
    const info = sf !== null ? `scale_factor=${Array.isArray(sf) ? `(${sf.map(pyFloat).join(', ')})` : pyFloat(sf)}` : `size=${pyVal(this.size)}`;
    return `${info}, mode=${this.mode}`;
  }
}

/** nn.UpsamplingNearest2d(size=None, scale_factor=None) */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: unknown[]) {
    const a = parseArgs<{ size: Size; scale_factor: Scale }>('UpsamplingNearest2d', args, ['size', 'scale_factor'], { size: null, scale_factor: null });
    super(a.size, a.scale_factor, 'nearest');
  }
}

/** nn.UpsamplingBilinear2d(size=None, scale_factor=None): bilinear with align_corners=True */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: unknown[]) {
    const a = parseArgs<{ size: Size; scale_factor: Scale }>('UpsamplingBilinear2d', args, ['size', 'scale_factor'], { size: null, scale_factor: null });
    super(a.size, a.scale_factor, 'bilinear', true);
  }
}

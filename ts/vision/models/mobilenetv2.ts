// torchvision.models.mobilenet_v2 with torchvision.ops.Conv2dNormActivation blocks.
import { Tensor } from '../../tensor.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/modules/containers.js';
import { Conv2d } from '../../nn/modules/conv.js';
import { BatchNorm2d } from '../../nn/modules/normalization.js';
import { ReLU6, Dropout } from '../../nn/modules/activation.js';
import { Linear } from '../../nn/modules/linear.js';
import { adaptive_avg_pool2d } from '../../nn/functional/pooling.js';
import * as init from '../../nn/init.js';
import { modelKwargs, makeDivisible, type BuilderOpts } from './_utils.js';

/** torchvision.ops.Conv2dNormActivation(in, out, kernel_size=3, stride=1, padding=null, groups=1): conv, BatchNorm2d, ReLU6 as '0', '1', '2'. */
export class Conv2dNormActivation extends Sequential {
  out_channels: number;
  constructor(in_channels: number, out_channels: number, opts: { kernel_size?: number; stride?: number; padding?: number | null; groups?: number; dilation?: number } = {}) {
    const { kernel_size = 3, stride = 1, groups = 1, dilation = 1 } = opts;
    const padding = opts.padding ?? Math.floor((kernel_size - 1) / 2) * dilation;
    super(
      new Conv2d(in_channels, out_channels, kernel_size, { stride, padding, dilation, groups, bias: false }),
      new BatchNorm2d(out_channels),
      new ReLU6(true),
    );
    this.out_channels = out_channels;
  }
}

export class InvertedResidual extends Module {
  declare conv: Sequential;
  stride: number;
  use_res_connect: boolean;
  out_channels: number;
  constructor(inp: number, oup: number, stride: number, expand_ratio: number) {
    super();
    if (stride !== 1 && stride !== 2) throw new RangeError(`stride should be 1 or 2 insted of ${stride}`);
    this.stride = stride;
    const hidden_dim = Math.round(inp * expand_ratio);
    this.use_res_connect = stride === 1 && inp === oup;
    const layers: Module[] = [];
    if (expand_ratio !== 1) layers.push(new Conv2dNormActivation(inp, hidden_dim, { kernel_size: 1 }));
    layers.push(
      new Conv2dNormActivation(hidden_dim, hidden_dim, { stride, groups: hidden_dim }),
      new Conv2d(hidden_dim, oup, 1, 1, 0, { bias: false }),
      new BatchNorm2d(oup),
    );
    this.conv = new Sequential(...layers);
    this.out_channels = oup;
  }
  override forward(x: Tensor): Tensor {
    return this.use_res_connect ? x.add(this.conv.call(x)) : this.conv.call(x);
  }
}

export interface MobileNetV2Opts { num_classes?: number; width_mult?: number; inverted_residual_setting?: number[][] | null; round_nearest?: number; dropout?: number }

/** torchvision.models.MobileNetV2(num_classes=1000, width_mult=1.0, inverted_residual_setting=null, round_nearest=8, dropout=0.2) */
export class MobileNetV2 extends Module {
  declare features: Sequential; declare classifier: Sequential;
  last_channel: number;
  constructor(opts: MobileNetV2Opts = {}) {
    super();
    const { num_classes = 1000, width_mult = 1.0, round_nearest = 8, dropout = 0.2 } = opts;
    const setting = opts.inverted_residual_setting ?? [
      [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
    ];
    if (setting.length === 0 || setting[0].length !== 4) throw new RangeError(`inverted_residual_setting should be non-empty or a 4-element list, got ${JSON.stringify(setting)}`);
    let input_channel = makeDivisible(32 * width_mult, round_nearest);
    this.last_channel = makeDivisible(1280 * Math.max(1.0, width_mult), round_nearest);
    const features: Module[] = [new Conv2dNormActivation(3, input_channel, { stride: 2 })];
    for (const [t, c, n, s] of setting) {
      const output_channel = makeDivisible(c * width_mult, round_nearest);
      for (let i = 0; i < n; i++) {
        features.push(new InvertedResidual(input_channel, output_channel, i === 0 ? s : 1, t));
        input_channel = output_channel;
      }
    }
    features.push(new Conv2dNormActivation(input_channel, this.last_channel, { kernel_size: 1 }));
    this.features = new Sequential(...features);
    this.classifier = new Sequential(new Dropout(dropout), new Linear(this.last_channel, num_classes));
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaiming_normal_(m.weight, { mode: 'fan_out' });
        if (m.bias) init.zeros_(m.bias);
      } else if (m instanceof BatchNorm2d) { init.ones_(m.weight!); init.zeros_(m.bias!); }
      else if (m instanceof Linear) { init.normal_(m.weight, 0, 0.01); init.zeros_(m.bias!); }
    }
  }
  override forward(x: Tensor): Tensor {
    x = adaptive_avg_pool2d(this.features.call(x), [1, 1]);
    return this.classifier.call(x.flatten(1));
  }
}

/** torchvision.models.mobilenet_v2(weights=null, progress=true, **kwargs) */
export const mobilenet_v2 = (opts: BuilderOpts & MobileNetV2Opts = {}): MobileNetV2 => new MobileNetV2(modelKwargs('mobilenet_v2', opts));

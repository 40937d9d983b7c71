// torchvision.models.vgg: VGG-11/13/16/19, with and without batch norm.
import { Tensor } from '../../tensor.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/modules/containers.js';
import { Conv2d } from '../../nn/modules/conv.js';
import { BatchNorm2d } from '../../nn/modules/normalization.js';
import { ReLU, Dropout } from '../../nn/modules/activation.js';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/modules/pooling.js';
import { Linear } from '../../nn/modules/linear.js';
import * as init from '../../nn/init.js';
import { modelKwargs, type BuilderOpts } from './_utils.js';

export interface VGGOpts { num_classes?: number; init_weights?: boolean; dropout?: number }

/** torchvision.models.VGG(features, num_classes=1000, init_weights=true, dropout=0.5) */
export class VGG extends Module {
  declare features: Module; declare avgpool: AdaptiveAvgPool2d; declare classifier: Sequential;
  constructor(features: Module, opts: VGGOpts = {}) {
    super();
    const { num_classes = 1000, init_weights = true, dropout = 0.5 } = opts;
    this.features = features;
    this.avgpool = new AdaptiveAvgPool2d([7, 7]);
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096), new ReLU(true), new Dropout(dropout),
      new Linear(4096, 4096), new ReLU(true), new Dropout(dropout),
      new Linear(4096, num_classes),
    );
    if (init_weights) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d) {
          init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
          if (m.bias) init.constant_(m.bias, 0);
        } else if (m instanceof BatchNorm2d) { init.constant_(m.weight!, 1); init.constant_(m.bias!, 0); }
        else if (m instanceof Linear) { init.normal_(m.weight, 0, 0.01); init.constant_(m.bias!, 0); }
      }
    }
  }
  override forward(x: Tensor): Tensor {
    return this.classifier.call(this.avgpool.call(this.features.call(x)).flatten(1));
  }
}

/** torchvision's make_layers: 3x3 convs (padding 1) with optional batch norm, 'M' = 2x2 max pool. */
export function make_layers(cfg: (number | 'M')[], batch_norm = false): Sequential {
  const layers: Module[] = [];
  let inChannels = 3;
  for (const v of cfg) {
    if (v === 'M') { layers.push(new MaxPool2d(2, 2)); continue; }
    layers.push(new Conv2d(inChannels, v, 3, { padding: 1 }));
    if (batch_norm) layers.push(new BatchNorm2d(v));
    layers.push(new ReLU(true));
    inChannels = v;
  }
  return new Sequential(...layers);
}

export const cfgs: Record<'A' | 'B' | 'D' | 'E', (number | 'M')[]> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

export type VGGBuilderOpts = BuilderOpts & VGGOpts;
const vgg = (name: string, cfg: keyof typeof cfgs, bn: boolean) => (opts: VGGBuilderOpts = {}): VGG =>
  new VGG(make_layers(cfgs[cfg], bn), modelKwargs(name, opts));

/** torchvision.models.vgg11(weights=null, progress=true, **kwargs) */
export const vgg11 = vgg('vgg11', 'A', false);
/** torchvision.models.vgg11_bn(weights=null, progress=true, **kwargs) */
export const vgg11_bn = vgg('vgg11_bn', 'A', true);
/** torchvision.models.vgg13(weights=null, progress=true, **kwargs) */
export const vgg13 = vgg('vgg13', 'B', false);
/** torchvision.models.vgg13_bn(weights=null, progress=true, **kwargs) */
export const vgg13_bn = vgg('vgg13_bn', 'B', true);
/** torchvision.models.vgg16(weights=null, progress=true, **kwargs) */
export const vgg16 = vgg('vgg16', 'D', false);
/** torchvision.models.vgg16_bn(weights=null, progress=true, **kwargs) */
export const vgg16_bn = vgg('vgg16_bn', 'D', true);
/** torchvision.models.vgg19(weights=null, progress=true, **kwargs) */
export const vgg19 = vgg('vgg19', 'E', false);
/** torchvision.models.vgg19_bn(weights=null, progress=true, **kwargs) */
export const vgg19_bn = vgg('vgg19_bn', 'E', true);

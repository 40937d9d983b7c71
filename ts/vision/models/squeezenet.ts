// torchvision.models.squeezenet: SqueezeNet 1.0 and 1.1 (its max pools use ceil_mode=true).
import { Tensor } from '../../tensor.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/modules/containers.js';
import { Conv2d } from '../../nn/modules/conv.js';
import { ReLU, Dropout } from '../../nn/modules/activation.js';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/modules/pooling.js';
import { cat } from '../../ops/indexing.js';
import * as init from '../../nn/init.js';
import { modelKwargs, type BuilderOpts } from './_utils.js';

export class Fire extends Module {
  declare squeeze: Conv2d; declare squeeze_activation: ReLU;
  declare expand1x1: Conv2d; declare expand1x1_activation: ReLU;
  declare expand3x3: Conv2d; declare expand3x3_activation: ReLU;
  inplanes: number;
  constructor(inplanes: number, squeeze_planes: number, expand1x1_planes: number, expand3x3_planes: number) {
    super();
    this.inplanes = inplanes;
    this.squeeze = new Conv2d(inplanes, squeeze_planes, 1);
    this.squeeze_activation = new ReLU(true);
    this.expand1x1 = new Conv2d(squeeze_planes, expand1x1_planes, 1);
    this.expand1x1_activation = new ReLU(true);
    this.expand3x3 = new Conv2d(squeeze_planes, expand3x3_planes, 3, { padding: 1 });
    this.expand3x3_activation = new ReLU(true);
  }
  override forward(x: Tensor): Tensor {
    x = this.squeeze_activation.call(this.squeeze.call(x));
    return cat([this.expand1x1_activation.call(this.expand1x1.call(x)), this.expand3x3_activation.call(this.expand3x3.call(x))], 1);
  }
}

export interface SqueezeNetOpts { num_classes?: number; dropout?: number }

/** torchvision.models.SqueezeNet(version='1_0', num_classes=1000, dropout=0.5) */
export class SqueezeNet extends Module {
  declare features: Sequential; declare classifier: Sequential;
  num_classes: number;
  constructor(version: '1_0' | '1_1' = '1_0', opts: SqueezeNetOpts = {}) {
    super();
    const { num_classes = 1000, dropout = 0.5 } = opts;
    this.num_classes = num_classes;
    const pool = () => new MaxPool2d(3, { stride: 2, ceil_mode: true });
    if (version === '1_0') {
      this.features = new Sequential(
        new Conv2d(3, 96, 7, { stride: 2 }), new ReLU(true), pool(),
        new Fire(96, 16, 64, 64), new Fire(128, 16, 64, 64), new Fire(128, 32, 128, 128), pool(),
        new Fire(256, 32, 128, 128), new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), pool(),
        new Fire(512, 64, 256, 256),
      );
    } else if (version === '1_1') {
      this.features = new Sequential(
        new Conv2d(3, 64, 3, { stride: 2 }), new ReLU(true), pool(),
        new Fire(64, 16, 64, 64), new Fire(128, 16, 64, 64), pool(),
        new Fire(128, 32, 128, 128), new Fire(256, 32, 128, 128), pool(),
        new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), new Fire(512, 64, 256, 256),
      );
    } else {
      throw new RangeError(`Unsupported SqueezeNet version ${version}: 1_0 or 1_1 expected`);
    }
    const final_conv = new Conv2d(512, num_classes, 1);
    this.classifier = new Sequential(new Dropout(dropout), final_conv, new ReLU(true), new AdaptiveAvgPool2d([1, 1]));
    for (const m of this.modules()) {
      if (!(m instanceof Conv2d)) continue;
      if (m === final_conv) init.normal_(m.weight, 0, 0.01);
      else init.kaiming_uniform_(m.weight);
      if (m.bias) init.constant_(m.bias, 0);
    }
  }
  override forward(x: Tensor): Tensor {
    return this.classifier.call(this.features.call(x)).flatten(1);
  }
}

export type SqueezeNetBuilderOpts = BuilderOpts & SqueezeNetOpts;
/** torchvision.models.squeezenet1_0(weights=null, progress=true, **kwargs) */
export const squeezenet1_0 = (opts: SqueezeNetBuilderOpts = {}): SqueezeNet => new SqueezeNet('1_0', modelKwargs('squeezenet1_0', opts));
/** torchvision.models.squeezenet1_1(weights=null, progress=true, **kwargs) */
export const squeezenet1_1 = (opts: SqueezeNetBuilderOpts = {}): SqueezeNet => new SqueezeNet('1_1', modelKwargs('squeezenet1_1', opts));

// torchvision.models.alexnet (the one-GPU variant of "One weird trick", as torchvision builds it).
import { Tensor } from '../../tensor.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/modules/containers.js';
import { Conv2d } from '../../nn/modules/conv.js';
import { ReLU, Dropout } from '../../nn/modules/activation.js';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/modules/pooling.js';
import { Linear } from '../../nn/modules/linear.js';
import { modelKwargs, type BuilderOpts } from './_utils.js';

export interface AlexNetOpts { num_classes?: number; dropout?: number }

/** torchvision.models.AlexNet(num_classes=1000, dropout=0.5); PyTorch's default layer init. */
export class AlexNet extends Module {
  declare features: Sequential; declare avgpool: AdaptiveAvgPool2d; declare classifier: Sequential;
  constructor(opts: AlexNetOpts = {}) {
    super();
    const { num_classes = 1000, dropout = 0.5 } = opts;
    this.features = new Sequential(
      new Conv2d(3, 64, 11, { stride: 4, padding: 2 }), new ReLU(true), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2 }), new ReLU(true), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1 }), new ReLU(true),
      new Conv2d(384, 256, 3, { padding: 1 }), new ReLU(true),
      new Conv2d(256, 256, 3, { padding: 1 }), new ReLU(true), new MaxPool2d(3, { stride: 2 }),
    );
    this.avgpool = new AdaptiveAvgPool2d([6, 6]);
    this.classifier = new Sequential(
      new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(true),
      new Dropout(dropout), new Linear(4096, 4096), new ReLU(true),
      new Linear(4096, num_classes),
    );
  }
  override forward(x: Tensor): Tensor {
    return this.classifier.call(this.avgpool.call(this.features.call(x)).flatten(1));
  }
}

/** torchvision.models.alexnet(weights=null, progress=true, **kwargs) */
export const alexnet = (opts: BuilderOpts & AlexNetOpts = {}): AlexNet => new AlexNet(modelKwargs('alexnet', opts));

// torchvision.models.densenet: DenseNet-121/161/169/201 (memory_efficient checkpointing is a
// training-memory trade that gives the same outputs; webtorch accepts the flag and computes directly).
import { Tensor } from '../../tensor.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/modules/containers.js';
import { Conv2d } from '../../nn/modules/conv.js';
import { BatchNorm2d } from '../../nn/modules/normalization.js';
import { ReLU } from '../../nn/modules/activation.js';
import { MaxPool2d, AvgPool2d } from '../../nn/modules/pooling.js';
import { Linear } from '../../nn/modules/linear.js';
import { relu, dropout } from '../../nn/functional/index.js';
import { adaptive_avg_pool2d } from '../../nn/functional/pooling.js';
import { cat } from '../../ops/indexing.js';
import * as init from '../../nn/init.js';
import { modelKwargs, type BuilderOpts } from './_utils.js';

export class _DenseLayer extends Module {
  declare norm1: BatchNorm2d; declare relu1: ReLU; declare conv1: Conv2d;
  declare norm2: BatchNorm2d; declare relu2: ReLU; declare conv2: Conv2d;
  drop_rate: number;
  memory_efficient: boolean;
  constructor(num_input_features: number, growth_rate: number, bn_size: number, drop_rate: number, memory_efficient = false) {
    super();
    this.norm1 = new BatchNorm2d(num_input_features);
    this.relu1 = new ReLU(true);
    this.conv1 = new Conv2d(num_input_features, bn_size * growth_rate, 1, { stride: 1, bias: false });
    this.norm2 = new BatchNorm2d(bn_size * growth_rate);
    this.relu2 = new ReLU(true);
    this.conv2 = new Conv2d(bn_size * growth_rate, growth_rate, 3, { stride: 1, padding: 1, bias: false });
    this.drop_rate = drop_rate;
    this.memory_efficient = memory_efficient;
  }
  override forward(input: Tensor | Tensor[]): Tensor {
    const prev = input instanceof Tensor ? [input] : input;
    const bottleneck = this.conv1.call(this.relu1.call(this.norm1.call(cat(prev, 1))));
    const out = this.conv2.call(this.relu2.call(this.norm2.call(bottleneck)));
    return this.drop_rate > 0 ? dropout(out, this.drop_rate, this.training) : out;
  }
}

export class _DenseBlock extends Module {
  constructor(num_layers: number, num_input_features: number, bn_size: number, growth_rate: number, drop_rate: number, memory_efficient = false) {
    super();
    for (let i = 0; i < num_layers; i++) {
      this.add_module(`denselayer${i + 1}`, new _DenseLayer(num_input_features + i * growth_rate, growth_rate, bn_size, drop_rate, memory_efficient));
    }
  }
  override forward(init_features: Tensor): Tensor {
    const features = [init_features];
    for (const layer of this._modules.values()) features.push(layer!.call(features));
    return cat(features, 1);
  }
}

export class _Transition extends Sequential {
  constructor(num_input_features: number, num_output_features: number) {
    super(new Map<string, Module>([
      ['norm', new BatchNorm2d(num_input_features)],
      ['relu', new ReLU(true)],
      ['conv', new Conv2d(num_input_features, num_output_features, 1, { stride: 1, bias: false })],
      ['pool', new AvgPool2d(2, { stride: 2 })],
    ]));
  }
}

export interface DenseNetOpts { growth_rate?: number; block_config?: number[]; num_init_features?: number; bn_size?: number; drop_rate?: number; num_classes?: number; memory_efficient?: boolean }

/** torchvision.models.DenseNet(growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64, bn_size=4, drop_rate=0, num_classes=1000, memory_efficient=false) */
export class DenseNet extends Module {
  declare features: Sequential; declare classifier: Linear;
  constructor(opts: DenseNetOpts = {}) {
    super();
    const { growth_rate = 32, block_config = [6, 12, 24, 16], num_init_features = 64, bn_size = 4, drop_rate = 0, num_classes = 1000, memory_efficient = false } = opts;
    this.features = new Sequential(new Map<string, Module>([
      ['conv0', new Conv2d(3, num_init_features, 7, { stride: 2, padding: 3, bias: false })],
      ['norm0', new BatchNorm2d(num_init_features)],
      ['relu0', new ReLU(true)],
      ['pool0', new MaxPool2d(3, { stride: 2, padding: 1 })],
    ]));
    let num_features = num_init_features;
    block_config.forEach((num_layers, i) => {
      this.features.add_module(`denseblock${i + 1}`, new _DenseBlock(num_layers, num_features, bn_size, growth_rate, drop_rate, memory_efficient));
      num_features += num_layers * growth_rate;
      if (i !== block_config.length - 1) {
        this.features.add_module(`transition${i + 1}`, new _Transition(num_features, Math.floor(num_features / 2)));
        num_features = Math.floor(num_features / 2);
      }
    });
    this.features.add_module('norm5', new BatchNorm2d(num_features));
    this.classifier = new Linear(num_features, num_classes);
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaiming_normal_(m.weight);
      else if (m instanceof BatchNorm2d) { init.constant_(m.weight!, 1); init.constant_(m.bias!, 0); }
      else if (m instanceof Linear) init.constant_(m.bias!, 0);
    }
  }
  override forward(x: Tensor): Tensor {
    const out = adaptive_avg_pool2d(relu(this.features.call(x), true), [1, 1]);
    return this.classifier.call(out.flatten(1));
  }
}

export type DenseNetBuilderOpts = BuilderOpts & DenseNetOpts;
const densenet = (name: string, growth_rate: number, block_config: number[], num_init_features: number) =>
  (opts: DenseNetBuilderOpts = {}): DenseNet => new DenseNet({ growth_rate, block_config, num_init_features, ...modelKwargs(name, opts) });

/** torchvision.models.densenet121(weights=null, progress=true, **kwargs) */
export const densenet121 = densenet('densenet121', 32, [6, 12, 24, 16], 64);
/** torchvision.models.densenet161(weights=null, progress=true, **kwargs) */
export const densenet161 = densenet('densenet161', 48, [6, 12, 36, 24], 96);
/** torchvision.models.densenet169(weights=null, progress=true, **kwargs) */
export const densenet169 = densenet('densenet169', 32, [6, 12, 32, 32], 64);
/** torchvision.models.densenet201(weights=null, progress=true, **kwargs) */
export const densenet201 = densenet('densenet201', 32, [6, 12, 48, 32], 64);

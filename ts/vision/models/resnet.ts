// torchvision.models.resnet: ResNet-18/34/50 (and the ResNeXt / wide variants its options give),
// with torchvision 0.14's module names, so state_dict keys match its checkpoints.
import { Tensor } from '../../tensor.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/modules/containers.js';
import { Conv2d } from '../../nn/modules/conv.js';
import { BatchNorm2d } from '../../nn/modules/normalization.js';
import { ReLU } from '../../nn/modules/activation.js';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/modules/pooling.js';
import { Linear } from '../../nn/modules/linear.js';
import * as init from '../../nn/init.js';
import { modelKwargs, type BuilderOpts } from './_utils.js';

const conv3x3 = (inp: number, out: number, stride = 1, groups = 1, dilation = 1) =>
  new Conv2d(inp, out, 3, { stride, padding: dilation, groups, bias: false, dilation });
const conv1x1 = (inp: number, out: number, stride = 1) => new Conv2d(inp, out, 1, { stride, bias: false });

interface BlockArgs { inplanes: number; planes: number; stride: number; downsample: Module | null; groups: number; base_width: number; dilation: number }

export class BasicBlock extends Module {
  static expansion = 1;
  declare conv1: Conv2d; declare bn1: BatchNorm2d; declare relu: ReLU; declare conv2: Conv2d; declare bn2: BatchNorm2d;
  declare downsample: Module | null;
  stride: number;
  constructor(a: BlockArgs) {
    super();
    if (a.groups !== 1 || a.base_width !== 64) throw new RangeError('BasicBlock only supports groups=1 and base_width=64');
    if (a.dilation > 1) throw new RangeError('Dilation > 1 not supported in BasicBlock');
    this.conv1 = conv3x3(a.inplanes, a.planes, a.stride);
    this.bn1 = new BatchNorm2d(a.planes);
    this.relu = new ReLU(true);
    this.conv2 = conv3x3(a.planes, a.planes);
    this.bn2 = new BatchNorm2d(a.planes);
    this.downsample = a.downsample;
    this.stride = a.stride;
  }
  override forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.call(x) : x;
    let out = this.relu.call(this.bn1.call(this.conv1.call(x)));
    out = this.bn2.call(this.conv2.call(out));
    return this.relu.call(out.add(identity));
  }
}

export class Bottleneck extends Module {
  static expansion = 4;
  declare conv1: Conv2d; declare bn1: BatchNorm2d; declare conv2: Conv2d; declare bn2: BatchNorm2d;
  declare conv3: Conv2d; declare bn3: BatchNorm2d; declare relu: ReLU; declare downsample: Module | null;
  stride: number;
  constructor(a: BlockArgs) {
    super();
    const width = Math.trunc(a.planes * (a.base_width / 64)) * a.groups;
    this.conv1 = conv1x1(a.inplanes, width);
    this.bn1 = new BatchNorm2d(width);
    this.conv2 = conv3x3(width, width, a.stride, a.groups, a.dilation);
    this.bn2 = new BatchNorm2d(width);
    this.conv3 = conv1x1(width, a.planes * Bottleneck.expansion);
    this.bn3 = new BatchNorm2d(a.planes * Bottleneck.expansion);
    this.relu = new ReLU(true);
    this.downsample = a.downsample;
    this.stride = a.stride;
  }
  override forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.call(x) : x;
    let out = this.relu.call(this.bn1.call(this.conv1.call(x)));
    out = this.relu.call(this.bn2.call(this.conv2.call(out)));
    out = this.bn3.call(this.conv3.call(out));
    return this.relu.call(out.add(identity));
  }
}

type Block = typeof BasicBlock | typeof Bottleneck;

export interface ResNetOpts {
  num_classes?: number;
  zero_init_residual?: boolean;
  groups?: number;
  width_per_group?: number;
  replace_stride_with_dilation?: [boolean, boolean, boolean] | null;
}

/** torchvision.models.ResNet(block, layers, num_classes=1000, zero_init_residual=false, groups=1, width_per_group=64, replace_stride_with_dilation=null) */
export class ResNet extends Module {
  declare conv1: Conv2d; declare bn1: BatchNorm2d; declare relu: ReLU; declare maxpool: MaxPool2d;
  declare layer1: Sequential; declare layer2: Sequential; declare layer3: Sequential; declare layer4: Sequential;
  declare avgpool: AdaptiveAvgPool2d; declare fc: Linear;
  inplanes = 64;
  dilation = 1;
  groups: number;
  base_width: number;
  constructor(block: Block, layers: number[], opts: ResNetOpts = {}) {
    super();
    const { num_classes = 1000, zero_init_residual = false, groups = 1, width_per_group = 64 } = opts;
    const rswd = opts.replace_stride_with_dilation ?? [false, false, false];
    if (rswd.length !== 3) throw new RangeError(`replace_stride_with_dilation should be None or a 3-element tuple, got [${rswd}]`);
    this.groups = groups;
    this.base_width = width_per_group;
    this.conv1 = new Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = new BatchNorm2d(this.inplanes);
    this.relu = new ReLU(true);
    this.maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
    this.layer1 = this.makeLayer(block, 64, layers[0]);
    this.layer2 = this.makeLayer(block, 128, layers[1], 2, rswd[0]);
    this.layer3 = this.makeLayer(block, 256, layers[2], 2, rswd[1]);
    this.layer4 = this.makeLayer(block, 512, layers[3], 2, rswd[2]);
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.fc = new Linear(512 * block.expansion, num_classes);
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      else if (m instanceof BatchNorm2d) { init.constant_(m.weight!, 1); init.constant_(m.bias!, 0); }
    }
    if (zero_init_residual) {
      for (const m of this.modules()) {
        if (m instanceof Bottleneck) init.constant_(m.bn3.weight!, 0);
        else if (m instanceof BasicBlock) init.constant_(m.bn2.weight!, 0);
      }
    }
  }
  private makeLayer(block: Block, planes: number, blocks: number, stride = 1, dilate = false): Sequential {
    let downsample: Module | null = null;
    const previous_dilation = this.dilation;
    if (dilate) { this.dilation *= stride; stride = 1; }
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = new Sequential(conv1x1(this.inplanes, planes * block.expansion, stride), new BatchNorm2d(planes * block.expansion));
    }
    const g = { groups: this.groups, base_width: this.base_width };
    const layers: Module[] = [new block({ inplanes: this.inplanes, planes, stride, downsample, ...g, dilation: previous_dilation })];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new block({ inplanes: this.inplanes, planes, stride: 1, downsample: null, ...g, dilation: this.dilation }));
    return new Sequential(...layers);
  }
  override forward(x: Tensor): Tensor {
    x = this.maxpool.call(this.relu.call(this.bn1.call(this.conv1.call(x))));
    x = this.layer4.call(this.layer3.call(this.layer2.call(this.layer1.call(x))));
    return this.fc.call(this.avgpool.call(x).flatten(1));
  }
}

export type ResNetBuilderOpts = BuilderOpts & ResNetOpts;

function build(name: string, block: Block, layers: number[], opts: ResNetBuilderOpts, extra: ResNetOpts = {}): ResNet {
  return new ResNet(block, layers, { ...modelKwargs(name, opts), ...extra });
}

/** torchvision.models.resnet18(weights=null, progress=true, **kwargs) */
export const resnet18 = (opts: ResNetBuilderOpts = {}) => build('resnet18', BasicBlock, [2, 2, 2, 2], opts);
/** torchvision.models.resnet34(weights=null, progress=true, **kwargs) */
export const resnet34 = (opts: ResNetBuilderOpts = {}) => build('resnet34', BasicBlock, [3, 4, 6, 3], opts);
/** torchvision.models.resnet50(weights=null, progress=true, **kwargs) */
export const resnet50 = (opts: ResNetBuilderOpts = {}) => build('resnet50', Bottleneck, [3, 4, 6, 3], opts);
/** torchvision.models.resnet101(weights=null, progress=true, **kwargs) */
export const resnet101 = (opts: ResNetBuilderOpts = {}) => build('resnet101', Bottleneck, [3, 4, 23, 3], opts);
/** torchvision.models.resnet152(weights=null, progress=true, **kwargs) */
export const resnet152 = (opts: ResNetBuilderOpts = {}) => build('resnet152', Bottleneck, [3, 8, 36, 3], opts);
/** torchvision.models.resnext50_32x4d(weights=null, progress=true, **kwargs) */
export const resnext50_32x4d = (opts: ResNetBuilderOpts = {}) => build('resnext50_32x4d', Bottleneck, [3, 4, 6, 3], opts, { groups: 32, width_per_group: 4 });
/** torchvision.models.wide_resnet50_2(weights=null, progress=true, **kwargs) */
export const wide_resnet50_2 = (opts: ResNetBuilderOpts = {}) => build('wide_resnet50_2', Bottleneck, [3, 4, 6, 3], opts, { width_per_group: 128 });

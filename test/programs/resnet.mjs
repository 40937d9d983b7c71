// torchvision.models.resnet18(weights=None), ported from torchvision/models/resnet.py (BasicBlock,
// ResNet with its kaiming_normal_(fan_out, relu) conv init and unit/zero BatchNorm init), for the
// siamese_network port: webtorch has no torchvision models.
import * as torch from '../../ts/index.js';
const nn = torch.nn;

const conv3x3 = (in_planes, out_planes, stride = 1) => new nn.Conv2d(in_planes, out_planes, 3, { stride, padding: 1, bias: false });
const conv1x1 = (in_planes, out_planes, stride = 1) => new nn.Conv2d(in_planes, out_planes, 1, { stride, bias: false });

class BasicBlock extends nn.Module {
  constructor(inplanes, planes, stride = 1, downsample = null) {
    super();
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = new nn.BatchNorm2d(planes);
    this.relu = new nn.ReLU(true);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new nn.BatchNorm2d(planes);
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x) {
    const identity = this.downsample !== null ? this.downsample.call(x) : x;
    let out = this.conv1.call(x);
    out = this.bn1.call(out);
    out = this.relu.call(out);
    out = this.conv2.call(out);
    out = this.bn2.call(out);
    out = out.add(identity);
    return this.relu.call(out);
  }
}
BasicBlock.expansion = 1;

export class ResNet extends nn.Module {
  constructor(block, layers, num_classes = 1000) {
    super();
    this.inplanes = 64;
    this.conv1 = new nn.Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = new nn.BatchNorm2d(this.inplanes);
    this.relu = new nn.ReLU(true);
    this.maxpool = new nn.MaxPool2d(3, 2, 1); // kernel_size=3, stride=2, padding=1
    this.layer1 = this._make_layer(block, 64, layers[0]);
    this.layer2 = this._make_layer(block, 128, layers[1], 2);
    this.layer3 = this._make_layer(block, 256, layers[2], 2);
    this.layer4 = this._make_layer(block, 512, layers[3], 2);
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.fc = new nn.Linear(512 * block.expansion, num_classes);
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) nn.init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      else if (m instanceof nn.BatchNorm2d) { nn.init.constant_(m.weight, 1); nn.init.constant_(m.bias, 0); }
    }
  }

  _make_layer(block, planes, blocks, stride = 1) {
    let downsample = null;
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = new nn.Sequential(conv1x1(this.inplanes, planes * block.expansion, stride), new nn.BatchNorm2d(planes * block.expansion));
    }
    const layers = [new block(this.inplanes, planes, stride, downsample)];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes));
    return new nn.Sequential(...layers);
  }

  forward(x) {
    x = this.conv1.call(x);
    x = this.bn1.call(x);
    x = this.relu.call(x);
    x = this.maxpool.call(x);
    x = this.layer1.call(x);
    x = this.layer2.call(x);
    x = this.layer3.call(x);
    x = this.layer4.call(x);
    x = this.avgpool.call(x);
    x = torch.flatten(x, 1);
    return this.fc.call(x);
  }
}

export const resnet18 = () => new ResNet(BasicBlock, [2, 2, 2, 2]);

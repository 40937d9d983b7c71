// torchvision.models: classification models with torchvision 0.14's module names and state_dict
// keys, so `model.load_state_dict(torch.load(bytes))` takes torchvision checkpoints as they are.
export { ResNet, BasicBlock, Bottleneck, resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d, wide_resnet50_2 } from './resnet.js';
export { VGG, make_layers, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn } from './vgg.js';
export { AlexNet, alexnet } from './alexnet.js';
export { SqueezeNet, Fire, squeezenet1_0, squeezenet1_1 } from './squeezenet.js';
export { MobileNetV2, InvertedResidual, Conv2dNormActivation, mobilenet_v2 } from './mobilenetv2.js';
export { DenseNet, densenet121, densenet161, densenet169, densenet201 } from './densenet.js';

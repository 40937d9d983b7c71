// torchvision for webtorch: `torch.vision.models` (model builders), `torch.vision.io` (image
// decoding) and `torch.vision.transforms` (the same module as torch.transforms).
export * as models from './models/index.js';
export * as io from './io.js';
export * as transforms from '../transforms/index.js';

// torchvision for webtorch, its own entry point as torchvision is its own package:
// `import * as torchvision from 'webtorch/vision'` gives `models` (model builders), `io` (image
// decoding) and `transforms` (the same module as torch.transforms). In the browser build it is
// dist/vision.min.js, which shares the main file's code, so the main file does not carry it.
export * as models from './models/index.js';
export * as io from './io.js';
export * as transforms from '../transforms/index.js';

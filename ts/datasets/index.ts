// torchvision.datasets
export { MNIST, FashionMNIST } from './mnist.js';
export type { MNISTOptions } from './mnist.js';
export { parseIdx } from './idx.js';

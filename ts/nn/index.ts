// torch.nn: `import { nn } from 'webtorch'`. Calling a model: `model.call(x)` (hooks + forward,
// PyTorch's model(x)) or `model.forward(x)` (forward alone). See ts/nn/module.ts.
export { Module, deepcopy } from './module.js';
export type { StateDict, ForwardHook, ForwardPreHook, RemovableHandle } from './module.js';
export { Parameter } from './parameter.js';
export { Sequential, ModuleList, ModuleDict, ParameterList } from './modules/containers.js';
export { Identity, Linear, Bilinear, Flatten, Unflatten } from './modules/linear.js';
export { Conv1d, Conv2d, ConvTranspose2d } from './modules/conv.js';
export { MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d } from './modules/pooling.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm } from './modules/normalization.js';
// dropout layers and activations: every class of modules/activation.ts
export * from './modules/activation.js';
export { NLLLoss, CrossEntropyLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss } from './modules/loss.js';
export { Embedding } from './modules/sparse.js';
export { RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell } from './modules/rnn.js';
export { MultiheadAttention, NonDynamicallyQuantizableLinear } from './modules/attention.js';
export { TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer } from './modules/transformer.js';
export * as functional from './functional/index.js';
export * as init from './init.js';
export * as utils from './utils/index.js';

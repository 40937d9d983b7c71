// The declarations that test/bad_input.test.ts generates its bad inputs from: one valid call per
// public op (its arguments, as data), and the rules that turn it into bad calls. The elementwise
// ops come from their own declarations in ts/ops/pointwise_table.ts; the rest are declared below.
// test/fixtures/gen_bad_input_fixtures.py runs the same cases in PyTorch (it bundles this file
// with rolldown), so this file imports nothing that needs the runtime.
//
// An argument is data: numbers, booleans, null, strings, arrays, a tensor spec { T }, a dim
// { dim } (a number that the rules push out of range), or a trailing options object { kw }
// (Python's keyword arguments).
import { POINTWISE } from '../../ts/ops/pointwise_table.js';

export type DT = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8';
/**
 * A tensor: dtype, shape and values (default: a fixed pattern of the dtype). `role` says which
 * rules apply: 'x' a floating input, 'index' integer indices into dimension `of` (size `size`),
 * 'prob' probabilities, 'target' class indices, 'fixed' no rules.
 */
export interface TSpec { T: DT; shape: number[]; v?: number[]; role?: 'x' | 'index' | 'prob' | 'target' | 'fixed'; size?: number; disposed?: true; nanInf?: true }
export interface DimSpec { dim: number }
export interface KwSpec { kw: Record<string, Arg> }
/** A layer built as an argument (TransformerEncoder's encoder_layer): new nn.<module>(...ctor); no rules apply inside. */
export interface ModuleSpec { module: string; ctor: Arg[] }
export type Arg = number | boolean | null | string | TSpec | DimSpec | KwSpec | ModuleSpec | Arg[];

/**
 * How an op is called: torch.<name>, tensor.<name>, nn.functional.<name>, new nn.<name>(...ctor)(...args),
 * new optim.<name>(params, kw) (LBFGS steps with a closure whose loss is sum(p * p) / 2, so the gradient is p),
 * new distributions.<name>(...args).entropy() (the constructor validates the parameters, as PyTorch's validate_args),
 * transforms.<name>(...ctor)(...args) (torchvision.transforms).
 */
export type Kind = 'torch' | 'method' | 'F' | 'module' | 'optim' | 'dist' | 'transform';
export interface Decl { kind: Kind; name: string; args: Arg[]; ctor?: Arg[] }
export interface Case extends Decl { id: string; rule: string; webtorchOnly?: true }

// ---------------------------------------------------------------------------------- shorthands
const x = (...shape: number[]): TSpec => ({ T: 'float32', shape, role: 'x' });
const prob = (...shape: number[]): TSpec => ({ T: 'float32', shape, role: 'prob' });
const fixed = (T: DT, shape: number[], v?: number[]): TSpec => ({ T, shape, v, role: 'fixed' });
const idx = (v: number[], size: number, shape = [v.length]): TSpec => ({ T: 'int64', shape, v, role: 'index', size });
const target = (v: number[], classes: number): TSpec => ({ T: 'int64', shape: [v.length], v, role: 'target', size: classes });
const mask = (...shape: number[]): TSpec => ({ T: 'bool', shape, role: 'fixed' });
const D = (dim: number): DimSpec => ({ dim });
const kw = (o: Record<string, Arg>): KwSpec => ({ kw: o });

/** The values of a tensor spec: a fixed pattern with negatives, zero and fractions (probabilities in (0, 1)). */
export function valuesOf(t: TSpec): number[] {
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.v) return t.v;
  const v = Array.from({ length: n }, (_, i) => {
    if (t.role === 'prob') return ((i * 3) % 7 + 1) / 9;
    if (t.T === 'bool') return (i * 5) % 3 === 0 ? 1 : 0;
    if (t.T === 'int32' || t.T === 'int64' || t.T === 'uint8') return t.T === 'uint8' ? (i * 7) % 11 : ((i * 7) % 11) - 5;
    return (((i * 7) % 11) - 5) / 4;
  });
  if (t.nanInf && n >= 2) { v[0] = NaN; v[1] = Infinity; }
  return v;
}

// ------------------------------------------------------------------------------- declarations
const pw = POINTWISE as Record<string, { arity: number; grad_fn?: string; out?: string; method?: readonly string[]; tensors?: true }>;
/** torch.* elementwise ops from their pointwise_table rows: unary on one input, binary on two. */
function pointwiseDecls(): Decl[] {
  const out: Decl[] = [];
  for (const [name, row] of Object.entries(pw)) {
    if (!row.grad_fn && !row.out) continue; // a kernel only (fused backward, clamp's), not an op
    if (['gelu_tanh', 'div_trunc', 'div_floor', 'round', 'clamp', 'leaky_relu', 'elu', 'softplus', 'hardswish', 'hardsigmoid', 'gelu', 'silu', 'atan2'].includes(name)) continue; // declared by hand below, or not a torch.* function
    out.push({ kind: 'torch', name, args: row.arity === 1 ? [x(2, 3)] : [x(2, 3), x(2, 3)] });
  }
  return out;
}

/** Ops declared by hand (their PyTorch argument order and keywords). */
const DECLS: Decl[] = [
  ...pointwiseDecls(),
  // pointwise with parameters
  { kind: 'torch', name: 'round', args: [x(2, 3)] },
  { kind: 'torch', name: 'clamp', args: [x(2, 3), -0.5, 0.5] },
  { kind: 'torch', name: 'square', args: [x(2, 3)] },
  { kind: 'method', name: 'lerp', args: [x(2, 3), x(2, 3), 0.5] },
  { kind: 'method', name: 'addcmul', args: [x(2, 3), x(2, 3), x(2, 3)] },
  { kind: 'method', name: 'addcdiv', args: [x(2, 3), x(2, 3), prob(2, 3)] },
  { kind: 'method', name: 'clamp_min', args: [x(2, 3), 0] },
  { kind: 'method', name: 'clamp_max', args: [x(2, 3), 0] },
  { kind: 'method', name: 'true_divide', args: [x(2, 3), prob(2, 3)] },
  { kind: 'method', name: 'floor_divide', args: [x(2, 3), prob(2, 3)] },
  // reductions
  ...['sum', 'mean', 'prod', 'amax', 'amin', 'argmax', 'argmin', 'logsumexp', 'all', 'any', 'max', 'min'].map((name): Decl => ({ kind: 'torch', name, args: [x(2, 3), D(1)] })),
  { kind: 'torch', name: 'var', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'std', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'norm', args: [x(2, 3)] },
  { kind: 'torch', name: 'cumsum', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'softmax', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'log_softmax', args: [x(2, 3), D(1)] },
  // linear algebra
  { kind: 'torch', name: 'matmul', args: [x(2, 3), x(3, 4)] },
  { kind: 'torch', name: 'mm', args: [x(2, 3), x(3, 4)] },
  { kind: 'torch', name: 'bmm', args: [x(2, 2, 3), x(2, 3, 4)] },
  { kind: 'torch', name: 'dot', args: [x(3), x(3)] },
  { kind: 'torch', name: 'outer', args: [x(3), x(2)] },
  { kind: 'torch', name: 'addmm', args: [x(2, 4), x(2, 3), x(3, 4)] },
  { kind: 'torch', name: 'baddbmm', args: [x(2, 2, 4), x(2, 2, 3), x(2, 3, 4)] },
  { kind: 'torch', name: 'addbmm', args: [x(2, 4), x(2, 2, 3), x(2, 3, 4)] },
  { kind: 'torch', name: 'einsum', args: ['ij,jk->ik', x(2, 3), x(3, 4)] },
  // indexing
  { kind: 'torch', name: 'cat', args: [[x(2, 3), x(2, 3)], D(0)] },
  { kind: 'torch', name: 'stack', args: [[x(2, 3), x(2, 3)], D(0)] },
  { kind: 'torch', name: 'split', args: [x(4, 3), 2, D(0)] },
  { kind: 'torch', name: 'chunk', args: [x(4, 3), 2, D(0)] },
  { kind: 'torch', name: 'index_select', args: [x(3, 4), D(0), idx([2, 0], 3)] },
  { kind: 'torch', name: 'gather', args: [x(3, 4), D(1), idx([0, 3, 1, 2, 0, 0], 4, [3, 2])] },
  { kind: 'torch', name: 'scatter', args: [x(3, 4), D(1), idx([0, 3, 1, 2, 2, 0], 4, [3, 2]), x(3, 2)] },
  { kind: 'torch', name: 'scatter_add', args: [x(3, 4), D(1), idx([0, 3, 1, 2, 2, 0], 4, [3, 2]), x(3, 2)] },
  { kind: 'torch', name: 'where', args: [mask(2, 3), x(2, 3), x(2, 3)] },
  { kind: 'method', name: 'where', args: [x(2, 3), mask(2, 3), x(2, 3)] },
  { kind: 'torch', name: 'masked_fill', args: [x(2, 3), mask(2, 3), 7] },
  { kind: 'torch', name: 'tril', args: [x(3, 3)] },
  { kind: 'torch', name: 'triu', args: [x(3, 3)] },
  { kind: 'torch', name: 'flip', args: [x(2, 3), [D(1)]] },
  { kind: 'method', name: 'repeat', args: [x(2, 3), 2, 1] },
  { kind: 'F', name: 'one_hot', args: [target([0, 2, 1], 3), 3] },
  { kind: 'method', name: 'index_put', args: [x(3, 4), [idx([2, 0], 3)], x(2, 4)] },
  { kind: 'torch', name: 'diagonal', args: [x(2, 3, 4), 0, D(1), D(2)] },
  { kind: 'torch', name: 'diag', args: [x(3, 4)] },
  { kind: 'torch', name: 'diag_embed', args: [x(2, 3)] },
  { kind: 'torch', name: 'masked_select', args: [x(2, 3), mask(2, 3)] },
  { kind: 'torch', name: 'nonzero', args: [x(2, 3)] },
  { kind: 'torch', name: 'argwhere', args: [x(2, 3)] },
  { kind: 'torch', name: 'unique', args: [x(2, 3), kw({ sorted: true, return_inverse: true, return_counts: true, dim: D(1) })] },
  { kind: 'torch', name: 'take_along_dim', args: [x(3, 4), idx([0, 3, 1, 2, 0, 0], 4, [3, 2]), D(1)] },
  // sparse COO tensors (results compared in their dense form)
  { kind: 'torch', name: 'sparse_coo_tensor', args: [idx([0, 1, 1, 2, 0, 2], 3, [2, 3]), x(3), [2, 3]] },
  { kind: 'torch', name: 'spmm', args: [x(2, 3), x(3, 4)] },
  { kind: 'method', name: 'to_sparse', args: [x(2, 3)] },
  { kind: 'method', name: 'to_dense', args: [x(2, 3)] },
  // sorting and sampling
  { kind: 'torch', name: 'sort', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'argsort', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'topk', args: [x(2, 3), 2, D(1)] },
  { kind: 'torch', name: 'multinomial', args: [prob(2, 3), 2] },
  // views
  { kind: 'torch', name: 'reshape', args: [x(2, 3), [3, 2]] },
  { kind: 'method', name: 'view', args: [x(2, 3), 3, 2] },
  { kind: 'torch', name: 'permute', args: [x(2, 3, 4), [D(2), D(0), D(1)]] },
  { kind: 'torch', name: 'transpose', args: [x(2, 3), D(0), D(1)] },
  { kind: 'torch', name: 't', args: [x(2, 3)] },
  { kind: 'torch', name: 'squeeze', args: [x(2, 1, 3), D(1)] },
  { kind: 'torch', name: 'unsqueeze', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'narrow', args: [x(3, 4), D(1), 1, 2] },
  { kind: 'torch', name: 'select', args: [x(3, 4), D(1), 2] },
  { kind: 'torch', name: 'flatten', args: [x(2, 3, 4), D(1)] },
  { kind: 'torch', name: 'unflatten', args: [x(2, 6), D(1), [2, 3]] },
  { kind: 'torch', name: 'clone', args: [x(2, 3)] },
  { kind: 'torch', name: 'unbind', args: [x(2, 3), D(1)] },
  { kind: 'torch', name: 'as_strided', args: [x(2, 3), [3, 2], [1, 3]] },
  { kind: 'method', name: 'expand', args: [x(1, 3), 2, 3] },
  { kind: 'method', name: 'contiguous', args: [x(2, 3)] },
  { kind: 'torch', name: 'detach', args: [x(2, 3)] },
  { kind: 'torch', name: 'numel', args: [x(2, 3)] },
  { kind: 'method', name: 'view_as', args: [x(2, 3), x(3, 2)] },
  { kind: 'method', name: 'reshape_as', args: [x(2, 3), x(3, 2)] },
  { kind: 'method', name: 'expand_as', args: [x(1, 3), x(2, 3)] },
  { kind: 'method', name: 'broadcast_to', args: [x(1, 3), [2, 3]] },
  { kind: 'method', name: 'type_as', args: [x(2, 3), fixed('float64', [1])] },
  // creation from a tensor
  ...['zeros_like', 'ones_like', 'empty_like'].map((name): Decl => ({ kind: 'torch', name, args: [x(2, 3)] })),
  { kind: 'torch', name: 'full_like', args: [x(2, 3), 7] },
  // in-place fills
  { kind: 'method', name: 'fill_', args: [x(2, 3), 2] },
  { kind: 'method', name: 'zero_', args: [x(2, 3)] },
  { kind: 'method', name: 'copy_', args: [x(2, 3), x(2, 3)] },
  // nn.functional
  { kind: 'F', name: 'conv1d', args: [x(1, 2, 5), x(3, 2, 3)] },
  { kind: 'F', name: 'conv2d', args: [x(1, 2, 4, 4), x(3, 2, 3, 3)] },
  { kind: 'F', name: 'conv_transpose2d', args: [x(1, 2, 3, 3), x(2, 3, 2, 2)] },
  { kind: 'F', name: 'max_pool1d', args: [x(1, 2, 6), 2] },
  { kind: 'F', name: 'max_pool2d', args: [x(1, 2, 4, 4), 2] },
  { kind: 'F', name: 'avg_pool1d', args: [x(1, 2, 6), 2] },
  { kind: 'F', name: 'avg_pool2d', args: [x(1, 2, 4, 4), 2] },
  { kind: 'F', name: 'adaptive_avg_pool1d', args: [x(1, 2, 6), 3] },
  { kind: 'F', name: 'adaptive_avg_pool2d', args: [x(1, 2, 4, 4), 2] },
  { kind: 'F', name: 'adaptive_max_pool2d', args: [x(1, 2, 4, 4), 2] },
  { kind: 'F', name: 'batch_norm', args: [x(4, 3), fixed('float32', [3], [0, 0, 0]), fixed('float32', [3], [1, 1, 1]), kw({ training: true })] },
  { kind: 'F', name: 'layer_norm', args: [x(2, 3), [3]] },
  { kind: 'F', name: 'group_norm', args: [x(2, 4, 3), 2] },
  ...['relu', 'relu6', 'hardtanh', 'leaky_relu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'softplus', 'hardswish', 'hardsigmoid'].map((name): Decl => ({ kind: 'F', name, args: [x(2, 3)] })),
  { kind: 'F', name: 'softmax', args: [x(2, 3), kw({ dim: D(1) })] },
  { kind: 'F', name: 'log_softmax', args: [x(2, 3), kw({ dim: D(1) })] },
  { kind: 'F', name: 'softmin', args: [x(2, 3), kw({ dim: D(1) })] },
  { kind: 'F', name: 'nll_loss', args: [x(3, 4), target([0, 3, 1], 4)] },
  { kind: 'F', name: 'cross_entropy', args: [x(3, 4), target([0, 3, 1], 4)] },
  { kind: 'F', name: 'mse_loss', args: [x(2, 3), x(2, 3)] },
  { kind: 'F', name: 'l1_loss', args: [x(2, 3), x(2, 3)] },
  { kind: 'F', name: 'smooth_l1_loss', args: [x(2, 3), x(2, 3)] },
  { kind: 'F', name: 'huber_loss', args: [x(2, 3), x(2, 3)] },
  { kind: 'F', name: 'binary_cross_entropy', args: [prob(2, 3), prob(2, 3)] },
  { kind: 'F', name: 'binary_cross_entropy_with_logits', args: [x(2, 3), prob(2, 3)] },
  { kind: 'F', name: 'kl_div', args: [x(2, 3), prob(2, 3), kw({ reduction: 'batchmean' })] },
  { kind: 'F', name: 'linear', args: [x(2, 3), x(4, 3), x(4)] },
  { kind: 'F', name: 'bilinear', args: [x(2, 3), x(2, 2), x(4, 3, 2)] },
  { kind: 'F', name: 'dropout', args: [x(2, 3), kw({ training: false })] },
  { kind: 'F', name: 'dropout1d', args: [x(2, 3, 4), kw({ training: false })] },
  { kind: 'F', name: 'dropout2d', args: [x(2, 3, 2, 2), kw({ training: false })] },
  { kind: 'F', name: 'embedding', args: [idx([2, 0, 1], 3), x(3, 4)] },
  { kind: 'F', name: 'pad', args: [x(2, 3), [1, 2]] },
  { kind: 'F', name: 'interpolate', args: [x(1, 2, 3, 3), kw({ scale_factor: 2 })] },
  { kind: 'F', name: 'normalize', args: [x(2, 3)] },
  { kind: 'F', name: 'cosine_similarity', args: [x(2, 3), x(2, 3), kw({ dim: D(1) })] },
  { kind: 'F', name: 'pairwise_distance', args: [x(2, 3), x(2, 3)] },
  { kind: 'F', name: 'triplet_margin_loss', args: [x(2, 3), x(2, 3), x(2, 3)] },
  { kind: 'F', name: 'pixel_shuffle', args: [x(1, 4, 2, 2), 2] },
  { kind: 'F', name: 'pixel_unshuffle', args: [x(1, 1, 4, 4), 2] },
  // PyTorch 2's op (not in PyTorch 1.13): the fixture records its documented math (gen_bad_input_fixtures.py)
  { kind: 'F', name: 'scaled_dot_product_attention', args: [x(1, 3, 4), x(1, 2, 4), x(1, 2, 4)] },
  { kind: 'F', name: 'multi_head_attention_forward', args: [x(3, 1, 4), x(2, 1, 4), x(2, 1, 4), 4, 2, x(12, 4), x(12), null, null, false, 0, x(4, 4), x(4), kw({ training: false })] },
  // nn layers: new nn.<name>(...ctor) called on args
  { kind: 'module', name: 'Linear', ctor: [3, 4], args: [x(2, 3)] },
  { kind: 'module', name: 'Bilinear', ctor: [3, 2, 4], args: [x(2, 3), x(2, 2)] },
  { kind: 'module', name: 'Conv1d', ctor: [2, 3, 3], args: [x(1, 2, 5)] },
  { kind: 'module', name: 'Conv2d', ctor: [2, 3, 3], args: [x(1, 2, 4, 4)] },
  { kind: 'module', name: 'ConvTranspose2d', ctor: [2, 3, 2], args: [x(1, 2, 3, 3)] },
  { kind: 'module', name: 'MaxPool1d', ctor: [2], args: [x(1, 2, 6)] },
  { kind: 'module', name: 'MaxPool2d', ctor: [2], args: [x(1, 2, 4, 4)] },
  { kind: 'module', name: 'AvgPool2d', ctor: [2], args: [x(1, 2, 4, 4)] },
  { kind: 'module', name: 'AdaptiveAvgPool2d', ctor: [2], args: [x(1, 2, 4, 4)] },
  { kind: 'module', name: 'AdaptiveMaxPool2d', ctor: [2], args: [x(1, 2, 4, 4)] },
  { kind: 'module', name: 'BatchNorm1d', ctor: [3], args: [x(4, 3)] },
  { kind: 'module', name: 'BatchNorm2d', ctor: [2], args: [x(2, 2, 2, 2)] },
  { kind: 'module', name: 'LayerNorm', ctor: [3], args: [x(2, 3)] },
  { kind: 'module', name: 'GroupNorm', ctor: [2, 4], args: [x(2, 4, 3)] },
  { kind: 'module', name: 'Embedding', ctor: [3, 4], args: [idx([2, 0, 1], 3)] },
  { kind: 'module', name: 'Flatten', ctor: [], args: [x(2, 3, 4)] },
  { kind: 'module', name: 'Unflatten', ctor: [1, [2, 3]], args: [x(2, 6)] },
  { kind: 'module', name: 'Identity', ctor: [], args: [x(2, 3)] },
  { kind: 'module', name: 'RNN', ctor: [3, 4], args: [x(5, 2, 3)] },
  { kind: 'module', name: 'LSTM', ctor: [3, 4], args: [x(5, 2, 3)] },
  { kind: 'module', name: 'GRU', ctor: [3, 4], args: [x(5, 2, 3)] },
  { kind: 'module', name: 'RNNCell', ctor: [3, 4], args: [x(2, 3)] },
  { kind: 'module', name: 'LSTMCell', ctor: [3, 4], args: [x(2, 3)] },
  { kind: 'module', name: 'GRUCell', ctor: [3, 4], args: [x(2, 3)] },
  ...['ReLU', 'SiLU', 'Hardswish', 'Hardsigmoid', 'Sigmoid', 'Tanh', 'LeakyReLU', 'ELU', 'GELU', 'Softplus', 'Hardtanh', 'ReLU6', 'Dropout']
    .map((name): Decl => ({ kind: 'module', name, ctor: [], args: [x(2, 3)] })),
  { kind: 'module', name: 'Dropout1d', ctor: [], args: [x(2, 3, 4)] },
  { kind: 'module', name: 'Dropout2d', ctor: [], args: [x(2, 3, 2, 2)] },
  { kind: 'module', name: 'Softmax', ctor: [D(1)], args: [x(2, 3)] },
  { kind: 'module', name: 'LogSoftmax', ctor: [D(1)], args: [x(2, 3)] },
  { kind: 'module', name: 'NLLLoss', ctor: [], args: [x(3, 4), target([0, 3, 1], 4)] },
  { kind: 'module', name: 'CrossEntropyLoss', ctor: [], args: [x(3, 4), target([0, 3, 1], 4)] },
  ...['MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss'].map((name): Decl => ({ kind: 'module', name, ctor: [], args: [x(2, 3), x(2, 3)] })),
  { kind: 'module', name: 'BCELoss', ctor: [], args: [prob(2, 3), prob(2, 3)] },
  { kind: 'module', name: 'BCEWithLogitsLoss', ctor: [], args: [x(2, 3), prob(2, 3)] },
  { kind: 'module', name: 'KLDivLoss', ctor: [kw({ reduction: 'batchmean' })], args: [x(2, 3), prob(2, 3)] },
  { kind: 'module', name: 'CosineSimilarity', ctor: [], args: [x(2, 3), x(2, 3)] },
  { kind: 'module', name: 'PairwiseDistance', ctor: [], args: [x(2, 3), x(2, 3)] },
  { kind: 'module', name: 'TripletMarginLoss', ctor: [], args: [x(2, 3), x(2, 3), x(2, 3)] },
  { kind: 'module', name: 'PixelShuffle', ctor: [2], args: [x(1, 4, 2, 2)] },
  { kind: 'module', name: 'PixelUnshuffle', ctor: [2], args: [x(1, 1, 4, 4)] },
  ...['Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d'].map((name): Decl => ({ kind: 'module', name, ctor: [kw({ scale_factor: 2 })], args: [x(1, 2, 3, 3)] })),
  { kind: 'module', name: 'NonDynamicallyQuantizableLinear', ctor: [3, 4], args: [x(2, 3)] },
  { kind: 'module', name: 'MultiheadAttention', ctor: [4, 2], args: [x(3, 1, 4), x(2, 1, 4), x(2, 1, 4)] },
  { kind: 'module', name: 'TransformerEncoderLayer', ctor: [4, 2, kw({ dim_feedforward: 8, dropout: 0 })], args: [x(3, 1, 4)] },
  { kind: 'module', name: 'TransformerDecoderLayer', ctor: [4, 2, kw({ dim_feedforward: 8, dropout: 0 })], args: [x(3, 1, 4), x(2, 1, 4)] },
  { kind: 'module', name: 'TransformerEncoder', ctor: [{ module: 'TransformerEncoderLayer', ctor: [4, 2, kw({ dim_feedforward: 8, dropout: 0 })] }, 1], args: [x(3, 1, 4)] },
  { kind: 'module', name: 'TransformerDecoder', ctor: [{ module: 'TransformerDecoderLayer', ctor: [4, 2, kw({ dim_feedforward: 8, dropout: 0 })] }, 1], args: [x(3, 1, 4), x(2, 1, 4)] },
  { kind: 'module', name: 'Transformer', ctor: [4, 2, 1, 1, 8, 0], args: [x(2, 1, 4), x(3, 1, 4)] },
  // distributions: new distributions.<name>(...args).entropy()
  { kind: 'dist', name: 'Normal', args: [x(2, 3), prob(2, 3)] },
  { kind: 'dist', name: 'Uniform', args: [fixed('float32', [2, 3], [-2, -2, -2, -2, -2, -2]), x(2, 3)] },
  { kind: 'dist', name: 'Bernoulli', args: [prob(2, 3)] },
  { kind: 'dist', name: 'Categorical', args: [prob(2, 3)] },
  { kind: 'dist', name: 'MultivariateNormal', args: [x(2), fixed('float32', [2, 2], [2, 1, 1, 2])] },
  // torchvision transforms of tensor images: transforms.<name>(...ctor)(image)
  { kind: 'transform', name: 'Normalize', ctor: [[0.5, -0.5], [0.25, 2]], args: [x(2, 3, 3)] },
  { kind: 'transform', name: 'Resize', ctor: [[4, 5]], args: [x(1, 2, 3, 3)] },
  { kind: 'transform', name: 'CenterCrop', ctor: [2], args: [x(2, 3, 3)] },
  { kind: 'transform', name: 'ConvertImageDtype', ctor: ['float64'], args: [x(2, 3, 3)] },
  { kind: 'transform', name: 'RandomCrop', ctor: [2], args: [x(2, 3, 3)] },
  { kind: 'transform', name: 'RandomRotation', ctor: [30], args: [x(2, 3, 3)] },
  { kind: 'transform', name: 'RandomHorizontalFlip', ctor: [], args: [x(2, 3, 3)] },
  // optimizers: new optim.<name>([a parameter of 2 elements], kw), then one step on the gradient 1
  ...['SGD', 'Adam', 'AdamW', 'Adadelta', 'Adagrad', 'RMSprop', 'Adamax', 'NAdam', 'RAdam', 'LBFGS'].map((name): Decl => ({ kind: 'optim', name, args: [kw({ lr: 0.1 })] })),
];

/** Tensor methods with the same name as a torch.* function; each gets that function's cases as a method call too. */
export const METHOD_TWINS = new Set([
  'neg', 'negative', 'abs', 'sign', 'reciprocal', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'erf',
  'floor', 'ceil', 'trunc', 'logical_not', 'isnan', 'mul', 'multiply', 'remainder', 'minimum', 'maximum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'logical_and', 'logical_or', 'logical_xor', 'add', 'sub', 'subtract', 'div', 'divide', 'pow', 'square', 'round', 'clamp', 'clip',
  'sum', 'mean', 'prod', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'var', 'std', 'logsumexp', 'norm', 'all', 'any', 'cumsum',
  'softmax', 'log_softmax', 'matmul', 'mm', 'bmm', 'dot', 'outer', 'addmm', 'split', 'chunk', 'index_select', 'gather', 'scatter',
  'scatter_add', 'masked_fill', 'tril', 'triu', 'flip', 'reshape', 'permute', 'transpose', 'swapaxes', 't', 'squeeze', 'unsqueeze',
  'narrow', 'select', 'flatten', 'unflatten', 'clone', 'unbind', 'as_strided', 'detach', 'numel',
  'baddbmm', 'addbmm', 'diagonal', 'diag', 'diag_embed', 'masked_select', 'nonzero', 'argwhere', 'unique', 'take_along_dim',
  'sort', 'argsort', 'topk', 'multinomial',
]);
/** torch.* aliases: the same op under another name (their cases run under the alias too). */
export const ALIASES: Record<string, string> = {
  subtract: 'sub', multiply: 'mul', divide: 'div', negative: 'neg', clip: 'clamp', concat: 'cat', concatenate: 'cat', swapaxes: 'transpose',
};

/** The declarations, aliases included. */
export function declarations(): Decl[] {
  const out = [...DECLS];
  for (const [alias, name] of Object.entries(ALIASES)) {
    const d = DECLS.find((e) => e.kind === 'torch' && e.name === name);
    if (d) out.push({ ...d, name: alias });
  }
  return out;
}

// ---------------------------------------------------------------------------------------- rules
type Path = number[]; // where a tensor or dim sits in args (nested arrays and kw objects by index of Object.keys)
function walk(args: Arg[], f: (a: Arg, path: Path) => void, path: Path = []): void {
  args.forEach((a, i) => {
    const p = [...path, i];
    if (Array.isArray(a)) walk(a, f, p);
    else if (a && typeof a === 'object' && 'kw' in a) walk(Object.values(a.kw), f, p);
    else f(a, p);
  });
}
function replace(args: Arg[], path: Path, v: Arg): Arg[] {
  const [i, ...rest] = path;
  return args.map((a, k) => {
    if (k !== i) return a;
    if (!rest.length) return v;
    if (Array.isArray(a)) return replace(a, rest, v);
    const o = (a as KwSpec).kw, keys = Object.keys(o);
    const vals = replace(Object.values(o), rest, v);
    return { kw: Object.fromEntries(keys.map((key, j) => [key, vals[j]])) };
  });
}
const isT = (a: Arg): a is TSpec => !!a && typeof a === 'object' && 'T' in a;
const isDim = (a: Arg): a is DimSpec => !!a && typeof a === 'object' && 'dim' in a && !('T' in a);

/** The valid call and its bad variants, by rule. */
function variants(d: Decl): [string, Arg[], true?][] {
  const out: [string, Arg[], true?][] = [['valid', d.args]];
  let ndim = 0;
  walk(d.args, (a) => { if (isT(a) && !ndim) ndim = a.shape.length; });
  walk(d.args, (a, p) => {
    const at = p.join('.');
    if (isT(a)) {
      if (a.role === 'x' || a.role === 'prob') {
        out.push([`bool@${at}`, replace(d.args, p, { ...a, T: 'bool' })]);
        out.push([`int@${at}`, replace(d.args, p, { ...a, T: 'int32' })]);
        out.push([`float64@${at}`, replace(d.args, p, { ...a, T: 'float64' })]);
        out.push([`empty@${at}`, replace(d.args, p, { ...a, shape: a.shape.length ? [0, ...a.shape.slice(1)] : [0] })]);
        out.push([`scalar@${at}`, replace(d.args, p, { ...a, shape: [] })]);
        out.push([`rank+1@${at}`, replace(d.args, p, { ...a, shape: [2, ...a.shape] })]);
        if (a.shape.length) out.push([`lastdim+1@${at}`, replace(d.args, p, { ...a, shape: [...a.shape.slice(0, -1), a.shape[a.shape.length - 1] + 1] })]);
        const n = a.shape.reduce((u, w) => u * w, 1);
        if (n >= 2) out.push([`nan_inf@${at}`, replace(d.args, p, { ...a, nanInf: true })]);
        if (a.role === 'prob' && n >= 2) { const w = valuesOf(a).slice(); w[0] = 1.5; w[1] = -0.5; out.push([`outside01@${at}`, replace(d.args, p, { ...a, v: w })]); }
        out.push([`disposed@${at}`, replace(d.args, p, { ...a, disposed: true }), true]);
        if (at === '0' && d.kind !== 'method') out.push([`not_a_tensor@${at}`, replace(d.args, p, 'abc')]);
      }
      if (a.role === 'index' || a.role === 'target') {
        const v = valuesOf(a);
        out.push([`index-1@${at}`, replace(d.args, p, { ...a, v: [-1, ...v.slice(1)] })]);
        out.push([`index=size@${at}`, replace(d.args, p, { ...a, v: [...v.slice(0, -1), a.size!] })]);
        out.push([`index_float@${at}`, replace(d.args, p, { ...a, T: 'float32' })]);
        out.push([`index_empty@${at}`, replace(d.args, p, { ...a, shape: [0, ...a.shape.slice(1)], v: [] })]);
        out.push([`index_disposed@${at}`, replace(d.args, p, { ...a, disposed: true }), true]);
      }
    }
    if (isDim(a)) {
      out.push([`dim=ndim@${at}`, replace(d.args, p, { dim: ndim })]);
      out.push([`dim=-ndim-1@${at}`, replace(d.args, p, { dim: -ndim - 1 })]);
      out.push([`dim_negative@${at}`, replace(d.args, p, { dim: a.dim - ndim })]);
    }
  });
  if ((d.kind === 'module' || d.kind === 'transform') && d.ctor) {
    walk(d.ctor, (a, p) => {
      if (typeof a === 'number' && Number.isInteger(a) && a > 0) {
        out.push([`ctor0@${p.join('.')}`, d.args]);
        out.push([`ctor-1@${p.join('.')}`, d.args]);
      }
    });
  }
  if (d.kind === 'optim') {
    out.push(['lr-1', [kw({ lr: -1 })]]);
    out.push(['lr_nan', [kw({ lr: 'nan' })]]);
    out.push(['no_params', [kw({ lr: 0.1 })]]);
  }
  return out;
}

/** Module constructor arguments of a ctor rule (`ctor0@i`, `ctor-1@i`). */
export function ctorOf(c: Case): Arg[] {
  const m = /^ctor(0|-1)@([\d.]+)$/.exec(c.rule);
  if (!m) return c.ctor ?? [];
  return replace(c.ctor ?? [], m[2].split('.').map(Number), Number(m[1]));
}

/** In-place methods `name_`: each gets the cases of `name` (PyTorch raises where the result's dtype cannot be cast to the tensor's). */
export const INPLACE = new Set([
  'neg_', 'negative_', 'abs_', 'exp_', 'log_', 'sqrt_', 'tanh_', 'sigmoid_', 'relu_', 'floor_', 'mul_', 'multiply_', 'add_', 'sub_', 'subtract_',
  'div_', 'divide_', 'true_divide_', 'floor_divide_', 'pow_', 'round_', 'clamp_', 'clip_', 'clamp_min_', 'clamp_max_', 'lerp_', 'addcmul_', 'addcdiv_',
  'scatter_', 'scatter_add_', 'masked_fill_',
]);

/** Every case: each declaration's valid call and its bad variants, as torch.* calls, as method calls where the method exists, and in place. */
export function cases(): Case[] {
  const out: Case[] = [];
  for (const d of declarations()) {
    const forms: Decl[] = [d];
    if (d.kind === 'torch' && METHOD_TWINS.has(d.name)) forms.push({ ...d, kind: 'method' });
    if ((d.kind === 'method' || METHOD_TWINS.has(d.name)) && INPLACE.has(`${d.name}_`)) forms.push({ ...d, kind: 'method', name: `${d.name}_` });
    for (const f of forms) {
      for (const [rule, args, only] of variants(f)) {
        out.push({ ...f, args, rule, id: `${f.kind}:${f.name}:${rule}`, ...(only ? { webtorchOnly: true as const } : {}) });
      }
    }
  }
  return out;
}

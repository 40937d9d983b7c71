// Modules exported as one ONNX node (or a short fixed pattern) instead of the ops their forward
// runs: those whose ops hide attributes (convolution, average pooling), and the composites ONNX
// has a node for (BatchNormalization in eval, LayerNormalization, LSTM). Other modules are traced through.
import { Tensor } from '../tensor.js';
import { tensor, ones, zeros } from '../creation.js';
import { cat } from '../ops/indexing.js';
import { Conv1d, Conv2d } from '../nn/modules/conv.js';
import { Linear } from '../nn/modules/linear.js';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../nn/modules/normalization.js';
import { ReLU, Hardtanh, Dropout, Dropout1d, Dropout2d } from '../nn/modules/activation.js';
import { AvgPool2d } from '../nn/modules/pooling.js';
import { LSTM } from '../nn/modules/rnn.js';
import type { ModuleMapping } from './graph.js';

const nTuple = (v: number | number[], n: number): number[] => (Array.isArray(v) ? [...v] : new Array<number>(n).fill(v));
const unsupported = (mod: string, what: string): Error => new Error(`torch.onnx.export: ${mod} with ${what} has no ONNX mapping`);

const conv: ModuleMapping = (g, m, args, out) => {
  const nd = m.kernel_size.length as number;
  if (m.padding_mode !== 'zeros') throw unsupported(m._get_name(), `padding_mode='${m.padding_mode}'`);
  let pads: number[];
  if (m.padding === 'valid') pads = new Array<number>(2 * nd).fill(0);
  else if (m.padding === 'same') {
    // PyTorch puts the odd element of the total padding at the end, as ONNX's SAME_UPPER does
    const total = (m.kernel_size as number[]).map((k, i) => m.dilation[i] * (k - 1));
    pads = [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  } else pads = [...m.padding, ...m.padding];
  g.node('Conv', [args[0] as Tensor, m.weight, m.bias ?? null], out as Tensor, {
    kernel_shape: [...m.kernel_size], strides: [...m.stride], pads, dilations: [...m.dilation], group: m.groups,
  });
};

/** Linear: Gemm on a matrix; MatMul with the transposed weight (and Add) on other ranks. */
const linear: ModuleMapping = (g, m, args, out) => {
  const x = args[0] as Tensor, y = out as Tensor;
  if (x.ndim === 2) { g.node('Gemm', [x, m.weight, m.bias ?? null], y, { transB: 1 }); return; }
  const wt = g.constant(m.weight.t().contiguous(), 'weight_t');
  if (!m.bias) { g.node('MatMul', [x, wt], y); return; }
  const [xw] = g.node('MatMul', [x, wt], 1);
  g.node('Add', [xw, m.bias], y);
};

const batchNorm: ModuleMapping = (g, m, args, out) => {
  if (!m.running_mean) throw unsupported(m._get_name(), 'track_running_stats=False');
  const c = m.num_features as number;
  const scale = m.weight ?? ones([c]), bias = m.bias ?? zeros([c]);
  g.node('BatchNormalization', [args[0] as Tensor, scale, bias, m.running_mean, m.running_var], out as Tensor, { epsilon: { float: m.eps } });
};

const layerNorm: ModuleMapping = (g, m, args, out) => {
  const shape = m.normalized_shape as number[];
  const scale = m.weight ?? ones(shape), bias = m.bias ?? zeros(shape);
  g.node('LayerNormalization', [args[0] as Tensor, scale, bias], out as Tensor, { axis: -shape.length, epsilon: { float: m.eps } });
};

const avgPool: ModuleMapping = (g, m, args, out) => {
  const x = args[0] as Tensor, nd = x.ndim - 2;
  if (m.divisor_override) throw unsupported('AvgPool2d', 'divisor_override');
  const pad = nTuple(m.padding, nd);
  g.node('AveragePool', [x], out as Tensor, {
    kernel_shape: nTuple(m.kernel_size, nd), strides: nTuple(m.stride ?? m.kernel_size, nd), pads: [...pad, ...pad],
    ceil_mode: m.ceil_mode ? 1 : 0, count_include_pad: m.count_include_pad ? 1 : 0,
  });
};

/** An in-place activation returns its input object: GraphBuilder.node moves the name to the new value. */
const relu: ModuleMapping = (g, _m, args, out) => { g.node('Relu', [args[0] as Tensor], out as Tensor); };
const hardtanh: ModuleMapping = (g, m, args, out) => {
  const x = args[0] as Tensor;
  g.node('Clip', [x, g.constant(tensor(m.min_val, { dtype: x.dtype }), 'min'), g.constant(tensor(m.max_val, { dtype: x.dtype }), 'max')], out as Tensor);
};

/** Dropout in eval mode (the export traces in eval) is the identity. */
const dropout: ModuleMapping = (g, _m, args, out) => { if (out !== args[0]) g.alias(out as Tensor, args[0] as Tensor); };

/** PyTorch's LSTM gates are (input, forget, cell, output); ONNX's are (input, output, forget, cell). */
function iofc(w: Tensor, h: number): Tensor {
  return cat([w.narrow(0, 0, h), w.narrow(0, 3 * h, h), w.narrow(0, h, h), w.narrow(0, 2 * h, h)], 0);
}

/**
 * LSTM: one ONNX LSTM node per layer (both directions in one node), fed the previous layer's
 * output; [output, [h_n, c_n]] as PyTorch returns them. Initial states default to zeros.
 */
const lstm: ModuleMapping = (g, m, args, out) => {
  if (m.proj_size) throw unsupported('LSTM', 'proj_size');
  const x = args[0];
  if (!(x instanceof Tensor) || x.ndim !== 3) throw unsupported('LSTM', 'an unbatched or packed input');
  const [y, [hn, cn]] = out as [Tensor, [Tensor, Tensor]];
  const hx = args[1] as [Tensor, Tensor] | null | undefined;
  const h = m.hidden_size as number, dirs = m.bidirectional ? 2 : 1, layers = m.num_layers as number;
  let seq = m.batch_first ? g.node('Transpose', [x], 1, { perm: [1, 0, 2] })[0] : g.nameOf(x);
  const hs: string[] = [], cs: string[] = [];
  for (let l = 0; l < layers; l++) {
    const sfx = ['', '_reverse'].slice(0, dirs).map((s) => `_l${l}${s}`);
    const w = cat(sfx.map((s) => iofc(m[`weight_ih${s}`], h).unsqueeze(0)), 0);
    const r = cat(sfx.map((s) => iofc(m[`weight_hh${s}`], h).unsqueeze(0)), 0);
    const b = m.bias ? cat(sfx.map((s) => cat([iofc(m[`bias_ih${s}`], h), iofc(m[`bias_hh${s}`], h)], 0).unsqueeze(0)), 0) : null;
    const init = hx ? [0, 1].map((k) => g.node('Slice', [hx[k], g.int64([l * dirs]),
      g.int64([(l + 1) * dirs]), g.int64([0])], 1)[0]) : ['', ''];
    const [yl, hl, cl] = g.node('LSTM', [seq, g.constant(w, 'W'), g.constant(r, 'R'), b ? g.constant(b, 'B') : '', '', init[0], init[1]], 3, {
      hidden_size: h, direction: dirs === 2 ? 'bidirectional' : 'forward',
    });
    // Y is [seq, dirs, batch, hidden]: PyTorch's layout puts the directions beside the features
    const [t] = g.node('Transpose', [yl], 1, { perm: [0, 2, 1, 3] });
    seq = g.node('Reshape', [t, g.int64([0, 0, dirs * h], 'shape')], 1)[0];
    hs.push(hl); cs.push(cl);
  }
  if (m.batch_first) g.node('Transpose', [seq], y, { perm: [1, 0, 2] });
  else g.node('Identity', [seq], y);
  g.node('Concat', hs, hn, { axis: 0 });
  g.node('Concat', cs, cn, { axis: 0 });
};

const MODULES: [abstract new (...a: any[]) => object, ModuleMapping][] = [
  [Conv1d, conv], [Conv2d, conv], [Linear, linear], [BatchNorm1d, batchNorm], [BatchNorm2d, batchNorm], [LayerNorm, layerNorm],
  [AvgPool2d, avgPool],
  [ReLU, relu], [Hardtanh, hardtanh], [Dropout, dropout], [Dropout1d, dropout], [Dropout2d, dropout], [LSTM, lstm],
];

export const moduleMapping = (mod: object): ModuleMapping | undefined => MODULES.find(([cls]) => mod instanceof cls)?.[1];

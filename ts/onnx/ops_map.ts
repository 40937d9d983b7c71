// The ONNX mapping of each traced op, keyed by the autograd node name the op layer reports
// (applyFunction's name). An op missing here stops the export with an error naming it.
import { Tensor } from '../tensor.js';
import { tensor } from '../creation.js';
import type { GraphBuilder, OpMapping } from './graph.js';

const out1 = (out: unknown): Tensor => out as Tensor;

/** An operand of a pointwise op: a tensor's value, or a scalar as a constant of the result's dtype. */
function operand(g: GraphBuilder, x: unknown, like: Tensor): string {
  if (x instanceof Tensor) return g.nameOf(x);
  return g.constant(tensor(x as number, { dtype: like.dtype }), 'scalar');
}

const unary = (op: string): OpMapping => (g, args, out) => { g.node(op, [args[0] as Tensor], out1(out)); };
const binary = (op: string): OpMapping => (g, args, out) => {
  const y = out1(out);
  g.node(op, [operand(g, args[0], y), operand(g, args[1], y)], y);
};

/**
 * A reshape to the traced output shape. Leading sizes equal to the input's are written as 0
 * (ONNX's copy-from-input), so a batch axis marked dynamic stays dynamic.
 */
const reshape: OpMapping = (g, args, out) => {
  const x = args[0] as Tensor, y = out1(out);
  if (x.shape.length === y.shape.length && x.shape.every((s, i) => s === y.shape[i])) { g.alias(y, x); return; }
  let lead = 0;
  while (lead < y.ndim && lead < x.ndim && y.shape[lead] === x.shape[lead]) lead++;
  const shape = y.shape.map((s, i) => (i < lead ? 0 : s));
  g.node('Reshape', [x, g.int64(shape, 'shape')], y);
};

/** split / chunk: one Slice per piece, the graph the pieces gave as separate narrows. */
const split: OpMapping = (g, args, out, attrs) => {
  const x = args[0] as Tensor, d = attrs.dim as number;
  let off = 0;
  for (const [i, s] of (attrs.sizes as number[]).entries()) {
    g.node('Slice', [x, g.int64([off]), g.int64([off + s]), g.int64([d]), g.int64([1])], (out as Tensor[])[i]);
    off += s;
  }
};

const transpose: OpMapping = (g, args, out, attrs) => {
  const x = args[0] as Tensor;
  g.node('Transpose', [x], out1(out), { perm: (attrs.perm as number[] | undefined) ?? [...x.shape.keys()].reverse() });
};

/**
 * adaptive_avg_pool2d: global average pooling for a 1x1 output; a pool whose windows tile the
 * input when the input size is a multiple of the output size; nearest upsampling when the output
 * size is a multiple of the input size (each window is then one input cell).
 */
const adaptiveAvgPool: OpMapping = (g, args, out) => {
  const x = args[0] as Tensor, y = out1(out);
  const inHW = x.shape.slice(-2), outHW = y.shape.slice(-2);
  if (outHW[0] === 1 && outHW[1] === 1) g.node('GlobalAveragePool', [x], y);
  else if (inHW.every((s, i) => s % outHW[i] === 0)) {
    const k = inHW.map((s, i) => s / outHW[i]);
    g.node('AveragePool', [x], y, { kernel_shape: k, strides: k });
  } else if (inHW.every((s, i) => outHW[i] % s === 0)) {
    const scales = g.constant(tensor([1, 1, ...outHW.map((s, i) => s / inHW[i])], { dtype: 'float32' }), 'scales');
    g.node('Resize', [x, '', scales], y, { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  } else {
    throw new Error(`torch.onnx.export: adaptive_avg_pool2d from ${inHW.join('x')} to ${outHW.join('x')} has no ONNX mapping (one size must be a multiple of the other)`);
  }
};

const OPS: Record<string, OpMapping> = {
  AddBackward0: binary('Add'), SubBackward0: binary('Sub'), MulBackward0: binary('Mul'),
  DivBackward0: binary('Div'),
  ReluBackward0: unary('Relu'), SigmoidBackward0: unary('Sigmoid'), TanhBackward0: unary('Tanh'),
  ExpBackward0: unary('Exp'), NegBackward0: unary('Neg'), SqrtBackward0: unary('Sqrt'),
  AbsBackward0: unary('Abs'), ErfBackward0: unary('Erf'), LogBackward0: unary('Log'),
  CloneBackward0: (g, args, out) => g.alias(out1(out), args[0] as Tensor),
  ViewBackward0: reshape, UnsafeViewBackward0: reshape, SqueezeBackward0: reshape, SqueezeBackward1: reshape, UnsqueezeBackward0: reshape,
  PermuteBackward0: transpose, TransposeBackward0: transpose, TBackward0: transpose,
  SliceBackward0: (g, args, out, attrs) => {
    const a = attrs as Record<string, number[]>;
    g.node('Slice', [args[0] as Tensor, g.int64(a.starts), g.int64(a.ends), g.int64(a.axes), g.int64(a.steps)], out1(out));
  },
  SplitBackward0: split, SplitWithSizesBackward0: split,
  CatBackward0: (g, args, out, attrs) => {
    const parts = (args as Tensor[]).filter((t) => t.numel() > 0);
    g.node('Concat', parts, out1(out), { axis: attrs.dim as number });
  },
  SoftmaxBackward0: (g, args, out, attrs) => { g.node('Softmax', [args[0] as Tensor], out1(out), { axis: attrs.dim as number }); },
  LogSoftmaxBackward0: (g, args, out, attrs) => { g.node('LogSoftmax', [args[0] as Tensor], out1(out), { axis: attrs.dim as number }); },
  AddmmBackward0: (g, args, out) => { g.node('Gemm', [args[1] as Tensor, args[2] as Tensor, args[0] as Tensor], out1(out)); },
  MmBackward0: binary('MatMul'), BmmBackward0: binary('MatMul'),
  AdaptiveAvgPool2DBackward0: adaptiveAvgPool,
  // max_pool returns [values, indices]; only the values have an ONNX counterpart here
  MaxPool2DWithIndicesBackward0: (g, args, out, attrs) => { g.node('MaxPool', [args[0] as Tensor], (out as Tensor[])[0], attrs as Record<string, number[]>); },
};

export const opMapping = (name: string): OpMapping | undefined => (Object.prototype.hasOwnProperty.call(OPS, name) ? OPS[name] : undefined);

// torch.onnx.export: traces one forward of an nn.Module in eval mode (ts/onnx/hook.ts reports each
// op and module call to a GraphBuilder), maps it onto ONNX nodes (ops_map.ts, modules_map.ts) and
// encodes the model with protobufjs from the ONNX schema (onnx_proto.ts, generated from onnx.proto).
// This file and everything it imports from ts/onnx/ form the lazy chunk dist/webtorch.onnx*.js.
// protobufjs is an optional peer dependency, imported on the first export: webtorch itself has no
// runtime dependencies, and bundles that never export (workerd's included) never load it.
import type * as Protobuf from 'protobufjs/light.js';
import { Tensor } from '../tensor.js';
import { Module } from '../nn/module.js';
import { no_grad } from '../autograd/grad_mode.js';
import { writeFile } from '../platform/index.js';
import { __version__ } from '../version.js';
import { needsAsyncRead } from '../backend/move.js';
import { setTracer, tracer } from './hook.js';
import { GraphBuilder, type AttrValue, type GraphNode, type Initializer } from './graph.js';
import { opMapping } from './ops_map.js';
import { moduleMapping } from './modules_map.js';
import { onnxProto } from './onnx_proto.js';

export interface ExportOptions {
  input_names?: string[];
  output_names?: string[];
  /** name -> {axis: symbolic name} or [axes] (named `<name>_dynamic_axes_<k>`), as in PyTorch */
  dynamic_axes?: Record<string, Record<number, string> | number[]>;
  opset_version?: number;
  verbose?: boolean;
}

const OPTIONS = ['input_names', 'output_names', 'dynamic_axes', 'opset_version', 'verbose'];
export const SUPPORTED_OPSETS = [17];
const IR_VERSION = 8;
// TensorProto.DataType
const ELEM: Record<string, number> = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 };

function checkArgs(model: unknown, args: unknown, opts: unknown): { inputs: Tensor[]; o: ExportOptions } {
  if (!(model instanceof Module)) throw new TypeError(`torch.onnx.export: model must be an nn.Module, got ${model === null ? 'null' : typeof model === 'object' ? (model as object).constructor?.name : typeof model}`);
  const inputs = args instanceof Tensor ? [args] : Array.isArray(args) ? args : null;
  if (!inputs || inputs.length === 0 || !inputs.every((a) => a instanceof Tensor)) {
    throw new TypeError('torch.onnx.export: args must be a Tensor or a non-empty array of Tensors (the forward\'s inputs)');
  }
  if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) throw new TypeError('torch.onnx.export: options must be an object');
  const o = (opts ?? {}) as ExportOptions;
  for (const k of Object.keys(o)) if (!OPTIONS.includes(k)) throw new TypeError(`torch.onnx.export: unknown option '${k}' (expected one of ${OPTIONS.join(', ')})`);
  const opset = o.opset_version ?? 17;
  if (!SUPPORTED_OPSETS.includes(opset)) throw new RangeError(`torch.onnx.export: opset_version ${opset} is not supported (supported: ${SUPPORTED_OPSETS.join(', ')})`);
  for (const k of ['input_names', 'output_names'] as const) {
    const v = o[k];
    if (v !== undefined && (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))) throw new TypeError(`torch.onnx.export: ${k} must be an array of strings`);
  }
  if ((o.input_names?.length ?? 0) > inputs.length) throw new RangeError(`torch.onnx.export: ${o.input_names!.length} input_names for ${inputs.length} inputs`);
  for (const t of inputs) if (needsAsyncRead(t, 'cpu')) throw new Error(`torch.onnx.export: inputs and weights must be on the CPU (an input is on ${t.device.type})`);
  return { inputs: inputs as Tensor[], o };
}

/** The tensors of a forward's result (a tensor, or arrays of them nested, as LSTM returns). */
function flattenOutputs(out: unknown): Tensor[] {
  if (out instanceof Tensor) return [out];
  if (Array.isArray(out)) return out.flatMap(flattenOutputs);
  throw new TypeError(`torch.onnx.export: the forward returned ${out === null ? 'null' : typeof out}; only tensors and arrays of tensors can be graph outputs`);
}

/** Traces one forward in eval mode with no autograd recording; the modules' training flags are restored after. */
function trace(model: Module, inputs: Tensor[], names: string[]): { g: GraphBuilder; outputs: Tensor[] } {
  if (tracer) throw new Error('torch.onnx.export: another export is tracing (exports cannot nest)');
  const paramNames = new Map<Tensor, string>();
  for (const [n, p] of model.named_parameters()) paramNames.set(p, n);
  for (const [n, b] of model.named_buffers()) paramNames.set(b, n);
  const g = new GraphBuilder(paramNames, opMapping, moduleMapping);
  inputs.forEach((t, i) => g.input(t, names[i]));
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  setTracer(g);
  try {
    const out = no_grad(() => model.call(...(inputs as [])));
    return { g, outputs: flattenOutputs(out) };
  } finally {
    setTracer(null);
    for (const [m, t] of modes) m.training = t;
  }
}

function dynamicDims(o: ExportOptions, name: string): Map<number, string> {
  const spec = o.dynamic_axes?.[name];
  const dims = new Map<number, string>();
  if (Array.isArray(spec)) spec.forEach((a) => dims.set(a, `${name}_dynamic_axes_${a + 1}`));
  else if (spec) for (const [a, n] of Object.entries(spec)) dims.set(Number(a), n);
  return dims;
}

function valueInfo(name: string, t: Tensor, o: ExportOptions) {
  const dyn = dynamicDims(o, name);
  for (const a of dyn.keys()) {
    if (!Number.isInteger(a) || a < 0 || a >= t.ndim) throw new RangeError(`torch.onnx.export: dynamic_axes['${name}'] names axis ${a}, but '${name}' has ${t.ndim} dimensions`);
  }
  return {
    name,
    type: { tensor_type: { elem_type: ELEM[t.dtype], shape: { dim: t.shape.map((s, i) => (dyn.has(i) ? { dim_param: dyn.get(i) } : { dim_value: s })) } } },
  };
}

function attribute(name: string, v: AttrValue) {
  // AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7
  if (typeof v === 'number') return { name, type: 2, i: v };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ('float' in v) return { name, type: 1, f: v.float };
  return { name, type: 6, floats: v.floats };
}

function tensorProto(init: Initializer) {
  if (init.int64) {
    const data = new BigInt64Array(init.int64.map((v) => BigInt(v)));
    return { name: init.name, dims: [init.int64.length], data_type: ELEM.int64, raw_data: new Uint8Array(data.buffer) };
  }
  const t = init.tensor!;
  if (needsAsyncRead(t, 'cpu')) throw new Error(`torch.onnx.export: '${init.name}' is on ${t.device.type}: export a CPU model (\`await model.cpu()\` first)`);
  const d = t.contiguous().dataSync();
  return { name: init.name, dims: [...t.shape], data_type: ELEM[t.dtype], raw_data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength) };
}

async function loadProtobuf(): Promise<typeof Protobuf> {
  try {
    const mod = await import('protobufjs/light.js') as typeof Protobuf & { default?: typeof Protobuf };
    return mod.default ?? mod;
  } catch (e) {
    throw new Error(`torch.onnx.export needs the protobufjs package (npm install protobufjs), which could not be imported: ${(e as Error).message}`);
  }
}

/** The model's bytes (ModelProto). */
function encode(protobuf: typeof Protobuf, g: GraphBuilder, inputs: string[], inputTensors: Tensor[], outputs: string[], outputTensors: Tensor[], o: ExportOptions, graphName: string): Uint8Array {
  const ModelProto = protobuf.Root.fromJSON(onnxProto as protobuf.INamespace).lookupType('onnx.ModelProto');
  const node = (n: GraphNode) => ({ name: n.name, op_type: n.op_type, input: n.inputs, output: n.outputs, attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)) });
  const model = {
    ir_version: IR_VERSION,
    producer_name: 'webtorch',
    producer_version: __version__,
    opset_import: [{ domain: '', version: o.opset_version ?? 17 }],
    graph: {
      name: graphName,
      node: g.nodes.map(node),
      initializer: g.initializers.map(tensorProto),
      input: inputs.map((n, i) => valueInfo(n, inputTensors[i], o)),
      output: outputs.map((n, i) => valueInfo(n, outputTensors[i], o)),
    },
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`torch.onnx.export: internal error encoding the model: ${err}`);
  const bytes = ModelProto.encode(ModelProto.fromObject(model)).finish();
  // a plain Uint8Array over the same memory (protobufjs gives a Buffer in Node)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * torch.onnx.export(model, args, f, { input_names, output_names, dynamic_axes, opset_version }):
 * the model's bytes, also written to the path `f` when one is given.
 */
export async function exportModel(model: Module, args: Tensor | Tensor[], f?: string | null, opts?: ExportOptions): Promise<Uint8Array> {
  if (f !== undefined && f !== null && typeof f !== 'string') throw new TypeError(`torch.onnx.export: f must be a file path or null, got ${typeof f}`);
  const { inputs, o } = checkArgs(model, args, opts);
  const protobuf = await loadProtobuf();
  const inNames = inputs.map((_, i) => o.input_names?.[i] ?? `input.${i}`);
  const { g, outputs } = trace(model, inputs, inNames);
  if ((o.output_names?.length ?? 0) > outputs.length) throw new RangeError(`torch.onnx.export: ${o.output_names!.length} output_names for ${outputs.length} outputs`);
  const outNames = outputs.map((_, i) => o.output_names?.[i] ?? `output.${i}`);
  for (const name of Object.keys(o.dynamic_axes ?? {})) {
    if (!inNames.includes(name) && !outNames.includes(name)) throw new RangeError(`torch.onnx.export: dynamic_axes names '${name}', which is neither an input nor an output name`);
  }
  // each output gets its name through an Identity, which also covers outputs that are inputs or weights
  outputs.forEach((t, i) => g.nodes.push({ op_type: 'Identity', inputs: [g.nameOf(t)], outputs: [outNames[i]], attrs: {}, name: `/output_${i}` }));
  const bytes = encode(protobuf, g, inNames, inputs, outNames, outputs, o, model._get_name());
  if (typeof f === 'string') await writeFile(f, bytes);
  return bytes;
}

// torch.onnx. The exporter (tracing maps, the ONNX schema, protobufjs) is a lazy chunk,
// dist/webtorch.onnx*.js, that the first export imports; this file is all the main bundle carries.
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import type { ExportOptions } from './export.js';
import { tracer } from './hook.js';

export type { ExportOptions };

/**
 * torch.onnx.export(model, args, f=null, { input_names, output_names, dynamic_axes, opset_version }):
 * traces one forward of `model` (in eval mode) and resolves to the ONNX model's bytes, which are
 * also written to the path `f` when given (Node, Deno). Asynchronous, unlike PyTorch's.
 */
function exportModel(model: Module, args: Tensor | Tensor[], f?: string | null, opts?: ExportOptions): Promise<Uint8Array> {
  return import('./export.js').then((m) => m.exportModel(model, args, f, opts));
}
export { exportModel as export };

/** true while torch.onnx.export traces a forward */
export const is_in_onnx_export = (): boolean => tracer !== null;

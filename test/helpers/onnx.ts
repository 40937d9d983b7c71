// Running exported ONNX models in onnxruntime-web (in Node, it loads its wasm from node_modules)
// and in Debian's python3-onnx checker.
import * as ort from 'onnxruntime-web';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '../../ts/tensor.js';

ort.env.wasm.numThreads = 1;

/** Runs `bytes` in onnxruntime-web on float32 inputs; the outputs in graph order, by name. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) inputs[k] = new ort.Tensor('float32', Float32Array.from(t.contiguous().dataSync() as Float32Array), [...t.shape]);
  const res = await session.run(inputs);
  const out: Record<string, { dims: readonly number[]; data: Float32Array }> = {};
  for (const name of session.outputNames) out[name] = { dims: res[name].dims, data: res[name].data as Float32Array };
  await session.release();
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'webtorch-onnx-'));
let files = 0;
/** Checks `bytes` with onnx.checker.check_model(full_check=True) (Debian's python3-onnx); throws its message. */
export function onnxCheck(bytes: Uint8Array): void {
  const f = join(dir, `model${files++}.onnx`);
  writeFileSync(f, bytes);
  execFileSync('/usr/bin/python3', ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', f], { stdio: ['ignore', 'ignore', 'pipe'] });
}

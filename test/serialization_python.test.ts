// Exchanges safetensors files with PyTorch in both directions through
// test/python/safetensors_roundtrip.py (stdlib + torch only). Skipped where /usr/bin/python3 with
// torch is absent (CI); the committed fixture test in serialization.test.ts always runs.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
import { save, load } from '../ts/serialization.js';

const PY = process.env.WEBTORCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = new URL('./python/safetensors_roundtrip.py', import.meta.url).pathname;
function hasTorch(): boolean {
  try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
}
const py = (...args: string[]) => JSON.parse(execFileSync(PY, [SCRIPT, ...args], { encoding: 'utf8' }));
const dir = mkdtempSync(join(tmpdir(), 'webtorch-py-'));

describe.skipIf(!hasTorch())('safetensors round trip with PyTorch', () => {
  it('PyTorch reads what webtorch writes, every dtype', async () => {
    torch.manual_seed(3);
    const sd = {
      w: torch.randn(4, 5), d: torch.rand(3, { dtype: 'float64' }), i: torch.tensor([-7, 0, 2147483647]),
      u: torch.tensor(new Uint8Array([0, 128, 255])), b: torch.tensor([false, true]), s: torch.tensor(-1.5), e: torch.zeros(2, 0),
    };
    const path = join(dir, 'js.safetensors');
    await save(sd, path);
    const out = py('dump', path);
    const want = { w: 'F32', d: 'F64', i: 'I32', u: 'U8', b: 'BOOL', s: 'F32', e: 'F32' } as Record<string, string>;
    for (const [k, t] of Object.entries(sd)) {
      expect(out.tensors[k].dtype).toBe(want[k]);
      expect(out.tensors[k].shape).toEqual(t.shape);
      const vals = t.dtype === 'bool' ? Array.from(t.dataSync(), (v) => v !== 0) : Array.from(t.dataSync());
      expect(out.tensors[k].values).toEqual(vals);
    }
    expect(out.metadata.format).toBe('pt');
  });

  it('webtorch reads what PyTorch writes', () => {
    const path = join(dir, 'py.safetensors');
    execFileSync(PY, [SCRIPT, 'write', path]);
    const ref = py('dump', path).tensors;
    const sd = load(new Uint8Array(readFileSync(path)));
    for (const [k, r] of Object.entries<{ shape: number[]; values: unknown[] }>(ref)) {
      expect(sd[k].shape).toEqual(r.shape);
      const vals = sd[k].dtype === 'bool' ? Array.from(sd[k].dataSync() as Uint8Array, (v) => v !== 0) : Array.from(sd[k].dataSync() as Float32Array);
      expect(vals).toEqual(r.values);
    }
  });

  it('a PyTorch model state dict loads in webtorch and back into PyTorch (strict)', async () => {
    const path = join(dir, 'net.safetensors');
    const { probe } = py('save_net', path);
    const sd = await load(path);
    expect(Object.keys(sd).sort()).toEqual(['conv1.bias', 'conv1.weight', 'conv2.bias', 'conv2.weight', 'fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight']);
    expect(sd['conv1.weight'].shape).toEqual([20, 1, 5, 5]);
    const back = join(dir, 'net_back.safetensors');
    await save(sd, back);
    expect(py('load_net', back).probe).toBe(probe);
  });

  it('optimizer-style nested state reaches PyTorch', () => {
    const path = join(dir, 'opt.safetensors');
    writeFileSync(path, save({ state: { 0: { step: 2, momentum_buffer: torch.tensor([[1.5, 2]]) } }, param_groups: [{ lr: 0.01, params: [0] }] }));
    expect(py('load_optim', path)).toEqual({
      state: { 0: { step: 2, momentum_buffer: { tensor: [1.5, 2], shape: [1, 2], dtype: 'F32' } } },
      param_groups: [{ lr: 0.01, params: [0] }],
    });
  });
});

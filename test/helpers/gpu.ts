// WebGPU test helpers: opens the GPU once (SwiftShader through Dawn in Node, see DESIGN.md §3)
// and compares webgpu results with the CPU's, which the fixture suites check against PyTorch.
import { describe, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';

// Dawn finds no Vulkan driver of its own on our machines: point it at Chromium's SwiftShader
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (typeof process !== 'undefined' && !process.env.VK_ICD_FILENAMES) {
  const { existsSync } = await import('node:fs');
  if (existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}

// Vulkan (through Dawn) logs "error: XDG_RUNTIME_DIR is invalid or not set" on every device open
// where the variable is missing (containers, CI): give it a private temporary directory
if (typeof process !== 'undefined' && !process.env.XDG_RUNTIME_DIR) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'webtorch-xdg-'));
}

export const hasGpu = await torch.webgpu.init();
// in CI the GPU suites must run: a missing adapter is a failure, not a skip
if (!hasGpu && process.env.CI) throw new Error('CI: no WebGPU adapter (install chromium for SwiftShader)');

/** describe() that runs only where a WebGPU adapter exists. */
export const describeGpu = hasGpu ? describe : describe.skip;

/** A webgpu copy of a CPU tensor (a fresh leaf when `grad`). */
export function gpu(t: Tensor, grad = false): Tensor {
  const g = t.detach().to('webgpu');
  return grad ? g.requires_grad_() : g;
}

/** Checks a webgpu tensor against the CPU tensor computed the same way. */
export async function expectGpuClose(actual: Tensor, expected: Tensor, what = 'value', tol = { atol: 1e-5, rtol: 1e-4 }): Promise<void> {
  expect(actual.device.type, `${what}: device`).toBe('webgpu');
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  const a = await actual.data(), e = expected.dataSync();
  for (let i = 0; i < e.length; i++) {
    const x = Number(a[i]), y = Number(e[i]);
    if (Number.isNaN(y)) { expect(Number.isNaN(x), `${what}[${i}]: expected NaN, got ${x}`).toBe(true); continue; }
    if (!Number.isFinite(y)) { expect(x, `${what}[${i}]`).toBe(y); continue; }
    if (Math.abs(x - y) > tol.atol + tol.rtol * Math.abs(y)) expect(x, `${what}[${i}] (tolerance ${tol.atol} + ${tol.rtol}·|expected|)`).toBe(y);
  }
}

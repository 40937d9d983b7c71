// The wasm backend's Winograd F(2x2, 3x3) path for float32 3x3 stride-1 convolutions
// (ts/backend/wasm/winograd.ts): output, input gradient and weight gradient against the same
// convolution in float64 through im2col, over even and odd sizes, every padding it takes, bias,
// batch chunking and a non-contiguous input. (The PyTorch fixtures in nn_fixtures.test.ts cover
// its float32 results against PyTorch where their shapes qualify.)
import { describe, it, expect, afterEach } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { _setWinogradChunkBytes, _setWinogradMinChannels } from '../ts/backend/wasm/winograd.js';

const F = torch.nn.functional;

/** y, dx, dw, db of conv2d(x, w, b, padding) with the output gradient gy, as float64 arrays. */
function grads(x: Tensor, w: Tensor, b: Tensor | null, padding: number | number[], gy: Tensor): Float64Array[] {
  const xs = x.detach().requires_grad_(), ws = w.detach().requires_grad_(), bs = b ? b.detach().requires_grad_() : null;
  const y = F.conv2d(xs, ws, bs, { padding });
  y.backward(gy.to(y.dtype));
  return [y, xs.grad!, ws.grad!, ...(bs ? [bs.grad!] : [])].map((t) => Float64Array.from(t.double().dataSync() as Float64Array));
}

/** The largest |a - e| relative to the largest |e| (float32 against float64). */
function relErr(a: Float64Array, e: Float64Array): number {
  let d = 0, m = 1e-30;
  for (let i = 0; i < e.length; i++) { d = Math.max(d, Math.abs(a[i] - e[i])); m = Math.max(m, Math.abs(e[i])); }
  return d / m;
}

function check(N: number, C: number, O: number, H: number, W: number, padding: number | number[], bias: boolean): void {
  const x = torch.randn(N, C, H, W), w = torch.randn(O, C, 3, 3).mul(0.2), b = bias ? torch.randn(O) : null;
  const y0 = F.conv2d(x, w, b, { padding });
  const gy = torch.randn(y0.shape);
  const got = grads(x, w, b, padding, gy);
  const want = grads(x.double(), w.double(), b ? b.double() : null, padding, gy.double());
  got.forEach((g, i) => {
    expect(g.length).toBe(want[i].length);
    expect(relErr(g, want[i]), `N=${N} C=${C} O=${O} ${H}x${W} padding=${padding} result ${i}`).toBeLessThan(2e-6);
  });
}

describe('Winograd F(2x2, 3x3) convolutions (float32)', () => {
  afterEach(() => { _setWinogradChunkBytes(1 << 21); _setWinogradMinChannels(16); });

  it('match float64 im2col over sizes and paddings', () => {
    _setWinogradMinChannels(1);
    for (const [H, W] of [[8, 8], [7, 9], [3, 3], [5, 2], [12, 17], [1, 6]]) {
      for (const p of [0, 1, 2, [2, 0], [0, 1]]) {
        const ph = Array.isArray(p) ? p[0] : p, pw = Array.isArray(p) ? p[1] : p;
        if (H + 2 * ph < 3 || W + 2 * pw < 3) continue;
        check(3, 5, 6, H, W, p, true);
      }
    }
  });

  it('match across batch chunks and thread-sized channel counts', () => {
    _setWinogradMinChannels(1);
    _setWinogradChunkBytes(1); // one sample per chunk
    check(5, 17, 9, 11, 10, 1, false);
    _setWinogradChunkBytes(40000);
    check(7, 4, 20, 13, 6, 1, true);
    _setWinogradChunkBytes(1 << 21);
    check(4, 32, 64, 26, 26, 0, true); // the current MNIST net's second convolution
  });

  it('take non-contiguous inputs and agree with the im2col path', () => {
    const x = torch.randn(4, 10, 20, 16).transpose(2, 3), w = torch.randn(10, 18, 3, 3).transpose(0, 1).mul(0.1);
    _setWinogradMinChannels(1);
    const a = F.conv2d(x, w, null, { padding: 1 });
    _setWinogradMinChannels(Infinity);
    const e = F.conv2d(x, w, null, { padding: 1 });
    expect(relErr(Float64Array.from(a.dataSync() as Float32Array), Float64Array.from(e.dataSync() as Float32Array))).toBeLessThan(2e-6);
  });
});

// The MNIST example itself (examples/mnist/main.mjs, the built package) trains on webgpu for a
// shortened run and must lower the loss: `--device webgpu --arch seed --max-steps 30`. Software
// adapters are slow, so batches are small. Skips without the MNIST files (fails in CI).
import { it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeGpu } from '../helpers/gpu.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const MNIST_DIR = resolve(ROOT, process.env.MNIST_DIR ?? '../shared/data/mnist');
const HAVE = existsSync(join(MNIST_DIR, 'train-images-idx3-ubyte.gz')) && existsSync(join(ROOT, 'dist/webtorch.js'));
if (!HAVE && process.env.CI) throw new Error(`CI: the MNIST files (${MNIST_DIR}) or dist/ are missing`);

describeGpu('MNIST example on webgpu', () => {
  it.skipIf(!HAVE)('main.mjs --device webgpu trains the seed net: the loss falls', () => {
    const r = spawnSync(process.execPath, ['examples/mnist/main.mjs', '--device', 'webgpu', '--arch', 'seed', '--epochs', '1', '--batch-size', '32',
      '--lr', '0.05', '--max-steps', '40', '--log-interval', '10', '--test-batch-size', '250', '--test-batches', '2', '--no-progress', '--data', MNIST_DIR],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env }, timeout: 600_000 });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    const losses = [...r.stdout.matchAll(/Loss: (\d+\.\d+)/g)].map((m) => +m[1]);
    expect(losses.length, out).toBe(4);
    // from ln(10) = 2.30 at the start; 40 steps of SGD bring the seed net well below it
    expect(losses[0], out).toBeGreaterThan(2.0);
    expect(losses[3], out).toBeLessThan(1.6);
    const acc = /Accuracy: (\d+)\/500/.exec(r.stdout);
    expect(acc, out).not.toBeNull();
    expect(+acc![1] / 500, out).toBeGreaterThan(0.5);
  }, 600_000);
});

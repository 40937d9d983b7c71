// A soak: the seed-net MNIST training loop written as in PyTorch, epoch after epoch, printing RSS,
// the runtime's ArrayBuffer bytes and every torch.memory() field at the end of each epoch. On wasm
// the loop makes no dispose() call (the garbage collector reclaims CPU tensors, as in PyTorch); on
// webgpu each step runs in torch.scope (the GC cannot see GPU memory). Memory is healthy when every
// figure is flat after the first epoch. Too long for CI: its figures are in bench/RESULTS.md.
//
//   node bench/soak.mjs [--device wasm|webgpu] [--epochs N] [--subset N] [--loop async|sync] [--data DIR]
//
// --subset N trains on the first N images of each epoch's shuffled order (SwiftShader, the software
// GPU of our CI machines, is too slow for full epochs); --loop sync iterates the DataLoader
// synchronously and reads the loss with itemSync() (no await inside an epoch).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as torch from '../dist/webtorch.js';
import { makeNet, makeOptimizer, makeDatasets } from '../examples/mnist/lib.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const device = opt('--device', 'wasm');
const epochs = Number(opt('--epochs', device === 'webgpu' ? 2 : 10));
const subset = Number(opt('--subset', Infinity));
const loop = opt('--loop', 'async');
const data = path.resolve(opt('--data', process.env.MNIST_DIR ?? path.join(ROOT, '../shared/data/mnist')));
if (!['wasm', 'webgpu'].includes(device)) throw new Error(`--device must be wasm or webgpu, got ${device}`);
if (!['async', 'sync'].includes(loop)) throw new Error(`--loop must be async or sync, got ${loop}`);

if (device === 'webgpu') {
  const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;
  // Vulkan logs an error on each device open where this is unset (as in test/helpers/gpu.ts)
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(path.join(tmpdir(), 'webtorch-xdg-'));
  if (!(await torch.webgpu.init())) throw new Error('no WebGPU adapter');
}
const dev = device === 'webgpu' ? 'webgpu' : 'cpu';

torch.manual_seed(1);
const { train: trainSet } = makeDatasets(torch, data, false);
await trainSet.ready();
const loader = new torch.utils.data.DataLoader(trainSet, { batch_size: 64, shuffle: true });
const model = makeNet(torch, 'seed').to(dev);
const { optimizer } = makeOptimizer(torch, 'seed', model, { lr: 0.01, momentum: 0.5 });
const F = torch.nn.functional;
const maxSteps = Math.ceil(Math.min(subset, trainSet.length) / 64);

/** one step as in PyTorch's example: no dispose */
function step(x, y) {
  x = x.to(dev); y = y.to(dev);
  optimizer.zero_grad();
  const output = model.call(x);
  const loss = F.nll_loss(output, y);
  loss.backward();
  optimizer.step();
  return loss;
}

const MiB = (b) => (b == null ? '-' : (b / 2 ** 20).toFixed(1));
const rows = [];
let peakRss = 0;
console.log(`# soak: seed net, ${device}, ${epochs} epochs of ${maxSteps} steps (batch 64), ${loop} loop, ${device === 'webgpu' ? 'each step in torch.scope' : 'no dispose'}; node ${process.version}`);
console.log('| epoch | steps | s | loss | RSS MiB | peak RSS MiB | arrayBufferBytes MiB | tensors | bytes MiB | poolBytes MiB | wasmBytes MiB | gpuTensors | gpuBytes MiB | gpuPoolBytes MiB | gpuBuffers | gpuReservedBytes MiB |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (let epoch = 1; epoch <= epochs; epoch++) {
  const t0 = performance.now();
  let steps = 0, last = 0;
  if (loop === 'sync') {
    for (const [x, y] of loader) {
      if (steps >= maxSteps) break;
      const loss = step(x, y);
      if (++steps === maxSteps) last = loss.itemSync();
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
  } else {
    for await (const [x, y] of loader) {
      if (steps >= maxSteps) break;
      if (device === 'webgpu') {
        const v = await torch.scope(async () => { const loss = step(x, y); return steps + 1 === maxSteps ? await loss.item() : 0; });
        if (steps + 1 === maxSteps) last = v;
      } else {
        const loss = step(x, y);
        if (steps + 1 === maxSteps) last = await loss.item();
      }
      steps++;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const m = torch.memory(), u = process.memoryUsage();
  const row = { epoch, steps, secs: secs.toFixed(0), loss: Number(last).toFixed(4), rss: MiB(u.rss), peak: MiB(peakRss), ...m };
  rows.push(row);
  console.log(`| ${epoch} | ${steps} | ${row.secs} | ${row.loss} | ${row.rss} | ${row.peak} | ${MiB(m.arrayBufferBytes)} | ${m.tensors} | ${MiB(m.bytes)} | ${MiB(m.poolBytes)} | ${MiB(m.wasmBytes)} | ${m.gpuTensors} | ${MiB(m.gpuBytes)} | ${MiB(m.gpuPoolBytes)} | ${m.gpuBuffers} | ${MiB(m.gpuReservedBytes)} |`);
}
console.log(`# done: ${JSON.stringify(torch.memory())}`);

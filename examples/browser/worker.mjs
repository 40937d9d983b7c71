// The training side of the browser example, in a module Web Worker so the page stays responsive:
// the seed net (examples/mnist/lib.mjs: conv 1-20 5x5, conv 20-50 5x5, fc 800-500-10; SGD lr 0.01,
// momentum 0.5) trained on MNIST fetched from `dataRoot` (an http(s) URL holding the four
// *-ubyte.gz files). Messages in: train, stop, predict, save, load. Messages out: ready, progress,
// eval, done, probs, saved, loaded, error.
import * as torch from '../../dist/webtorch.js';
import { makeNet, makeOptimizer, makeDatasets } from '../mnist/lib.mjs';

const F = torch.nn.functional;
torch.manual_seed(1);
let model = makeNet(torch, 'seed');
let stopRequested = false;
let testBatch = null;

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);

const GRID = 24; // test digits shown with their predictions

/** Accuracy on the fixed test slice; also posts the first GRID digits with their predictions. */
async function evaluate() {
  model.eval();
  const [acc, preds] = await torch.no_grad(async () => {
    const [x, y] = testBatch;
    const pred = model.call(x).argmax(1);
    return [await pred.eq(y).to(torch.float32).mean().item(), Array.from(await pred.narrow(0, 0, GRID).data())];
  });
  model.train();
  post({ type: 'grid', preds, labels: gridLabels, pixels: gridPixels });
  return acc;
}
let gridPixels = null, gridLabels = null;

/** The compute backend: this build runs on wasm SIMD; WebGPU is reported when the browser has it. */
async function backend() {
  const gpu = typeof navigator !== 'undefined' && navigator.gpu ? await navigator.gpu.requestAdapter().catch(() => null) : null;
  return gpu ? 'wasm SIMD (a WebGPU adapter is present, but this webtorch build has no WebGPU backend yet)' : 'wasm SIMD (no WebGPU adapter)';
}

async function train({ steps = 300, batchSize = 64, lr = 0.01, momentum = 0.5, seed = 1, dataRoot, evalEvery = 25, testImages = 1000 }) {
  stopRequested = false;
  torch.manual_seed(seed);
  model = makeNet(torch, 'seed');
  const { optimizer } = makeOptimizer(torch, 'seed', model, { lr, momentum });
  const { train: trainSet, test: testSet } = makeDatasets(torch, dataRoot, false);
  await Promise.all([trainSet.ready(), testSet.ready()]);
  // a fixed slice of the test set for the live accuracy curve
  const xs = [], ys = [];
  for (let i = 0; i < testImages; i++) { const [x, y] = testSet.getitem(i); xs.push(x); ys.push(y); }
  testBatch = [torch.stack(xs), torch.tensor(ys, { dtype: torch.int64 })];
  // the grid digits, back to [0, 1] pixels for display
  gridPixels = await testBatch[0].narrow(0, 0, GRID).mul(0.3081).add(0.1307).clamp(0, 1).data();
  gridLabels = ys.slice(0, GRID);
  post({ type: 'ready', train: trainSet.length, test: testSet.length });
  const loader = new torch.utils.data.DataLoader(trainSet, { batch_size: batchSize, shuffle: true });
  const t0 = performance.now();
  let step = 0;
  model.train();
  for await (const [data, target] of loader) {
    if (step >= steps || stopRequested) break;
    optimizer.zero_grad();
    const loss = F.nll_loss(model.call(data), target);
    loss.backward();
    optimizer.step();
    step++;
    post({ type: 'progress', step, steps, loss: await loss.item(), msPerStep: (performance.now() - t0) / step });
    if (step % evalEvery === 0 || step === steps) post({ type: 'eval', step, accuracy: await evaluate(), images: testImages });
  }
  post({ type: 'done', step, accuracy: await evaluate(), seconds: (performance.now() - t0) / 1000 });
}

async function predict(pixels) {
  model.eval();
  const probs = await torch.no_grad(async () => {
    const x = torch.tensor(pixels, { dtype: torch.float32 }).reshape([1, 1, 28, 28]).sub(0.1307).div(0.3081);
    return Array.from(await model.call(x).exp().reshape([10]).data());
  });
  model.train();
  return probs;
}

self.onmessage = async ({ data: msg }) => {
  try {
    switch (msg.type) {
      case 'train': await train(msg); break;
      case 'stop': stopRequested = true; break;
      case 'predict': post({ type: 'probs', probs: await predict(msg.pixels), id: msg.id }); break;
      case 'save': {
        const bytes = torch.save(model.state_dict());
        post({ type: 'saved', bytes }, [bytes.buffer]);
        break;
      }
      case 'load': {
        const state = torch.load(new Uint8Array(msg.bytes));
        model.load_state_dict(state);
        post({ type: 'loaded', keys: Object.keys(state).length, accuracy: testBatch ? await evaluate() : null });
        break;
      }
      default: throw new Error(`unknown message ${msg.type}`);
    }
  } catch (e) {
    post({ type: 'error', message: String(e?.stack ?? e) });
  }
};
backend().then((b) => post({ type: 'loaded-module', version: torch.__version__, backend: b }));

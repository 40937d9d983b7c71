#!/usr/bin/env node
// A port of pytorch/examples mnist/main.py to webtorch.
//
//   npm install                                      # builds dist/
//   node examples/mnist/main.mjs --epochs 1          # data from --data, $MNIST_DIR, or downloaded to ../data
//   node examples/mnist/main.mjs --arch seed --epochs 1 --data ../shared/data/mnist
//
// --arch current: conv 1-32 3x3, conv 32-64 3x3, max-pool, dropout 0.25, fc 9216-128, dropout
// 0.5, fc 128-10, log_softmax; Adadelta (lr 1.0) and StepLR (gamma 0.7), as pytorch/examples today.
// --arch seed: conv 1-20 5x5, conv 20-50 5x5, fc 800-500-10; SGD (lr 0.01, momentum 0.5), as in 2018.
// Training makes no dispose() calls: CPU memory is reclaimed as in PyTorch (see docs/MEMORY.md).
// On webgpu each step runs in torch.scope, which releases the step's GPU buffers as soon as it
// ends (the garbage collector cannot see GPU memory). The test pass (lib.mjs test()) runs under
// no_grad in slices of 100 images, each in a torch.scope, and releases each batch: the peak RSS
// of `--epochs 1 --max-steps 200` went from 1254 MiB (whole batches of 1000) to 371 MiB.
import * as torch from '../../dist/webtorch.js';
import { makeNet, makeOptimizer, makeDatasets, train, test, Progress } from './lib.mjs';

const HELP = `usage: main.mjs [options]

PyTorch MNIST Example (webtorch)

options:
  --batch-size N        input batch size for training (default: 64)
  --test-batch-size N   input batch size for testing (default: 1000)
  --epochs N            number of epochs to train (default: 14 current, 10 seed)
  --lr LR               learning rate (default: 1.0 current, 0.01 seed)
  --gamma M             learning rate step gamma (default: 0.7; current arch)
  --momentum M          SGD momentum (default: 0.5; seed arch)
  --seed S              random seed (default: 1)
  --log-interval N      how many batches to wait before logging training status (default: 10)
  --dry-run             quickly check a single pass
  --save-model          save the current model to mnist_cnn.safetensors
  --device cpu|webgpu   where to run (default: cpu)
  --max-steps N         stop each epoch after N batches (a shortened run)
  --test-batches N      test on the first N test batches only
  --data DIR            MNIST folder (default: $MNIST_DIR, else ../data, downloading when missing)
  --arch seed|current   which net (default: current)
  --no-progress         no progress bar
  -h, --help            show this help`;

function parseArgs(argv) {
  const a = { batchSize: 64, testBatchSize: 1000, epochs: null, lr: null, gamma: 0.7, momentum: 0.5, seed: 1, logInterval: 10,
    dryRun: false, saveModel: false, device: 'cpu', data: null, arch: 'current', progress: true, maxSteps: Infinity, testBatches: Infinity };
  const num = (name, v) => { const x = Number(v); if (v === undefined || !Number.isFinite(x)) { console.error(`main.mjs: argument ${name}: expected a number, got ${v}`); process.exit(2); } return x; };
  for (let i = 0; i < argv.length; i++) {
    let [k, v] = argv[i].split(/=(.*)/s);
    const next = () => (v !== undefined ? v : argv[++i]);
    switch (k) {
      case '--batch-size': a.batchSize = num(k, next()); break;
      case '--test-batch-size': a.testBatchSize = num(k, next()); break;
      case '--epochs': a.epochs = num(k, next()); break;
      case '--lr': a.lr = num(k, next()); break;
      case '--gamma': a.gamma = num(k, next()); break;
      case '--momentum': a.momentum = num(k, next()); break;
      case '--seed': a.seed = num(k, next()); break;
      case '--log-interval': a.logInterval = num(k, next()); break;
      case '--dry-run': a.dryRun = true; break;
      case '--save-model': a.saveModel = true; break;
      case '--device': a.device = next(); break;
      case '--max-steps': a.maxSteps = num(k, next()); break;
      case '--test-batches': a.testBatches = num(k, next()); break;
      case '--data': a.data = next(); break;
      case '--arch': a.arch = next(); break;
      case '--no-progress': a.progress = false; break;
      case '--no-cuda': case '--no-mps': a.device = 'cpu'; break;
      case '-h': case '--help': console.log(HELP); process.exit(0); break;
      default: console.error(`main.mjs: unrecognized argument ${argv[i]}\n\n${HELP}`); process.exit(2);
    }
  }
  if (!['seed', 'current'].includes(a.arch)) { console.error(`main.mjs: --arch must be seed or current, got ${a.arch}`); process.exit(2); }
  if (!['cpu', 'webgpu'].includes(a.device)) { console.error(`main.mjs: --device must be cpu or webgpu, got ${a.device}`); process.exit(2); }
  a.epochs ??= a.arch === 'seed' ? 10 : 14;
  a.lr ??= a.arch === 'seed' ? 0.01 : 1.0;
  return a;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let device;
  try {
    // opening a GPU is asynchronous in JS: once, before torch.device('webgpu') is used
    if (args.device === 'webgpu' && !(await torch.webgpu.init())) torch.device('webgpu').toString();
    device = torch.device(args.device);
    if (args.device === 'webgpu') torch.zeros(1, { device }); // throws the reason when no adapter opened
  } catch (e) {
    console.error(`main.mjs: --device ${args.device}: ${e.message}`);
    process.exit(1);
  }
  torch.manual_seed(args.seed);

  const root = args.data ?? process.env.MNIST_DIR ?? '../data';
  const { train: trainSet, test: testSet } = makeDatasets(torch, root, true);
  await Promise.all([trainSet.ready(), testSet.ready()]);
  const trainLoader = new torch.utils.data.DataLoader(trainSet, { batch_size: args.batchSize, shuffle: true });
  const testLoader = new torch.utils.data.DataLoader(testSet, { batch_size: args.testBatchSize });

  const model = makeNet(torch, args.arch).to(device.type);
  const { optimizer, scheduler } = makeOptimizer(torch, args.arch, model, args);

  let peakRss = 0, epochRss = [];
  const sampleRss = (step) => {
    const r = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, r);
    if (step % 10 === 0) epochRss.push([step, r]);
  };
  const mib = (b) => (b / 2 ** 20).toFixed(0);
  const t0 = performance.now();
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    const progress = args.progress ? new Progress(process.stderr, trainLoader.length, `Epoch ${epoch}`) : null;
    const te = performance.now();
    epochRss = [];
    const steps = await train(torch, { model, device, loader: trainLoader, optimizer, epoch, logInterval: args.logInterval, dryRun: args.dryRun, maxSteps: args.maxSteps, progress, onStep: sampleRss });
    const trainSecs = (performance.now() - te) / 1000;
    await test(torch, { model, device, loader: testLoader, maxBatches: args.testBatches });
    // memory after warm-up (the first 10% of the epoch): flat when nothing leaks
    const warm = epochRss.filter(([s]) => s >= steps / 10).map(([, r]) => r);
    const range = warm.length ? `, RSS after warm-up ${mib(Math.min(...warm))}-${mib(Math.max(...warm))} MiB (first ${mib(warm[0])}, last ${mib(warm[warm.length - 1])})` : '';
    console.error(`[epoch ${epoch}: ${steps} steps in ${trainSecs.toFixed(1)} s (${((1000 * trainSecs) / steps).toFixed(1)} ms/step)${range}; live tensors ${torch.memory().tensors}${args.device === 'webgpu' ? `, GPU tensors ${torch.memory().gpuTensors}` : ''}]`);
    scheduler?.step();
    if (args.dryRun) break;
  }
  sampleRss();
  const maxRss = Math.max(peakRss, (process.resourceUsage().maxRSS ?? 0) * 1024);
  console.error(`[done in ${((performance.now() - t0) / 1000).toFixed(1)} s; peak RSS ${mib(maxRss)} MiB]`);

  if (args.saveModel) {
    await torch.save(model.state_dict(), 'mnist_cnn.safetensors');
    console.error('[saved mnist_cnn.safetensors]');
  }
}

main().catch((e) => {
  // webtorch's errors name the problem (missing data, failed download, ...); set DEBUG for a stack
  console.error(process.env.DEBUG ? e?.stack ?? e : `main.mjs: ${e?.message ?? e}`);
  process.exit(1);
});

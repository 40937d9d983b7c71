// The pieces of the MNIST example, written against any `torch` module (the built package in
// main.mjs, the sources in test/mnist_example.test.ts): the two nets, train() and test() as in
// pytorch/examples mnist/main.py, and a terminal progress bar.

/** The nets: 'current' (pytorch/examples today) and 'seed' (the 2018 example). */
export function makeNet(torch, arch) {
  const { nn } = torch;
  const F = nn.functional;
  if (arch === 'current') {
    class Net extends nn.Module {
      constructor() {
        super();
        this.conv1 = new nn.Conv2d(1, 32, 3, 1);
        this.conv2 = new nn.Conv2d(32, 64, 3, 1);
        this.dropout1 = new nn.Dropout(0.25);
        this.dropout2 = new nn.Dropout(0.5);
        this.fc1 = new nn.Linear(9216, 128);
        this.fc2 = new nn.Linear(128, 10);
      }
      forward(x) {
        x = this.conv1.call(x);
        x = F.relu(x);
        x = this.conv2.call(x);
        x = F.relu(x);
        x = F.max_pool2d(x, 2);
        x = this.dropout1.call(x);
        x = torch.flatten(x, 1);
        x = this.fc1.call(x);
        x = F.relu(x);
        x = this.dropout2.call(x);
        x = this.fc2.call(x);
        return F.log_softmax(x, { dim: 1 });
      }
    }
    return new Net();
  }
  if (arch === 'seed') {
    class Net extends nn.Module {
      constructor() {
        super();
        this.conv1 = new nn.Conv2d(1, 20, 5, 1);
        this.conv2 = new nn.Conv2d(20, 50, 5, 1);
        this.fc1 = new nn.Linear(4 * 4 * 50, 500);
        this.fc2 = new nn.Linear(500, 10);
      }
      forward(x) {
        x = F.relu(this.conv1.call(x));
        x = F.max_pool2d(x, 2, 2);
        x = F.relu(this.conv2.call(x));
        x = F.max_pool2d(x, 2, 2);
        x = x.view(-1, 4 * 4 * 50);
        x = F.relu(this.fc1.call(x));
        x = this.fc2.call(x);
        return F.log_softmax(x, { dim: 1 });
      }
    }
    return new Net();
  }
  throw new Error(`unknown --arch ${arch} (expected seed or current)`);
}

/** The optimizer and scheduler of each arch, as in its pytorch/examples version. */
export function makeOptimizer(torch, arch, model, args) {
  if (arch === 'seed') return { optimizer: new torch.optim.SGD(model.parameters(), { lr: args.lr, momentum: args.momentum }), scheduler: null };
  const optimizer = new torch.optim.Adadelta(model.parameters(), { lr: args.lr });
  return { optimizer, scheduler: new torch.optim.lr_scheduler.StepLR(optimizer, { step_size: 1, gamma: args.gamma }) };
}

/** Both MNIST splits with the example's transform; download only when the files are missing. */
export function makeDatasets(torch, root, download = true) {
  const { datasets, transforms } = torch;
  const transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])]);
  const train = new datasets.MNIST(root, { train: true, download, transform });
  const test = new datasets.MNIST(root, { train: false, download, transform });
  return { train, test };
}

/** A one-line progress bar, drawn only on a terminal. */
export class Progress {
  constructor(stream, total, label) {
    this.stream = stream;
    this.enabled = !!stream?.isTTY;
    this.total = total;
    this.label = label;
    this.start = performance.now();
    this.shown = false;
  }
  update(done, extra = '') {
    if (!this.enabled) return;
    const t = performance.now();
    if (done < this.total && t - (this.last ?? 0) < 100) return; // at most 10 redraws a second
    this.last = t;
    const width = 30, frac = Math.min(done / this.total, 1), fill = Math.round(frac * width);
    const secs = (performance.now() - this.start) / 1000, rate = done / Math.max(secs, 1e-9);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const bar = '='.repeat(Math.max(fill - 1, 0)) + (fill ? '>' : '') + ' '.repeat(width - fill);
    this.stream.write(`\r${this.label} [${bar}] ${done}/${this.total} ${rate.toFixed(1)} it/s eta ${eta.toFixed(0)}s ${extra}\x1b[K`);
    this.shown = true;
  }
  clear() { if (this.enabled && this.shown) { this.stream.write('\r\x1b[K'); this.shown = false; } }
}

const fmtPct0 = (x) => Math.round(x).toFixed(0);

/**
 * One epoch of training, printing pytorch/examples' log lines. Stops after `maxSteps` batches
 * when given (and after the first log line with dryRun). Returns the number of steps taken.
 */
export async function train(torch, { model, device, loader, optimizer, epoch, logInterval = 10, dryRun = false, maxSteps = Infinity, log = console.log, progress = null, onStep = null }) {
  const F = torch.nn.functional;
  model.train();
  const n = loader.dataset.length ?? (await loader.dataset.ready()).length;
  const nBatches = loader.length;
  let batchIdx = 0;
  // each step's tensors are released by a scope: GPU memory and the kernel heap (where CPU results
  // skip the copies in and out of wasm memory) are invisible to the garbage collector
  const step = (fn) => torch.scope(fn);
  for await (let [data, target] of loader) {
    if (batchIdx >= maxSteps) break;
    const stop = await step(async () => {
      data = data.to(device); target = target.to(device);
      optimizer.zero_grad();
      const output = model.call(data);
      const loss = F.nll_loss(output, target);
      loss.backward();
      optimizer.step();
      if (batchIdx % logInterval === 0) {
        progress?.clear();
        log(`Train Epoch: ${epoch} [${batchIdx * data.shape[0]}/${n} (${fmtPct0((100 * batchIdx) / nBatches)}%)]\tLoss: ${(await loss.item()).toFixed(6)}`);
        if (dryRun) return true;
      }
      return false;
    });
    if (stop) { batchIdx++; break; }
    batchIdx++;
    progress?.update(batchIdx);
    onStep?.(batchIdx);
  }
  progress?.clear();
  return batchIdx;
}

/**
 * Evaluates on a loader; prints the example's 'Test set:' line and returns the numbers. Runs under
 * no_grad, and each test batch in slices of `chunk` samples, each slice in its own torch.scope:
 * a batch of 1000 at once would hold its activations and the convolutions' unfolded inputs (the
 * 1000-image im2col of conv2 alone is 660 MB), and WebAssembly memory, once grown, never shrinks;
 * in slices test-time memory stays near training's. The sums (loss, correct) are the same.
 */
export async function test(torch, { model, device, loader, log = console.log, maxBatches = Infinity, chunk = 100 }) {
  const F = torch.nn.functional;
  model.eval();
  let testLoss = 0, correct = 0, seen = 0, batches = 0;
  await torch.no_grad(async () => {
    for await (const [data, target] of loader) {
      if (batches++ >= maxBatches) { torch.dispose([data, target]); break; }
      const n = target.shape[0];
      for (let start = 0; start < n; start += chunk) {
        await torch.scope(async () => {
          const len = Math.min(chunk, n - start);
          const x = data.narrow(0, start, len).to(device), y = target.narrow(0, start, len).to(device);
          const output = model.call(x);
          testLoss += await F.nll_loss(output, y, { reduction: 'sum' }).item();
          const pred = output.argmax({ dim: 1, keepdim: true });
          correct += await pred.eq(y.view_as(pred)).sum().item();
        });
      }
      seen += n;
      // the batch is done with: release it now rather than when the garbage collector runs
      torch.dispose([data, target]);
    }
  });
  const total = maxBatches === Infinity ? loader.dataset.length : seen;
  testLoss /= total;
  log(`\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${total} (${fmtPct0((100 * correct) / total)}%)\n`);
  return { loss: testLoss, correct, total, accuracy: correct / total };
}

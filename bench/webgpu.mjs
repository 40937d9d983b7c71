// The webgpu benchmark: `npm run bench -- --device webgpu` (or `node bench/webgpu.mjs`).
//
//   matmul 1024 and 4096 (GFLOP/s), the MNIST train step at batch 64 for both archs, and the seed
//   net at batch 1024 (time per sample), each on webgpu; PyTorch CPU single-threaded measured in
//   the same run as the reference. --write records the table in bench/RESULTS.md (webgpu block).
//   --quick: fewer steps, matmul 1024 only.
//
// GPU times include the wait for the GPU (torch.webgpu.synchronize() ends every timed call).
// In Node, Dawn (npm webgpu) uses whatever Vulkan driver the system has; on our CPU-only machines
// point it at Chromium's SwiftShader (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json):
// those numbers are a smoke check, not a GPU measurement.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runPython, probePython } from './lib/context.mjs';

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const quick = flag('--quick');
const write = flag('--write');
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && flag('--swiftshader') && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const torch = await import(path.join(ROOT, 'dist/webtorch.js'));
if (!(await torch.webgpu.init())) {
  try { torch.zeros(1, { device: 'webgpu' }); } catch (e) { console.error(`bench/webgpu.mjs: ${e.message}`); }
  process.exit(1);
}
const adapter = torch.webgpu.get_device_name();
const sync = () => torch.webgpu.synchronize();
console.log(`webtorch webgpu bench on ${adapter}${quick ? ' (quick)' : ''}`);

/** Seconds per call of an async GPU workload: `warmup` calls, then up to `reps` timed ones within `budgetMs`. */
async function timeIt(fn, { warmup = 2, reps = 10, budgetMs = 20000 } = {}) {
  for (let i = 0; i < warmup; i++) { await fn(); await sync(); }
  const times = [];
  let total = 0;
  for (let r = 0; r < reps && !(r >= 2 && total > budgetMs); r++) {
    const t0 = performance.now();
    await fn();
    await sync();
    const dt = performance.now() - t0;
    times.push(dt / 1000);
    total += dt;
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], best: times[0], n: times.length };
}

const rows = [];
const py = probePython();

// ---- matmul
for (const n of quick ? [1024] : [1024, 4096]) {
  const a = torch.randn([n, n], { device: 'webgpu' }), b = torch.randn([n, n], { device: 'webgpu' });
  const t = await timeIt(() => { torch.scope(() => torch.matmul(a, b)); }, { reps: n >= 4096 ? 5 : 10 });
  const gflops = (2 * n ** 3) / t.best / 1e9;
  const p = runPython({ workload: 'matmul', n });
  rows.push({ workload: `matmul ${n}x${n} f32`, unit: 'GFLOP/s', higher: true, webgpu: gflops, pytorch: p.ok ? p.gflops ?? (2 * n ** 3) / p.best / 1e9 : null, note: p.ok ? '' : p.error });
  a.dispose(); b.dispose();
}

// ---- MNIST steps
function makeStep(net, bs) {
  const { nn } = torch, F = nn.functional;
  let model, opt;
  if (net === 'seed') {
    const c1 = new nn.Conv2d(1, 20, 5), c2 = new nn.Conv2d(20, 50, 5), f1 = new nn.Linear(800, 500), f2 = new nn.Linear(500, 10);
    model = new nn.Sequential(c1, new nn.MaxPool2d(2), new nn.ReLU(), c2, new nn.MaxPool2d(2), new nn.ReLU(), new nn.Flatten(), f1, new nn.ReLU(), f2, new nn.LogSoftmax(1));
  } else {
    model = new nn.Sequential(new nn.Conv2d(1, 32, 3, 1), new nn.ReLU(), new nn.Conv2d(32, 64, 3, 1), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Dropout(0.25),
      new nn.Flatten(), new nn.Linear(9216, 128), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(128, 10), new nn.LogSoftmax(1));
  }
  model.to('webgpu');
  opt = net === 'seed' ? new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 }) : new torch.optim.Adadelta(model.parameters(), { lr: 1.0 });
  const x = torch.randn([bs, 1, 28, 28], { device: 'webgpu' });
  const y = torch.randint(0, 10, [bs], { device: 'webgpu' });
  return () => torch.scope(() => {
    opt.zero_grad();
    const loss = F.nll_loss(model.call(x), y);
    loss.backward();
    opt.step();
  });
}
for (const [net, bs] of [['seed', 64], ['current', 64], ['seed', 1024]]) {
  const steps = quick ? 3 : 10;
  const before = torch.memory().gpuBytes;
  const t = await timeIt(makeStep(net, bs), { reps: steps, budgetMs: quick ? 10000 : 30000 });
  const p = runPython({ workload: `mnist_${net}`, batch: bs, steps: quick ? 3 : 8 });
  const perSample = bs >= 1024;
  const scale = perSample ? 1e6 / bs : 1e3; // µs per sample, or ms per step
  rows.push({
    workload: `mnist ${net} step, batch ${bs}${perSample ? ' (per sample)' : ''}`, unit: perSample ? 'µs/sample' : 'ms', higher: false,
    webgpu: t.median * scale, pytorch: p.ok ? p.median * scale : null, note: p.ok ? '' : p.error, gpuBytes: torch.memory().gpuBytes - before,
  });
}

// ---- report
const fmt = (v) => (v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const lines = [
  `Adapter: ${adapter}. PyTorch ${py.ok ? py.version : '(missing)'} CPU, one thread, same run. ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? ''}.`,
  '',
  '| workload | unit | webtorch webgpu | PyTorch CPU 1 thread | webgpu vs PyTorch |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => {
    const ratio = r.webgpu && r.pytorch ? (r.higher ? r.webgpu / r.pytorch : r.pytorch / r.webgpu) : null;
    return `| ${r.workload} | ${r.unit} | ${fmt(r.webgpu)} | ${fmt(r.pytorch)} | ${ratio ? ratio.toFixed(2) + '× ' + (ratio >= 1 ? 'faster' : 'slower') : r.note || '—'} |`;
  }),
];
console.log(lines.join('\n'));
if (write) {
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const block = `<!-- webgpu:start -->\n### webgpu (\`node bench/webgpu.mjs ${argv.join(' ')}\`)\n\n${lines.join('\n')}\n<!-- webgpu:end -->`;
  let md = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  md = /<!-- webgpu:start -->[\s\S]*<!-- webgpu:end -->/.test(md) ? md.replace(/<!-- webgpu:start -->[\s\S]*<!-- webgpu:end -->/, block) : `${md.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, md);
  console.log('wrote bench/RESULTS.md (webgpu block)');
}
process.exit(0);

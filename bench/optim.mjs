// Optimizer-step throughput: one step over a single large float32 parameter, in GB/s of
// parameter + state traffic, webtorch (fused SIMD wasm kernel) against PyTorch single-threaded in
// the same run (and TF.js wasm for Adam).
//
//   node bench/optim.mjs [--quick]     standalone: prints the table (needs `npm run build` for dist/)
//   npm run bench                      the `adam` section picks up benchSection() from this file
//
// Bytes per element (float32): Adam/AdamW/Adadelta read p, g and two state buffers and write p and
// both buffers: 7 x 4 = 28 B; SGD with momentum reads p, g, buf and writes p, buf: 5 x 4 = 20 B.
// PyTorch runs torch.optim's default (single-tensor, foreach=False in 1.13) path on one thread.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { measure } from './lib/timing.mjs';
import { makeContext, errNote, PYTHON, THREADS } from './lib/context.mjs';
import { useBackend } from './lib/tfjs.mjs';

const WORKLOADS = [
  { key: 'adam', label: 'Adam', bytes: 28, js: (o, p) => new o.Adam([p], { lr: 1e-3 }), py: 'torch.optim.Adam([p], lr=1e-3)' },
  { key: 'adamw', label: 'AdamW', bytes: 28, js: (o, p) => new o.AdamW([p], { lr: 1e-3 }), py: 'torch.optim.AdamW([p], lr=1e-3)' },
  { key: 'sgd_momentum', label: 'SGD momentum', bytes: 20, js: (o, p) => new o.SGD([p], { lr: 1e-3, momentum: 0.9 }), py: 'torch.optim.SGD([p], lr=1e-3, momentum=0.9)' },
  { key: 'adadelta', label: 'Adadelta', bytes: 28, js: (o, p) => new o.Adadelta([p], { lr: 1.0 }), py: 'torch.optim.Adadelta([p], lr=1.0)' },
];

const PY = `
import json, sys, time, torch
torch.set_num_threads(1)
spec = json.loads(sys.argv[1])
n, samples = spec["n"], spec["samples"]
out = {}
for key, ctor in spec["optims"]:
    torch.manual_seed(0)
    p = torch.nn.Parameter(torch.randn(n))
    p.grad = torch.randn(n)
    opt = eval(ctor)
    for _ in range(3):
        opt.step()
    reps = max(1, int(0.2 / max(1e-4, (lambda t0: (opt.step(), time.perf_counter() - t0)[1])(time.perf_counter()))))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            opt.step()
        times.append((time.perf_counter() - t0) / reps)
    times.sort()
    out[key] = {"best": times[0], "median": times[len(times) // 2]}
print(json.dumps({"ok": True, "torch": torch.__version__, "results": out}))
`;

function runTorch(n, samples, workloads) {
  const r = spawnSync(PYTHON, ['-c', PY, JSON.stringify({ n, samples, optims: workloads.map((w) => [w.key, w.py]) })], {
    encoding: 'utf8', timeout: 600000, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.error) return { ok: false, error: `python: ${r.error.code ?? r.error.message}` };
  try { return JSON.parse(r.stdout.trim().split('\n').pop()); } catch { return { ok: false, error: `python exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}` }; }
}

/** Rows for bench/run.mjs (the `adam` section calls this when present). */
export async function benchSection(ctx) {
  const n = ctx.quick ? 2_000_000 : 10_000_000;
  const samples = ctx.quick ? 3 : 5;
  const torch = ctx.torch;
  const rows = WORKLOADS.map((w) => ctx.row(`${w.key} ${n / 1e6}M`, 'GB/s', true));
  const gbs = (w, s) => (w.bytes * n) / s / 1e9;
  if (!torch?.optim?.Adam) rows.forEach((r) => r.notes.push(`webtorch: ${ctx.torchNote || 'torch.optim missing'}`));
  else {
    for (const [i, w] of WORKLOADS.entries()) {
      const r = rows[i];
      try {
        const p = torch.randn([n]).requires_grad_(true);
        p.grad = torch.randn([n]);
        const opt = w.js(torch.optim, p);
        const m = measure(() => opt.step(), { samples, sampleMs: 200 });
        r.webtorch = gbs(w, m.best); r.extra.webtorch_median = gbs(w, m.median); r.extra.webtorch_ms = m.best * 1e3;
        p.grad.dispose(); p.dispose();
        for (const s of opt.state.values()) for (const v of Object.values(s)) v?.dispose?.();
      } catch (e) { r.notes.push(errNote('webtorch', e)); }
    }
  }
  const py = runTorch(n, samples, WORKLOADS);
  WORKLOADS.forEach((w, i) => {
    const res = py.ok && py.results[w.key];
    if (res) { rows[i].pytorch = gbs(w, res.best); rows[i].extra.pytorch_median = gbs(w, res.median); rows[i].extra.pytorch_ms = res.best * 1e3; }
    else rows[i].notes.push(py.error ?? 'pytorch: no result');
  });
  // TF.js (wasm backend) for Adam
  try {
    const { tf } = await ctx.loadTf();
    if (tf && await useBackend(tf, 'wasm')) {
      const v = tf.variable(tf.randomNormal([n]));
      const g = tf.randomNormal([n]);
      const opt = tf.train.adam(1e-3);
      const m = measure(() => opt.applyGradients([{ name: v.name, tensor: g }]), { samples, sampleMs: 200 });
      rows[0].tfjs = gbs(WORKLOADS[0], m.best); rows[0].tfjsBackend = 'wasm';
      opt.dispose(); v.dispose(); g.dispose();
    } else rows[0].notes.push('tfjs wasm backend unavailable');
  } catch (e) { rows[0].notes.push(errNote('tfjs', e)); }
  rows.forEach((r) => r.notes.push(`GB/s of param+state traffic (28 B/elem Adam/AdamW/Adadelta, 20 B/elem SGD momentum), ${THREADS === 1 ? 'one thread' : `${THREADS} threads`}`));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ctx = await makeContext({ quick: process.argv.includes('--quick') });
  const rows = await benchSection(ctx);
  const f = (v) => (v == null ? '-' : v.toFixed(2));
  console.log('workload            webtorch GB/s  pytorch GB/s  ratio  tfjs-wasm GB/s   (ms/step: webtorch, pytorch)');
  for (const r of rows) {
    const ratio = r.webtorch && r.pytorch ? (r.webtorch / r.pytorch).toFixed(2) + 'x' : '-';
    console.log(`${r.workload.padEnd(20)}${f(r.webtorch).padStart(13)}${f(r.pytorch).padStart(14)}${ratio.padStart(7)}${f(r.tfjs).padStart(16)}   (${f(r.extra.webtorch_ms)}, ${f(r.extra.pytorch_ms)})`);
    const notes = r.notes.filter((x) => !x.startsWith('GB/s'));
    if (notes.length) console.log('    ' + notes.join('; '));
  }
}

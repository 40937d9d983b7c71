// One full epoch of the MNIST example per arch, webtorch and PyTorch (single thread) on the same
// machine: accuracy, training time, ms/step and peak RSS. Takes several minutes, so it is not part
// of the default `npm run bench`.
//   node bench/mnist_epoch.mjs [--data DIR] [--arch seed,current] [--threads N] [--write]
// --threads N (default 1): webtorch via WEBTORCH_THREADS=N, PyTorch via --threads N with OMP/OpenBLAS
// pools of N; --write replaces the table of that thread count only.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const data = path.resolve(opt('--data', process.env.MNIST_DIR ?? path.join(ROOT, '../shared/data/mnist')));
const archs = opt('--arch', 'seed,current').split(',');
const threads = Number(opt('--threads', '1'));
if (!Number.isInteger(threads) || threads < 1) throw new Error('--threads expects a positive integer');
const env = { ...process.env, WEBTORCH_THREADS: `${threads}`, OMP_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}`, MKL_NUM_THREADS: `${threads}` };
const each = threads === 1 ? 'one thread each' : `${threads} threads each`;
const rows = [];

for (const arch of archs) {
  const ours = spawnSync(process.execPath, [path.join(ROOT, 'examples/mnist/main.mjs'), '--arch', arch, '--epochs', '1', '--data', data, '--no-progress'],
    { encoding: 'utf8', maxBuffer: 1 << 26, env });
  if (ours.status !== 0) throw new Error(`webtorch ${arch} failed:\n${ours.stderr}`);
  const acc = /Accuracy: (\d+)\/(\d+) \(/.exec(ours.stdout);
  const ep = /steps in ([\d.]+) s \(([\d.]+) ms\/step\)/.exec(ours.stderr);
  const peak = /peak RSS (\d+) MiB/.exec(ours.stderr);
  rows.push({ arch, who: 'webtorch', accuracy: (100 * +acc[1] / +acc[2]).toFixed(2), train_s: (+ep[1]).toFixed(1), ms: (+ep[2]).toFixed(1), peak: peak ? `${peak[1]} MiB` : '' });
  console.log(rows[rows.length - 1]);
  const py = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench/python/mnist_epoch.py'), '--arch', arch, '--data', data, '--threads', `${threads}`], { encoding: 'utf8', env });
  if (py && py.status === 0) {
    const r = JSON.parse(py.stdout.trim().split('\n').pop());
    rows.push({ arch, who: `PyTorch ${r.torch} (${threads} thread${threads > 1 ? 's' : ''})`, accuracy: r.accuracy.toFixed(2), train_s: r.train_s.toFixed(1), ms: r.ms_per_step.toFixed(1), peak: '' });
    console.log(rows[rows.length - 1]);
  } else console.log(`PyTorch ${arch}: not run (${py ? py.stderr.split('\n').slice(-2).join(' ') : 'no /usr/bin/python3'})`);
}

const tag = threads === 1 ? 'mnist-epoch' : `mnist-epoch-${threads}t`;
const md = [
  `<!-- ${tag}:start (written by \`node bench/mnist_epoch.mjs${threads === 1 ? '' : ` --threads ${threads}`} --write\`) -->`,
  threads === 1 ? '## MNIST, one epoch' : `## MNIST, one epoch, ${threads} threads`,
  '',
  `Command: \`npm run build && node bench/mnist_epoch.mjs${threads === 1 ? '' : ` --threads ${threads}`} --write\` (seed 1, batch 64, ${each}). Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`,
  '',
  '| arch | run | test accuracy | training time | ms/step | peak RSS |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.arch} | ${r.who} | ${r.accuracy}% | ${r.train_s} s | ${r.ms} | ${r.peak} |`),
  '',
  `<!-- ${tag}:end -->`,
].join('\n');
if (argv.includes('--write')) {
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const old = readFileSync(file, 'utf8');
  const re = new RegExp(`<!-- ${tag}:start[\\s\\S]*?<!-- ${tag}:end -->`);
  writeFileSync(file, re.test(old) ? old.replace(re, md) : old.replace(/\n*$/, '\n\n') + md + '\n');
  console.log('wrote bench/RESULTS.md');
} else console.log(md);

// One full epoch of the MNIST example per arch, webtorch and PyTorch (single thread) on the same
// machine: accuracy, training time, ms/step and peak RSS. Takes several minutes, so it is not part
// of the default `npm run bench`.
//   node bench/mnist_epoch.mjs [--data DIR] [--arch seed,current] [--write]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const data = path.resolve(opt('--data', process.env.MNIST_DIR ?? path.join(ROOT, '../shared/data/mnist')));
const archs = opt('--arch', 'seed,current').split(',');
const rows = [];

for (const arch of archs) {
  const ours = spawnSync(process.execPath, [path.join(ROOT, 'examples/mnist/main.mjs'), '--arch', arch, '--epochs', '1', '--data', data, '--no-progress'],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (ours.status !== 0) throw new Error(`webtorch ${arch} failed:\n${ours.stderr}`);
  const acc = /Accuracy: (\d+)\/(\d+) \(/.exec(ours.stdout);
  const ep = /steps in ([\d.]+) s \(([\d.]+) ms\/step\)/.exec(ours.stderr);
  const peak = /peak RSS (\d+) MiB/.exec(ours.stderr);
  rows.push({ arch, who: 'webtorch', accuracy: (100 * +acc[1] / +acc[2]).toFixed(2), train_s: (+ep[1]).toFixed(1), ms: (+ep[2]).toFixed(1), peak: peak ? `${peak[1]} MiB` : '' });
  console.log(rows[rows.length - 1]);
  const py = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench/python/mnist_epoch.py'), '--arch', arch, '--data', data], { encoding: 'utf8' });
  if (py && py.status === 0) {
    const r = JSON.parse(py.stdout.trim().split('\n').pop());
    rows.push({ arch, who: `PyTorch ${r.torch} (1 thread)`, accuracy: r.accuracy.toFixed(2), train_s: r.train_s.toFixed(1), ms: r.ms_per_step.toFixed(1), peak: '' });
    console.log(rows[rows.length - 1]);
  } else console.log(`PyTorch ${arch}: not run (${py ? py.stderr.split('\n').slice(-2).join(' ') : 'no /usr/bin/python3'})`);
}

const md = [
  '<!-- mnist-epoch:start (written by `node bench/mnist_epoch.mjs --write`) -->',
  '## MNIST, one epoch',
  '',
  `Command: \`npm run build && node bench/mnist_epoch.mjs --write\` (seed 1, batch 64, one thread each). Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`,
  '',
  '| arch | run | test accuracy | training time | ms/step | peak RSS |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.arch} | ${r.who} | ${r.accuracy}% | ${r.train_s} s | ${r.ms} | ${r.peak} |`),
  '',
  '<!-- mnist-epoch:end -->',
].join('\n');
if (argv.includes('--write')) {
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const old = readFileSync(file, 'utf8');
  const re = /<!-- mnist-epoch:start[\s\S]*?<!-- mnist-epoch:end -->/;
  writeFileSync(file, re.test(old) ? old.replace(re, md) : old.replace(/\n*$/, '\n\n') + md + '\n');
  console.log('wrote bench/RESULTS.md');
} else console.log(md);

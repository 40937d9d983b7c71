// The configurations issue 13 names, side by side, each against PyTorch at its own thread count:
//   Node (the simd128 kernels where relaxed SIMD does not validate, as in Node 20), 1 thread
//   Node, 2 threads (webtorch's worker pool; PyTorch with OMP/OpenBLAS pools of 2)
//   Deno (relaxed-SIMD kernels where they validate), 1 thread: only where a `deno` binary is found
// Each is one `bench/run.mjs --no-tfjs --json` subprocess (so PyTorch runs in the same process run,
// right after webtorch), the configurations alternating for --rounds rounds: the machine is shared,
// and alternating spreads its noise over all of them. The table shows, per workload and
// configuration, the medians over rounds of webtorch's and PyTorch's numbers and of the per-round
// ratios; each round's ratios follow it.
//
//   node bench/configs.mjs                                  2 rounds of matmul, add, mnist, lstm, transformer
//   node bench/configs.mjs --rounds 3 --only mnist,lstm     prints only; --write updates bench/RESULTS.md
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/context.mjs';

const argv = process.argv.slice(2);
const optVal = (f) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
const rounds = Number(optVal('--rounds') ?? 2);
if (!Number.isInteger(rounds) || rounds < 1) { console.error('--rounds expects a positive integer'); process.exit(2); }
const only = optVal('--only') ?? 'matmul,add,mnist,lstm,transformer';
const write = argv.includes('--write');

function findDeno() {
  const local = path.join(ROOT, 'test/tools/node_modules/.bin/deno');
  if (existsSync(local)) return local;
  const r = spawnSync('deno', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'deno' : null;
}

const deno = findDeno();
const configs = [
  { name: 'Node, 1 thread', cmd: process.execPath, args: ['bench/run.mjs', '--threads', '1'] },
  { name: 'Node, 2 threads', cmd: process.execPath, args: ['bench/run.mjs', '--threads', '2'] },
  ...(deno ? [{ name: 'Deno, 1 thread', cmd: deno, args: ['run', '-A', 'bench/run.mjs', '--threads', '1'] }] : []),
];
if (!deno) console.log('no deno binary (npm --prefix test/tools ci installs one): Deno left out');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'webtorch-configs-'));
const runs = configs.map(() => []);
const started = new Date();
for (let r = 0; r < rounds; r++) {
  for (const [i, c] of configs.entries()) {
    const out = path.join(tmp, `r${r}c${i}.json`);
    const t0 = Date.now();
    const p = spawnSync(c.cmd, [...c.args, '--only', only, '--no-tfjs', '--no-write', '--json', out], { cwd: ROOT, encoding: 'utf8' });
    if (p.status !== 0 || !existsSync(out)) {
      console.error(`${c.name}: bench/run.mjs failed (status ${p.status})\n${p.stderr || p.stdout}`);
      process.exit(1);
    }
    const res = JSON.parse(readFileSync(out, 'utf8'));
    runs[i].push(res);
    console.log(`round ${r + 1}/${rounds}, ${c.name} (${res.runtime}, ${res.variant}): ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}
rmSync(tmp, { recursive: true, force: true });

const med = (xs) => { const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b); return v.length ? (v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null; };
const fmt = (v) => (v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
/** webtorch's speed over PyTorch's (> 1: webtorch faster), as in bench/run.mjs's "vs PyTorch". */
const speedup = (row) => (row.webtorch == null || row.pytorch == null ? null : row.higher ? row.webtorch / row.pytorch : row.pytorch / row.webtorch);

const workloads = runs[0][0].rows.map((row) => [row.workload, row.unit]);
const cell = (i, workload) => {
  const rows = runs[i].map((res) => res.rows.find((x) => x.workload === workload)).filter(Boolean);
  const s = med(rows.map(speedup));
  return `${fmt(med(rows.map((x) => x.webtorch)))} / ${fmt(med(rows.map((x) => x.pytorch)))} (${s == null ? '—' : s.toFixed(2) + 'x'})`;
};
const perRound = (i, workload) => runs[i].map((res) => speedup(res.rows.find((x) => x.workload === workload) ?? {}))
  .map((s) => (s == null ? '—' : s.toFixed(2))).join(', ');

const header = ['workload', 'unit', ...configs.map((c, i) => `${c.name}: ${runs[i][0].runtime}, ${runs[i][0].variant}`)];
const table = workloads.map(([w, u]) => [w, u, ...configs.map((_, i) => cell(i, w))]);
const detail = workloads.map(([w]) => `${w}: ${configs.map((c, i) => `${c.name} ${perRound(i, w)}`).join('; ')}`);
const loads = runs.flat().map((res) => res.load.map((x) => x.toFixed(1)).join('-'));
const python = runs[0][0].python ?? 'not found';

console.log('\n' + [header, ...table].map((t) => t.join(' | ')).join('\n'));
console.log('\nper-round "vs PyTorch" (webtorch speed / PyTorch speed):\n' + detail.join('\n'));

if (write) {
  const md = [
    '<!-- configs:start (written by `node bench/configs.mjs --write`) -->',
    '## Configurations: Node 1 thread, Node 2 threads, Deno',
    '',
    `Command: \`npm run build && node bench/configs.mjs${argv.filter((a) => a !== '--write').map((a) => ' ' + a).join('')} --write\` ` +
      `(${rounds} rounds, the configurations alternating; each cell is a \`bench/run.mjs --only ${only} --threads N\` run under that runtime). ` +
      `Date: ${started.toISOString().replace(/\.\d+Z$/, 'Z')}. PyTorch ${python}, in each run at the run's thread count ` +
      `(\`OMP_NUM_THREADS\`/\`OPENBLAS_NUM_THREADS\` set to it). Load average (1 min) at the start and end of each run: ${loads.join(', ')}.`,
    '',
    'Cells: webtorch / PyTorch, medians over the rounds (GFLOP/s, GB/s or ms as the unit says), and in brackets the median ' +
      'of the per-round "vs PyTorch" (webtorch\'s speed over PyTorch\'s: above 1, webtorch is faster).',
    '',
    `| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`,
    ...table.map((t) => `| ${t.join(' | ')} |`),
    '',
    'Each round\'s "vs PyTorch":',
    '',
    ...detail.map((d) => `- ${d}`),
    '<!-- configs:end -->',
  ].join('\n');
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const old = readFileSync(file, 'utf8');
  const re = /<!-- configs:start[\s\S]*?<!-- configs:end -->/;
  // a first write goes right after the main table, before the sections other scripts own
  const next = re.test(old) ? old.replace(re, md) : old.replace(/(?=<!-- [\w-]+:start)/, md + '\n\n');
  writeFileSync(file, next);
  console.log('wrote bench/RESULTS.md');
}

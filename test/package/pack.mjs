// The package as users install it: `npm pack`, then `npm install <tarball>` into a fresh project in
// a temporary directory (offline: webtorch has no dependencies), and there
// - the tarball: package.json without scripts or devDependencies and with `repository`; README
//   links absolute; the bundles, the wasm and only the public declaration files;
// - Node and Deno import 'webtorch' from node_modules and train a step;
// - Chromium loads dist/webtorch.min.js from the project through an import map, no bundler;
// - tsc type-checks test/package/check.ts against the shipped types with skipLibCheck off, for
//   moduleResolution nodenext and bundler, without and with @webgpu/types, on the repository's
//   TypeScript 5 and on TypeScript 7 (devDependency `typescript7`, npm:typescript@^7; skipped
//   when absent), and once with `using` (lib esnext.disposable).
//   node test/package/pack.mjs        (after `npm run build`; run by test/runtime/run.mjs)
// Prints `ok`/`FAIL` lines and a closing `package: N passed, M failed`; exit code 1 on a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const results = [];
const check = (name, fn) => {
  const p = Promise.resolve().then(fn).then(
    (detail) => { console.log(`ok   ${name}${detail ? `  ${detail}` : ''}`); return true; },
    (e) => { console.error(`FAIL ${name}\n     ${String(e.message ?? e).split('\n').join('\n     ')}`); return false; });
  results.push(p);
  return p;
};
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.status ?? r.signal}\n${(r.stdout ?? '').slice(-4000)}${(r.stderr ?? '').slice(-4000)}`);
  return r.stdout;
};

const tmp = mkdtempSync(path.join(tmpdir(), 'webtorch-pack-'));
const proj = path.join(tmp, 'project');
try {
  // ---- pack and install
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, env: { ...process.env, npm_config_loglevel: 'error' } }));
  const tarball = path.join(tmp, packed.filename);
  mkdirSync(proj);
  writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'webtorch-user', private: true, type: 'module' }, null, 2));
  run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts=false'], { cwd: proj });
  const pkgDir = path.join(proj, 'node_modules/webtorch');

  await check('tarball', () => {
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    const errors = [];
    if (pkg.scripts) errors.push(`package.json keeps scripts: ${Object.keys(pkg.scripts).join(', ')}`);
    if (pkg.devDependencies) errors.push('package.json keeps devDependencies');
    if (pkg.dependencies && Object.keys(pkg.dependencies).length) errors.push(`runtime dependencies: ${Object.keys(pkg.dependencies)}`);
    if (!/github\.com/.test(pkg.repository?.url ?? '')) errors.push(`no repository URL: ${JSON.stringify(pkg.repository)}`);
    const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\(\s*(?![a-z][a-z0-9+.-]*:|#)([^)\s]+)/gi)].map((m) => m[1]);
    if (relative.length) errors.push(`README links that break on npm: ${relative.join(', ')}`);
    const paths = packed.files.map((f) => f.path);
    for (const f of ['dist/webtorch.js', 'dist/webtorch.min.js', 'dist/webtorch.gpu.min.js', 'dist/webtorch.relaxed.js', 'dist/webtorch.relaxed.min.js', 'dist/vision.js', 'dist/vision.min.js', 'dist/types/ts/vision/index.d.ts', 'dist/webtorch.workerd.js', 'dist/webtorch.wasm', 'dist/types/ts/index.d.ts', 'dist/types/globals.d.ts']) {
      if (!paths.includes(f)) errors.push(`${f} missing from the tarball`);
    }
    const dts = paths.filter((p) => p.endsWith('.d.ts'));
    const internal = dts.filter((p) => /wgsl|wasm_bytes|build\//.test(p));
    if (internal.length) errors.push(`internal declarations shipped: ${internal.join(', ')}`);
    const big = packed.files.filter((f) => f.path.endsWith('.d.ts') && f.size > 32_000).map((f) => `${f.path} (${f.size} B)`);
    if (big.length) errors.push(`oversized declaration files: ${big.join(', ')}`);
    const stray = paths.filter((p) => !/^(dist\/|README\.md$|package\.json$|LICENSE)/.test(p));
    if (stray.length) errors.push(`unexpected files: ${stray.join(', ')}`);
    if (errors.length) throw new Error(errors.join('\n'));
    return `${packed.filename}: ${paths.length} files (${dts.length} .d.ts), ${(packed.size / 1024).toFixed(0)} KB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked`;
  });

  // ---- the same small program in Node and Deno, from node_modules
  const program = `import * as torch from 'webtorch';
torch.manual_seed(0);
const model = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 1));
const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
const x = torch.randn([8, 3]), y = x.sum(1, true);
let first = 0, last = 0;
for (let i = 0; i < 20; i++) {
  opt.zero_grad();
  const loss = torch.nn.functional.mse_loss(model.call(x), y);
  loss.backward();
  opt.step();
  last = await loss.item();
  if (i === 0) first = last;
}
if (!(last < first)) throw new Error('loss did not fall: ' + first + ' -> ' + last);
// class names survive minification: reprs and dataset folders (MNIST/raw) use them
if (!String(model).startsWith('Sequential(\\n  (0): Linear(in_features=3') || !String(opt).startsWith('Adam (')) throw new Error('reprs lost their class names: ' + String(model) + String(opt));
if (new torch.datasets.MNIST('data', { train: false }).raw_folder !== 'data/MNIST/raw') throw new Error('MNIST.raw_folder: ' + new torch.datasets.MNIST('data', { train: false }).raw_folder);
console.log('RESULT ' + JSON.stringify({ version: torch.__version__, first, last, cuda: torch.cuda.is_available() }));
`;
  writeFileSync(path.join(proj, 'main.mjs'), program);
  const result = (out) => {
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`no RESULT line in:\n${out}`);
    const r = JSON.parse(line.slice(7));
    return `webtorch ${r.version}: 20 Adam steps, loss ${r.first.toFixed(4)} -> ${r.last.toFixed(4)}`;
  };
  await check('node     import from node_modules', () => result(run(process.execPath, ['main.mjs'], { cwd: proj })));
  const deno = path.join(ROOT, 'test/tools/node_modules/.bin/deno');
  if (existsSync(deno)) {
    await check('deno     import from node_modules', () => result(run(deno, ['run', '--quiet', '--no-config', '--node-modules-dir=manual', '--allow-read=.', 'main.mjs'],
      { cwd: proj, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', DENO_DIR: path.join(tmp, 'deno-cache') } })));
  } else console.warn(`SKIP deno: ${deno} not installed`);

  // ---- Chromium: the minified browser file through an import map, no bundler
  const { CHROMIUM } = await import('../runtime/chromium.mjs');
  if (existsSync(CHROMIUM)) {
    writeFileSync(path.join(proj, 'index.html'), `<!doctype html><meta charset="utf-8"><title>webtorch</title>
<script type="importmap">{ "imports": { "webtorch": "./node_modules/webtorch/dist/webtorch.min.js" } }</script>
<script type="module">
  window.__result = (async () => { const url = URL.createObjectURL(new Blob([await (await fetch('./main.mjs')).text()], { type: 'text/javascript' }));
    const log = []; const orig = console.log; console.log = (...a) => { log.push(a.join(' ')); orig(...a); };
    try { await import(url); return { out: log.join('\\n') }; } catch (e) { return { error: String(e && e.stack || e) }; } })();
</script>`);
    await check('chromium dist/webtorch.min.js via an import map', async () => {
      const server = createServer(async (req, res) => {
        const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
        const file = path.resolve(proj, rel);
        if (!file.startsWith(proj + path.sep) || !existsSync(file)) { res.writeHead(404).end(); return; }
        const type = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' }[path.extname(file)] ?? 'application/octet-stream';
        res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const { launch } = await import('../runtime/chromium.mjs');
      const browser = await launch();
      try {
        const page = await browser.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
        const r = await page.evaluate(() => window.__result);
        if (r.error) throw new Error(`${r.error}\n${errors.join('\n')}`);
        return result(r.out);
      } finally {
        await browser.close();
        server.close();
      }
    });
  } else {
    const msg = `chromium: ${CHROMIUM} not found`;
    if (process.env.CI) results.push(Promise.resolve(false).then(() => { console.error(`FAIL ${msg}`); return false; }));
    else console.warn(`SKIP ${msg}`);
  }

  // ---- TypeScript: the shipped types in a user's project, skipLibCheck off
  mkdirSync(path.join(proj, 'node_modules/@webgpu'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules/@webgpu/types'), path.join(proj, 'node_modules/@webgpu/types'), 'dir');
  writeFileSync(path.join(proj, 'check.ts'), readFileSync(path.join(here, 'check.ts')));
  writeFileSync(path.join(proj, 'using.ts'), `import * as torch from 'webtorch';
export function f(): number {
  using x = torch.ones([2, 2]);
  return x.numel();
}
`);
  const compilers = [['5', path.join(ROOT, 'node_modules/typescript/bin/tsc')], ['7', path.join(ROOT, 'node_modules/typescript7/bin/tsc')]];
  if (process.env.WEBTORCH_TSC7) compilers[1][1] = process.env.WEBTORCH_TSC7;
  const variants = [];
  for (const resolution of ['nodenext', 'bundler']) {
    for (const types of [[], ['@webgpu/types']]) variants.push({ resolution, types, files: ['check.ts'] });
  }
  variants.push({ resolution: 'nodenext', types: [], files: ['check.ts', 'using.ts'], lib: ['es2022', 'dom', 'esnext.disposable'] });
  for (const [major, tsc] of compilers) {
    if (!existsSync(tsc)) { console.warn(`SKIP typescript ${major}: ${path.relative(ROOT, tsc)} not installed`); continue; }
    const version = run(process.execPath, [tsc, '--version']).trim();
    if (!version.includes(` ${major}.`)) throw new Error(`${tsc} is ${version}, want TypeScript ${major}`);
    for (const v of variants) {
      const name = `tsc ${version.replace('Version ', '')} moduleResolution ${v.resolution}, types [${v.types.join(', ')}]${v.lib ? `, lib ${v.lib.join(' ')} with \`using\`` : ''}`;
      await check(name, () => {
        const config = {
          compilerOptions: {
            target: 'es2022', module: v.resolution === 'nodenext' ? 'nodenext' : 'esnext', moduleResolution: v.resolution,
            strict: true, skipLibCheck: false, noEmit: true, types: v.types, ...(v.lib ? { lib: v.lib } : {}),
          },
          files: v.files,
        };
        const file = `tsconfig.${variants.indexOf(v)}.json`;
        writeFileSync(path.join(proj, file), JSON.stringify(config, null, 2));
        const tscRun = (cfg) => spawnSync(process.execPath, [tsc, '-p', cfg, '--pretty', 'false'], { cwd: proj, encoding: 'utf8' });
        const r = tscRun(file);
        if (r.status === 0) return '';
        // Errors a project gets without webtorch too (TypeScript 7's lib.dom declares WebGPU, and
        // @webgpu/types then conflicts with it) are not webtorch's: compile an empty file in the
        // same configuration and count only the errors it does not have.
        writeFileSync(path.join(proj, 'empty.ts'), 'export {};\n');
        writeFileSync(path.join(proj, `control.${file}`), JSON.stringify({ ...config, files: ['empty.ts'] }, null, 2));
        const baseline = new Set(tscRun(`control.${file}`).stdout.split('\n').filter(Boolean));
        const ours = r.stdout.split('\n').filter((l) => l && !baseline.has(l));
        if (ours.length || !baseline.size) throw new Error(`${r.stdout}${r.stderr}`.slice(-6000));
        return `(${baseline.size} errors without webtorch too: ${[...baseline][0].slice(0, 120)} ...; none from webtorch)`;
      });
    }
  }
} catch (e) {
  results.push(Promise.resolve(false));
  console.error(`FAIL package: ${e.stack ?? e}`);
} finally {
  const ok = await Promise.all(results);
  const passed = ok.filter(Boolean).length;
  console.log(`package: ${passed} passed, ${ok.length - passed} failed`);
  if (passed !== ok.length) process.exitCode = 1;
  if (process.exitCode !== 1) rmSync(tmp, { recursive: true, force: true });
  else console.error(`     (kept ${tmp} for inspection)`);
}

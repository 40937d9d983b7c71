// Playwright test of the browser example (headless Debian chromium via playwright-core): trains
// the seed net in the page's Web Worker on MNIST served from $MNIST_DIR, checks that the loss
// falls and the test accuracy passes a floor, draws a stroke on the pad and checks the class
// probabilities, downloads the .safetensors file, uploads it back and checks that the reloaded
// weights give the same accuracy, then takes a screenshot.
//   node examples/browser/test.mjs [--steps N] [--screenshot PATH]   (after npm run build)
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '../../test/runtime/server.mjs';
import { launch } from '../../test/runtime/chromium.mjs';

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const STEPS = +arg('--steps', process.env.EXAMPLE_STEPS ?? 300);
const SHOT = arg('--screenshot', path.join(tmpdir(), 'webtorch-browser-example.png'));
const ACCURACY_FLOOR = 0.85;

export async function runExample({ steps = STEPS, screenshot = SHOT } = {}) {
  const server = await serve();
  let browser = null;
  const errors = [];
  const t0 = Date.now();
  try {
    browser = await launch();
    const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1000, height: 820 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}/examples/browser/`);
    await page.waitForFunction(() => window.__example?.version, null, { timeout: 30_000 });
    await page.fill('#steps', String(steps));
    await page.click('#train');
    await page.waitForFunction(() => window.__example.done || window.__example.errors.length, null, { timeout: 300_000, polling: 500 });
    const trained = await page.evaluate(() => ({ ...window.__example }));
    if (trained.errors.length) throw new Error(`page errors: ${trained.errors.join('\n')}`);
    const fails = [];
    const losses = trained.losses.map((p) => p[1]);
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    const head = mean(losses.slice(0, 10)), tail = mean(losses.slice(-10));
    if (trained.done.step !== steps) fails.push(`trained ${trained.done.step} steps, asked ${steps}`);
    if (!(tail < head * 0.6)) fails.push(`loss did not fall enough: first 10 steps ${head.toFixed(3)}, last 10 ${tail.toFixed(3)}`);
    if (!(trained.done.accuracy >= ACCURACY_FLOOR)) fails.push(`test accuracy ${trained.done.accuracy} < ${ACCURACY_FLOOR}`);
    if (trained.acc.length < 2) fails.push('no live accuracy curve');
    if (!/^wasm SIMD/.test(trained.backend ?? '')) fails.push(`backend line: ${trained.backend}`);
    const g = trained.grid;
    if (!g || g.preds.length !== 24 || g.labels.length !== 24) fails.push('no grid of test digits with predictions');
    else if (g.preds.filter((p, i) => p === g.labels[i]).length < 12) fails.push(`grid: only ${g.preds.filter((p, i) => p === g.labels[i]).length}/24 right`);
    if ((await page.locator('#grid canvas').count()) !== 24) fails.push('grid digits not drawn');

    // draw a "7" on the pad
    const box = await page.locator('#pad').boundingBox();
    const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
    await page.mouse.move(...at(0.25, 0.25)); await page.mouse.down();
    await page.mouse.move(...at(0.75, 0.25), { steps: 8 }); await page.mouse.move(...at(0.45, 0.8), { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => window.__example.probs, null, { timeout: 10_000 });
    const probs = await page.evaluate(() => window.__example.probs);
    const sum = probs.reduce((s, v) => s + v, 0);
    if (probs.length !== 10 || Math.abs(sum - 1) > 1e-4) fails.push(`class probabilities: ${probs.length} values summing to ${sum}`);

    // download, then upload the same file
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    const file = await download.path();
    const bytes = readFileSync(file);
    const headerLen = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLen).toString('utf8'));
    const names = Object.keys(header).filter((k) => k !== '__metadata__').sort();
    const want = ['conv1.bias', 'conv1.weight', 'conv2.bias', 'conv2.weight', 'fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight'];
    if (JSON.stringify(names) !== JSON.stringify(want)) fails.push(`safetensors tensors ${names.join(',')}`);
    await page.setInputFiles('#load', { name: 'mnist_seed.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
    await page.waitForFunction(() => window.__example.loaded, null, { timeout: 10_000 });
    const loaded = await page.evaluate(() => window.__example.loaded);
    if (loaded.accuracy !== trained.done.accuracy) fails.push(`reloaded accuracy ${loaded.accuracy} != trained ${trained.done.accuracy}`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshot, fullPage: true });
    if (errors.length) fails.push(...errors);
    return {
      ok: fails.length === 0, fails, steps, seconds: trained.done.seconds, msPerStep: (1000 * trained.done.seconds) / steps,
      accuracy: trained.done.accuracy, lossHead: head, lossTail: tail, probs, safetensorsBytes: bytes.length, screenshot, wallMs: Date.now() - t0,
    };
  } finally {
    await browser?.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runExample();
  console.log('RESULT ' + JSON.stringify(r));
  if (!r.ok) { console.error(r.fails.join('\n')); process.exitCode = 1; }
}

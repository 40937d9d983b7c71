// Playwright test of the GAN page (headless Debian chromium via playwright-core): trains the small
// DCGAN in the page's Web Worker on MNIST served from $MNIST_DIR and checks that every step logs
// finite figures, that the discriminator learns (mean Loss_D of the last 5 steps under that of the
// first 5, D(x) up) and that the 16 fixed-noise samples are drawn.
//   node examples/browser/gan_test.mjs [--steps N] [--screenshot PATH]   (after npm run build)
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '../../test/runtime/server.mjs';
import { launch } from '../../test/runtime/chromium.mjs';

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const STEPS = +arg('--steps', 30);
const SHOT = arg('--screenshot', path.join(tmpdir(), 'webtorch-gan-example.png'));

export async function runGan({ steps = STEPS, screenshot = SHOT } = {}) {
  const server = await serve();
  let browser = null;
  const errors = [];
  try {
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}/examples/browser/gan.html`);
    await page.waitForFunction(() => window.__gan?.version, null, { timeout: 30_000 });
    await page.fill('#steps', String(steps));
    await page.click('#train');
    await page.waitForFunction(() => window.__gan.done || window.__gan.errors.length, null, { timeout: 300_000, polling: 500 });
    const r = await page.evaluate(() => ({ ...window.__gan }));
    if (r.errors.length) throw new Error(`page errors: ${r.errors.join('\n')}`);
    const fails = [];
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    const col = (rows, k) => rows.map((x) => x[k]);
    if (r.done.step !== steps || r.rows.length !== steps) fails.push(`trained ${r.done.step} steps (${r.rows.length} rows), asked ${steps}`);
    if (!r.rows.flat().every(Number.isFinite)) fails.push('non-finite figures');
    const d0 = mean(col(r.rows.slice(0, 5), 0)), d1 = mean(col(r.rows.slice(-5), 0));
    const x0 = mean(col(r.rows.slice(0, 5), 2)), x1 = mean(col(r.rows.slice(-5), 2));
    if (!(d1 < d0)) fails.push(`Loss_D did not fall: ${d0.toFixed(4)} -> ${d1.toFixed(4)}`);
    if (!(x1 > x0)) fails.push(`D(x) did not rise: ${x0.toFixed(4)} -> ${x1.toFixed(4)}`);
    if (r.samples?.step !== steps || r.samples.n !== 16 * 64 * 64) fails.push(`samples: ${JSON.stringify(r.samples)}`);
    const spread = await page.evaluate(() => {
      const d = document.getElementById('samples').getContext('2d').getImageData(0, 0, 264, 264).data;
      let lo = 255, hi = 0;
      for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
      return hi - lo;
    });
    if (spread < 50) fails.push(`samples canvas nearly uniform (spread ${spread})`);
    await page.screenshot({ path: screenshot, fullPage: true });
    if (errors.length) fails.push(...errors);
    return { ok: fails.length === 0, fails, steps, seconds: r.done.seconds, msPerStep: (1000 * r.done.seconds) / steps, lossD: [d0, d1], Dx: [x0, x1], screenshot };
  } finally {
    await browser?.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runGan();
  console.log('RESULT ' + JSON.stringify(r));
  if (!r.ok) { console.error(r.fails.join('\n')); process.exitCode = 1; }
}

// Chromium entry for the runtime-neutral suite: Debian's chromium (headless), driven by
// playwright-core (which never downloads a browser), loads test/runtime/browser.html from a
// static server on 127.0.0.1 and runs the suite against dist/webtorch.js.
//   node test/runtime/chromium.mjs     prints RESULT {...}
import { chromium } from '../tools/index.mjs';
import { serve } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// DESIGN.md §3: the network is closed, so switch off everything that phones home
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--enable-unsafe-webgpu'];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function runChromium({ timeoutMs = 240_000 } = {}) {
  const server = await serve();
  const errors = [];
  let browser = null;
  try {
    browser = await launch();
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}/test/runtime/browser.html`);
    await page.waitForFunction(() => window.__result, null, { timeout: timeoutMs, polling: 200 });
    const result = await page.evaluate(() => window.__result);
    if (result.error) throw new Error(`chromium page: ${result.error}${errors.length ? `\n${errors.join('\n')}` : ''}`);
    return result;
  } catch (e) {
    if (errors.length) e.message += `\npage errors:\n${errors.join('\n')}`;
    throw e;
  } finally {
    await browser?.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('RESULT ' + JSON.stringify(await runChromium()));
}

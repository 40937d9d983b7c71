// A Cloudflare-style worker (module syntax) that uses webtorch's workerd bundle.
//   POST /train     { seed, steps, lr, data: { x: number[][], y: number[] } }  -> train() result
//                   (builds an nn.Sequential MLP, trains it with Adam on the request's data)
//   POST /fixtures  { name: fixture file (or its cases[]) }                    -> runFixtures() result
//                   (the driver splices the files' text in unchanged: JSON.stringify would turn -0 into 0)
//   GET  /webgpu    { available, reason }: workers have no GPU, and asking for one must say so
//   GET  /          a one-line health check
import * as torch from './webtorch.js';
import { runFixtures, train } from './suite.mjs';

const json = (v, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    try {
      if (request.method === 'GET' && pathname === '/') return new Response(`webtorch ${torch.__version__} on workerd\n`);
      if (request.method === 'GET' && pathname === '/webgpu') {
        const available = await torch.webgpu.is_available();
        let reason = null;
        try { torch.zeros(1, { device: 'webgpu' }); } catch (e) { reason = String(e?.message ?? e); }
        return json({ available, reason });
      }
      if (request.method === 'POST' && pathname === '/train') {
        const body = await request.json();
        const r = await train(torch, body);
        return json({ runtime: 'workerd', ...r });
      }
      if (request.method === 'POST' && pathname === '/fixtures') {
        const files = await request.json();
        const families = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.cases ?? v]));
        return json({ runtime: 'workerd', ...runFixtures(torch, families) });
      }
      return json({ error: `no route ${request.method} ${pathname}` }, 404);
    } catch (e) {
      return json({ error: String(e?.stack ?? e) }, 500);
    }
  },
};

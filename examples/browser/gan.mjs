// The GAN page: starts gan_worker.mjs, prints the original's log line and draws the 16 fixed-noise
// samples as a 4x4 grid. State for tests is mirrored on window.__gan.
const worker = new Worker(new URL('./gan_worker.mjs', import.meta.url), { type: 'module' });
const dataRoot = new URLSearchParams(location.search).get('data') ?? new URL('/data/mnist', location.href).href;
const state = (window.__gan = { rows: [], samples: null, done: null, errors: [], version: null });
const $ = (id) => document.getElementById(id);

function draw(pixels) {
  const canvas = $('samples'), ctx = canvas.getContext('2d'), img = ctx.createImageData(264, 264);
  for (let k = 0; k < 16; k++) {
    const top = Math.floor(k / 4) * 66 + 1, left = (k % 4) * 66 + 1;
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) {
      const v = Math.round(255 * pixels[k * 4096 + y * 64 + x]), o = ((top + y) * 264 + left + x) * 4;
      img.data[o] = img.data[o + 1] = img.data[o + 2] = v; img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

$('train').onclick = () => {
  $('train').disabled = true; $('stop').disabled = false;
  state.rows = []; state.done = null;
  worker.postMessage({ type: 'train', steps: +$('steps').value, batchSize: +$('batch').value, dataRoot });
};
$('stop').onclick = () => worker.postMessage({ type: 'stop' });

worker.onmessage = ({ data: m }) => {
  switch (m.type) {
    case 'loaded-module': state.version = m.version; $('status').textContent = `webtorch ${m.version} ready`; break;
    case 'ready': $('status').textContent = `MNIST: ${m.train} training digits`; break;
    case 'progress':
      state.rows.push([m.errD, m.errG, m.D_x, m.D_G_z1, m.D_G_z2]);
      $('log').textContent = `[${m.step}/${m.steps}] Loss_D: ${m.errD.toFixed(4)} Loss_G: ${m.errG.toFixed(4)} D(x): ${m.D_x.toFixed(4)} D(G(z)): ${m.D_G_z1.toFixed(4)} / ${m.D_G_z2.toFixed(4)}  (${m.msPerStep.toFixed(0)} ms/step)`;
      break;
    case 'samples': state.samples = { step: m.step, n: m.pixels.length }; draw(m.pixels); break;
    case 'done':
      state.done = m; $('train').disabled = false; $('stop').disabled = true;
      $('status').textContent = `done: ${m.step} steps in ${m.seconds.toFixed(1)} s`;
      break;
    case 'error': state.errors.push(m.message); $('status').textContent = m.message; break;
  }
};

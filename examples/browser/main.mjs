// The page side of the browser example: drives examples/browser/worker.mjs, draws the live loss
// and accuracy curves, the drawing pad and the class probabilities, and moves .safetensors files
// in and out. State for tests is mirrored on window.__example.
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
const dataRoot = new URLSearchParams(location.search).get('data') ?? new URL('/data/mnist', location.href).href;
const state = (window.__example = { losses: [], acc: [], done: null, probs: null, saved: null, loaded: null, errors: [], version: null, backend: null, grid: null });

/** the test digits with the model's predictions (wrong ones in red) */
function showGrid({ pixels, preds, labels }) {
  state.grid = { preds, labels };
  $('grid').innerHTML = '';
  preds.forEach((p, i) => {
    const fig = document.createElement('figure');
    const c = document.createElement('canvas');
    c.width = c.height = 28;
    const ctx = c.getContext('2d'), img = ctx.createImageData(28, 28);
    for (let k = 0; k < 784; k++) { const v = Math.round(255 * pixels[i * 784 + k]); img.data.set([v, v, v, 255], 4 * k); }
    ctx.putImageData(img, 0, 0);
    const cap = document.createElement('figcaption');
    cap.textContent = `${p}/${labels[i]}`;
    if (p !== labels[i]) cap.className = 'wrong';
    fig.append(c, cap);
    $('grid').append(fig);
  });
}

function plot(canvas, points, { label, yMax = null, color }) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height, pad = 50;
  ctx.clearRect(0, 0, W, H);
  ctx.font = '22px system-ui'; ctx.fillStyle = '#222';
  const last = points.length ? points[points.length - 1][1] : null;
  ctx.fillText(`${label}${last === null ? '' : `: ${last.toFixed(4)}`}`, pad, 26);
  ctx.strokeStyle = '#bbb'; ctx.strokeRect(pad, 36, W - pad - 10, H - 36 - 30);
  if (points.length < 1) return;
  const xMax = Math.max(...points.map((p) => p[0]), 1);
  const top = yMax ?? Math.max(...points.map((p) => p[1])) * 1.05;
  const x = (v) => pad + (v / xMax) * (W - pad - 10), y = (v) => H - 30 - (v / top) * (H - 66);
  ctx.fillStyle = '#666'; ctx.fillText(top.toFixed(2), 2, 50); ctx.fillText('0', 20, H - 30); ctx.fillText(`${xMax}`, W - 60, H - 4);
  ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
  points.forEach(([a, b], i) => (i ? ctx.lineTo(x(a), y(b)) : ctx.moveTo(x(a), y(b))));
  ctx.stroke();
}
const redraw = () => {
  plot($('lossPlot'), state.losses, { label: 'training loss', color: '#3a7bd5' });
  plot($('accPlot'), state.acc, { label: 'test accuracy (1000 images)', yMax: 1, color: '#e07b00' });
};
let pending = false;
const scheduleRedraw = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; redraw(); }); } };

function showProbs(probs) {
  const best = probs.indexOf(Math.max(...probs));
  $('probs').innerHTML = probs.map((p, i) =>
    `<div class="bar${i === best ? ' top' : ''}">${i} <span class="fill" style="width:${Math.round(p * 150)}px"></span> ${(100 * p).toFixed(1)}%</div>`).join('');
}

// the drawing pad: white strokes on black, downsampled to 28x28 like MNIST
const pad = $('pad'), pctx = pad.getContext('2d');
const clearPad = () => { pctx.fillStyle = '#000'; pctx.fillRect(0, 0, pad.width, pad.height); };
clearPad();
let drawing = false, last = null, predictId = 0;
const pos = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * (pad.width / r.width), (e.clientY - r.top) * (pad.height / r.height)]; };
function strokeTo(p) {
  pctx.strokeStyle = '#fff'; pctx.lineWidth = 22; pctx.lineCap = 'round'; pctx.lineJoin = 'round';
  pctx.beginPath(); pctx.moveTo(...(last ?? p)); pctx.lineTo(...p); pctx.stroke();
  last = p;
}
export function padPixels() {
  const small = document.createElement('canvas');
  small.width = small.height = 28;
  const sctx = small.getContext('2d');
  sctx.imageSmoothingEnabled = true; sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(pad, 0, 0, 28, 28);
  const img = sctx.getImageData(0, 0, 28, 28).data;
  const px = new Float32Array(784);
  for (let i = 0; i < 784; i++) px[i] = img[4 * i] / 255;
  return px;
}
const predict = () => worker.postMessage({ type: 'predict', pixels: padPixels(), id: ++predictId });
pad.addEventListener('pointerdown', (e) => { drawing = true; last = null; pad.setPointerCapture(e.pointerId); strokeTo(pos(e)); });
pad.addEventListener('pointermove', (e) => { if (drawing) strokeTo(pos(e)); });
pad.addEventListener('pointerup', () => { drawing = false; last = null; predict(); });
$('clear').onclick = () => { clearPad(); $('probs').textContent = ''; };

$('train').onclick = () => {
  state.losses = []; state.acc = []; state.done = null;
  $('train').disabled = true; $('stop').disabled = false;
  $('status').textContent = 'loading MNIST…';
  worker.postMessage({ type: 'train', steps: +$('steps').value, batchSize: +$('batch').value, dataRoot });
};
$('stop').onclick = () => worker.postMessage({ type: 'stop' });
$('save').onclick = () => worker.postMessage({ type: 'save' });
$('load').onchange = async (e) => {
  const f = e.target.files[0];
  if (f) worker.postMessage({ type: 'load', bytes: await f.arrayBuffer() });
};

worker.onmessage = ({ data: m }) => {
  switch (m.type) {
    case 'loaded-module':
      state.version = m.version; state.backend = m.backend;
      $('status').textContent = `webtorch ${m.version} ready`;
      $('backend').textContent = `backend: ${m.backend}`;
      break;
    case 'grid': showGrid(m); break;
    case 'ready': $('status').textContent = `MNIST: ${m.train} training, ${m.test} test images`; break;
    case 'progress':
      state.losses.push([m.step, m.loss]);
      $('status').textContent = `step ${m.step}/${m.steps}  loss ${m.loss.toFixed(4)}  ${m.msPerStep.toFixed(0)} ms/step`;
      scheduleRedraw();
      break;
    case 'eval': state.acc.push([m.step, m.accuracy]); scheduleRedraw(); break;
    case 'done':
      state.done = m;
      $('status').textContent += `\ndone: ${m.step} steps in ${m.seconds.toFixed(1)} s, test accuracy ${(100 * m.accuracy).toFixed(1)}%`;
      $('train').disabled = false; $('stop').disabled = true; $('save').disabled = false;
      redraw();
      break;
    case 'probs': if (m.id === predictId) { state.probs = m.probs; showProbs(m.probs); } break;
    case 'saved': {
      state.saved = m.bytes.length;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([m.bytes], { type: 'application/octet-stream' }));
      a.download = 'mnist_seed.safetensors';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      break;
    }
    case 'loaded':
      state.loaded = m;
      $('status').textContent += `\nloaded ${m.keys} tensors${m.accuracy === null ? '' : `; test accuracy ${(100 * m.accuracy).toFixed(1)}%`}`;
      $('save').disabled = false;
      if (state.probs) predict();
      break;
    case 'error': state.errors.push(m.message); $('status').textContent += `\nerror: ${m.message}`; break;
  }
};
worker.onerror = (e) => { state.errors.push(e.message ?? String(e)); $('status').textContent += `\nworker error: ${e.message}`; };
redraw();

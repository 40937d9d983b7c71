// One MNIST training step (batch 64, random images/labels) for two nets:
//   seed:    conv 1->20 5x5, maxpool 2, relu, conv 20->50 5x5, maxpool 2, relu, fc 800->500, relu,
//            fc 500->10, log_softmax, nll_loss; SGD lr .01 momentum .5
//   current: conv 1->32 3x3, relu, conv 32->64 3x3, relu, maxpool 2, dropout .25, flatten,
//            fc 9216->128, relu, dropout .5, fc 128->10, log_softmax, nll_loss; Adadelta lr 1
// Reports the median ms per step (zero_grad + forward + loss + backward + optimizer step).
import { measureSteps } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';
import { useBackend } from '../lib/tfjs.mjs';

export const name = 'mnist';
export const title = 'MNIST training step, batch 64';

const BS = 64;

function missingWebtorch(torch, net) {
  const nn = torch.nn ?? {}, F = nn.functional ?? {}, optim = torch.optim ?? {};
  const need = { 'nn.Conv2d': nn.Conv2d, 'nn.Linear': nn.Linear, 'F.max_pool2d': F.max_pool2d, 'F.relu': F.relu ?? torch.relu,
    'F.log_softmax': F.log_softmax, 'F.nll_loss': F.nll_loss };
  if (net === 'seed') need['optim.SGD'] = optim.SGD;
  else { need['nn.Dropout'] = nn.Dropout; need['optim.Adadelta'] = optim.Adadelta; }
  return Object.entries(need).filter(([, v]) => typeof v !== 'function').map(([k]) => k);
}

export function webtorchStep(torch, net) {
  const nn = torch.nn, F = nn.functional;
  const relu = F.relu ?? torch.relu;
  const fwd = (m, x) => (typeof m.forward === 'function' ? m.forward(x) : m(x));
  let layers, forward, opt;
  if (net === 'seed') {
    layers = [new nn.Conv2d(1, 20, 5), new nn.Conv2d(20, 50, 5), new nn.Linear(800, 500), new nn.Linear(500, 10)];
    const [c1, c2, f1, f2] = layers;
    forward = (x) => {
      x = relu(F.max_pool2d(fwd(c1, x), 2));
      x = relu(F.max_pool2d(fwd(c2, x), 2));
      x = x.reshape([-1, 800]);
      x = relu(fwd(f1, x));
      return F.log_softmax(fwd(f2, x), 1);
    };
  } else {
    layers = [new nn.Conv2d(1, 32, 3, 1), new nn.Conv2d(32, 64, 3, 1), new nn.Linear(9216, 128), new nn.Linear(128, 10)];
    const [c1, c2, f1, f2] = layers;
    const d1 = new nn.Dropout(0.25), d2 = new nn.Dropout(0.5);
    forward = (x) => {
      x = relu(fwd(c1, x));
      x = relu(fwd(c2, x));
      x = F.max_pool2d(x, 2);
      x = fwd(d1, x);
      x = torch.flatten(x, 1);
      x = relu(fwd(f1, x));
      x = fwd(d2, x);
      return F.log_softmax(fwd(f2, x), 1);
    };
  }
  const params = layers.flatMap((l) => [...l.parameters()]);
  opt = net === 'seed' ? new torch.optim.SGD(params, { lr: 0.01, momentum: 0.5 }) : new torch.optim.Adadelta(params, { lr: 1.0 });
  const x = torch.randn([BS, 1, 28, 28]);
  const y = torch.randint(0, 10, [BS]);
  return () => torch.scope(() => {
    opt.zero_grad();
    const loss = F.nll_loss(forward(x), y);
    loss.backward();
    opt.step();
  });
}

function tfjsStep(tf, net) {
  // PyTorch-like uniform init; the values do not matter for timing
  const u = (shape, fanIn) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  let vars, forward, opt;
  if (net === 'seed') {
    const w1 = u([5, 5, 1, 20], 25), b1 = u([20], 25), w2 = u([5, 5, 20, 50], 500), b2 = u([50], 500);
    const w3 = u([800, 500], 800), b3 = u([500], 800), w4 = u([500, 10], 500), b4 = u([10], 500);
    vars = [w1, b1, w2, b2, w3, b3, w4, b4];
    forward = (x) => {
      x = tf.relu(tf.maxPool(tf.add(tf.conv2d(x, w1, 1, 'valid'), b1), 2, 2, 'valid'));
      x = tf.relu(tf.maxPool(tf.add(tf.conv2d(x, w2, 1, 'valid'), b2), 2, 2, 'valid'));
      x = tf.reshape(x, [-1, 800]);
      x = tf.relu(tf.add(tf.matMul(x, w3), b3));
      return tf.logSoftmax(tf.add(tf.matMul(x, w4), b4));
    };
    opt = tf.train.momentum(0.01, 0.5);
  } else {
    const w1 = u([3, 3, 1, 32], 9), b1 = u([32], 9), w2 = u([3, 3, 32, 64], 288), b2 = u([64], 288);
    const w3 = u([9216, 128], 9216), b3 = u([128], 9216), w4 = u([128, 10], 128), b4 = u([10], 128);
    vars = [w1, b1, w2, b2, w3, b3, w4, b4];
    forward = (x) => {
      x = tf.relu(tf.add(tf.conv2d(x, w1, 1, 'valid'), b1));
      x = tf.relu(tf.add(tf.conv2d(x, w2, 1, 'valid'), b2));
      x = tf.maxPool(x, 2, 2, 'valid');
      x = tf.dropout(x, 0.25);
      x = tf.reshape(x, [BS, -1]);
      x = tf.relu(tf.add(tf.matMul(x, w3), b3));
      x = tf.dropout(x, 0.5);
      return tf.logSoftmax(tf.add(tf.matMul(x, w4), b4));
    };
    opt = tf.train.adadelta(1.0, 0.9, 1e-6); // PyTorch's defaults: rho .9, eps 1e-6
  }
  const x = tf.randomNormal([BS, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([BS], 0, 10, 'int32'), 10).toFloat();
  const step = () => {
    tf.tidy(() => {
      opt.minimize(() => tf.neg(tf.mean(tf.sum(tf.mul(forward(x), y), 1))), false, vars);
    });
  };
  const dispose = () => { tf.dispose(vars); tf.dispose([x, y]); opt.dispose(); };
  return { step, dispose };
}

export async function run(ctx) {
  const rows = [];
  const { tf } = await ctx.loadTf();
  const torch = ctx.torch;
  for (const net of ['seed', 'current']) {
    const r = ctx.row(`mnist ${net} step`, 'ms', false);
    const steps = ctx.quick ? 5 : 15;
    if (!torch) r.notes.push(`webtorch: ${ctx.torchNote}`);
    else {
      const missing = missingWebtorch(torch, net);
      if (missing.length) r.notes.push(`webtorch: not implemented yet: ${missing.join(', ')}`);
      else {
        try {
          const m = measureSteps(webtorchStep(torch, net), { steps, budgetMs: 25000 });
          r.webtorch = m.median * 1e3; r.extra.webtorch_best = m.best * 1e3;
        } catch (e) { r.notes.push(errNote('webtorch', e)); }
      }
    }
    const p = ctx.runPython({ workload: `mnist_${net}`, batch: BS, steps });
    if (p.ok) { r.pytorch = p.median * 1e3; r.extra.pytorch_best = p.best * 1e3; } else r.notes.push(p.error);
    if (tf) {
      // wasm (+ the Conv2DBackpropFilter shim) is the fastest tfjs backend that can train these nets:
      // tfjs-backend-cpu's Conv2DBackpropFilter alone takes about 19 s for the seed's conv2 at batch
      // 64 (measured here), so a cpu step is minutes and is not run.
      if (await useBackend(tf, 'wasm')) {
        try {
          const { step, dispose } = tfjsStep(tf, net);
          const m = measureSteps(step, { steps, budgetMs: 25000 });
          dispose();
          r.tfjs = m.median * 1e3; r.extra.tfjs_best = m.best * 1e3; r.tfjsBackend = 'wasm+shim';
        } catch (e) { r.notes.push(errNote('tfjs', e)); }
      } else r.notes.push('tfjs wasm backend unavailable');
    } else r.notes.push('tfjs unavailable');
    rows.push(r);
  }
  return rows;
}

// pytorch/examples regression/main.py, ported line by line: fit a degree-4 polynomial with one
// nn.Linear by hand-written SGD on smooth L1 loss. Shortened: stops after maxBatches batches
// (the original runs until the loss is below 1e-3). Returns the figures the test compares with
// PyTorch's (test/programs/python/regression.py).
import * as torch from '../../ts/index.js';
const F = torch.nn.functional;

export function main({ seed = 1, maxBatches = 400, log = console.log } = {}) {
  torch.manual_seed(seed);
  const POLY_DEGREE = 4;
  const W_target = torch.randn(POLY_DEGREE, 1).mul(5);
  const b_target = torch.randn(1).mul(5);

  /** Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]. */
  function make_features(x) {
    x = x.unsqueeze(1);
    return torch.cat(Array.from({ length: POLY_DEGREE }, (_, i) => x.pow(i + 1)), 1);
  }

  /** Approximated function. */
  function f(x) {
    return x.mm(W_target).add(b_target.itemSync());
  }

  /** Creates a string description of a polynomial. */
  function poly_desc(W, b) {
    let result = 'y = ';
    W.tolistSync().forEach((w, i) => { result += `${w >= 0 ? '+' : ''}${w.toFixed(2)} x^${i + 1} `; });
    const b0 = b.tolistSync()[0];
    result += `${b0 >= 0 ? '+' : ''}${b0.toFixed(2)}`;
    return result;
  }

  /** Builds a batch i.e. (x, f(x)) pair. */
  function get_batch(batch_size = 32) {
    const random = torch.randn(batch_size);
    const x = make_features(random);
    const y = f(x);
    return [x, y];
  }

  // Define model
  const fc = new torch.nn.Linear(W_target.size(0), 1);

  const losses = [];
  let loss, batch_idx;
  for (batch_idx = 1; ; batch_idx++) {
    // Get data
    const [batch_x, batch_y] = get_batch();

    // Reset gradients
    fc.zero_grad();

    // Forward pass
    const output = F.smooth_l1_loss(fc.forward(batch_x), batch_y);
    loss = output.itemSync();
    losses.push(loss);

    // Backward pass
    output.backward();

    // Apply gradients
    for (const param of fc.parameters()) param.data.add_(param.grad.mul(-0.1));

    // Stop criterion
    if (loss < 1e-3 || batch_idx >= maxBatches) break;
  }

  log(`Loss: ${loss.toFixed(6)} after ${batch_idx} batches`);
  log('==> Learned function:\t' + poly_desc(fc.weight.view(-1), fc.bias));
  log('==> Actual function:\t' + poly_desc(W_target.view(-1), b_target));
  const last = losses.slice(-20);
  return { initial_loss: losses[0], final_loss: loss, batches: batch_idx, last20_mean: last.reduce((a, b) => a + b, 0) / last.length };
}

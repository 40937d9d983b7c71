// pytorch/examples mnist_forward_forward/main.py, ported line by line: Hinton's forward-forward
// algorithm, each layer trained alone to give positive data (the true label overlaid on the image)
// high goodness and negative data (a wrong label) low goodness. Shortened: train_size 100,
// test_size 200, epochs 100 per layer (1000 by default); the first images of MNIST's splits.
import * as torch from '../../ts/index.js';
import { mnist } from './common.mjs';
const nn = torch.nn;
const { Adam } = torch.optim;

export async function main({ epochs = 100, lr = 0.03, seed = 1, train_size = 100, test_size = 200, threshold = 2, log_interval = 10, log = console.log } = {}) {
  const args = { epochs, lr, seed, train_size, test_size, threshold, log_interval };
  const device = torch.device('cpu');
  torch.manual_seed(args.seed);

  function get_y_neg(y) {
    const y_neg = y.clone();
    y.tolistSync().forEach((y_samp, idx) => {
      const allowed_indices = Array.from({ length: 10 }, (_, i) => i);
      allowed_indices.splice(allowed_indices.indexOf(y_samp), 1);
      y_neg.index_put_([idx], torch.tensor(allowed_indices).index(
        torch.randint(allowed_indices.length, { size: [1] }),
      ).itemSync());
    });
    return y_neg.to(device);
  }

  function overlay_y_on_x(x, y, classes = 10) {
    const x_ = x.clone();
    // x_[:, :classes] *= 0.0
    x_.index_put_([':', `:${classes}`], x_.index(':', `:${classes}`).mul(0.0));
    // x_[range(x.shape[0]), y] = x.max()
    x_.index_put_([torch.arange(x.shape[0]), y], x.max());
    return x_;
  }

  class Net extends torch.nn.Module {
    constructor(dims) {
      super();
      this.layers = [];
      for (let d = 0; d < dims.length - 1; d++) this.layers = [...this.layers, new Layer(dims[d], dims[d + 1]).to(device)];
    }

    predict(x) {
      let goodness_per_label = [];
      for (let label = 0; label < 10; label++) {
        let h = overlay_y_on_x(x, label);
        let goodness = [];
        for (const layer of this.layers) {
          h = layer.call(h);
          goodness = [...goodness, h.pow(2).mean(1)];
        }
        // sum(goodness): Python's sum starts from 0
        goodness_per_label.push(goodness.reduce((a, b) => a.add(b)).unsqueeze(1));
      }
      goodness_per_label = torch.cat(goodness_per_label, 1);
      return goodness_per_label.argmax(1);
    }

    // (named train in the original, where it shadows Module.train; renamed so that .train(mode)
    // keeps its meaning here)
    train_ff(x_pos, x_neg) {
      let [h_pos, h_neg] = [x_pos, x_neg];
      this.layers.forEach((layer, i) => {
        log(`training layer:  ${i}`);
        [h_pos, h_neg] = layer.train_ff(h_pos, h_neg);
      });
    }
  }

  class Layer extends nn.Linear {
    constructor(in_features, out_features, bias = true, device = null, dtype = null) {
      super(in_features, out_features, bias, device, dtype);
      this.relu = new torch.nn.ReLU();
      this.opt = new Adam(this.parameters(), { lr: args.lr });
      this.threshold = args.threshold;
      this.num_epochs = args.epochs;
      this.losses = [];
    }

    forward(x) {
      const x_direction = x.div(x.norm(2, 1, { keepdim: true }).add(1e-4));
      return this.relu.call(torch.mm(x_direction, this.weight.T).add(this.bias.unsqueeze(0)));
    }

    train_ff(x_pos, x_neg) {
      let loss;
      for (let i = 0; i < this.num_epochs; i++) {
        const g_pos = this.forward(x_pos).pow(2).mean(1);
        const g_neg = this.forward(x_neg).pow(2).mean(1);
        loss = torch.log1p(
          torch.exp(
            torch.cat([g_pos.neg().add(this.threshold), g_neg.sub(this.threshold)]),
          ),
        ).mean();
        this.opt.zero_grad();
        loss.backward();
        this.opt.step();
        if (i % args.log_interval === 0) {
          log(`Loss:  ${loss.itemSync()}`);
          this.losses.push(loss.itemSync());
        }
      }
      this.losses.push(loss.itemSync());
      return [this.forward(x_pos).detach(), this.forward(x_neg).detach()];
    }
  }

  // transform: ToTensor, Normalize((0.1307,), (0.3081,)), Lambda(flatten); batch_size = the split's size
  const normalize = (images) => images.float().div(255).sub(0.1307).div(0.3081).flatten(1);
  const net = new Net([784, 500, 500]);
  let [x, y] = await mnist(true, args.train_size);
  x = normalize(x);
  const x_pos = overlay_y_on_x(x, y);
  const y_neg = get_y_neg(y);
  const x_neg = overlay_y_on_x(x, y_neg);
  net.train_ff(x_pos, x_neg);

  const train_error = 1.0 - net.predict(x).eq(y).float().mean().itemSync();
  log(`train error: ${train_error}`);

  let [x_te, y_te] = await mnist(false, args.test_size);
  x_te = normalize(x_te);
  const test_error = 1.0 - net.predict(x_te).eq(y_te).float().mean().itemSync();
  log(`test error: ${test_error}`);
  return { losses: net.layers.map((l) => l.losses), train_error, test_error };
}

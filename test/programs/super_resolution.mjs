// pytorch/examples super_resolution (main.py, model.py), ported line by line: ESPCN-style
// sub-pixel convolution network trained with Adam on MSE, PSNR on the test set. BSDS300 cannot be
// downloaded here: MNIST digits stand in (target: the 28x28 digit in [0, 1]; input: its 2x2 average,
// F.avg_pool2d in place of PIL's Resize), as in the Python twin. Shortened: `train` training
// images, `test` test images, upscale_factor 2, nEpochs 4
// (2 by default: too few steps on 512 digits); the original's batch sizes, lr and seed.
import * as torch from '../../ts/index.js';
const { log10 } = Math;
import { mnist } from './common.mjs';
const nn = torch.nn, init = torch.nn.init, F = torch.nn.functional, optim = torch.optim;
const { DataLoader, TensorDataset } = torch.utils.data;

class Net extends nn.Module {
  constructor(upscale_factor) {
    super();
    this.relu = new nn.ReLU();
    this.conv1 = new nn.Conv2d(1, 64, [5, 5], [1, 1], [2, 2]);
    this.conv2 = new nn.Conv2d(64, 64, [3, 3], [1, 1], [1, 1]);
    this.conv3 = new nn.Conv2d(64, 32, [3, 3], [1, 1], [1, 1]);
    this.conv4 = new nn.Conv2d(32, upscale_factor ** 2, [3, 3], [1, 1], [1, 1]);
    this.pixel_shuffle = new nn.PixelShuffle(upscale_factor);
    this._initialize_weights();
  }

  forward(x) {
    x = this.relu.call(this.conv1.call(x));
    x = this.relu.call(this.conv2.call(x));
    x = this.relu.call(this.conv3.call(x));
    x = this.pixel_shuffle.call(this.conv4.call(x));
    return x;
  }

  _initialize_weights() {
    init.orthogonal_(this.conv1.weight, init.calculate_gain('relu'));
    init.orthogonal_(this.conv2.weight, init.calculate_gain('relu'));
    init.orthogonal_(this.conv3.weight, init.calculate_gain('relu'));
    init.orthogonal_(this.conv4.weight);
  }
}

export async function main({ upscale_factor = 2, batchSize = 64, testBatchSize = 10, nEpochs = 4, lr = 0.01, seed = 123, train: nTrain = 512, test: nTest = 100, init_weights = null, log = console.log } = {}) {
  torch.manual_seed(seed);
  const device = torch.device('cpu');

  log('===> Loading datasets');
  // get_training_set / get_test_set: (input, target) pairs from MNIST digits
  const pairs = async (train, n) => {
    const [images] = await mnist(train, n);
    const target = images.float().div(255).unsqueeze(1);
    return new TensorDataset(F.avg_pool2d(target, upscale_factor), target);
  };
  const train_set = await pairs(true, nTrain);
  const test_set = await pairs(false, nTest);
  const training_data_loader = new DataLoader(train_set, { batch_size: batchSize, shuffle: true });
  const testing_data_loader = new DataLoader(test_set, { batch_size: testBatchSize, shuffle: false });

  log('===> Building model');
  const model = new Net(upscale_factor).to(device);
  // the test starts from PyTorch's initial weights (a state_dict saved by torch.save)
  if (init_weights) model.load_state_dict(await torch.load(init_weights));
  const criterion = new nn.MSELoss();
  const optimizer = new optim.Adam(model.parameters(), { lr });

  function train(epoch) {
    let epoch_loss = 0;
    let iteration = 1;
    for (const batch of training_data_loader) {
      const [input, target] = [batch[0].to(device), batch[1].to(device)];

      optimizer.zero_grad();
      const loss = criterion.call(model.call(input), target);
      epoch_loss += loss.itemSync();
      loss.backward();
      optimizer.step();

      log(`===> Epoch[${epoch}](${iteration}/${training_data_loader.length}): Loss: ${loss.itemSync().toFixed(4)}`);
      iteration++;
    }
    log(`===> Epoch ${epoch} Complete: Avg. Loss: ${(epoch_loss / training_data_loader.length).toFixed(4)}`);
    return epoch_loss / training_data_loader.length;
  }

  function test() {
    let avg_psnr = 0;
    torch.no_grad(() => {
      for (const batch of testing_data_loader) {
        const [input, target] = [batch[0].to(device), batch[1].to(device)];

        const prediction = model.call(input);
        const mse = criterion.call(prediction, target);
        const psnr = 10 * log10(1 / mse.itemSync());
        avg_psnr += psnr;
      }
    });
    log(`===> Avg. PSNR: ${(avg_psnr / testing_data_loader.length).toFixed(4)} dB`);
    return avg_psnr / testing_data_loader.length;
  }

  // (checkpoint(epoch) saves the model with torch.save; the test does not write files)
  const figures = { psnr_init: test(), epoch_loss: [], psnr: [] };
  for (let epoch = 1; epoch <= nEpochs; epoch++) {
    figures.epoch_loss.push(train(epoch));
    figures.psnr.push(test());
  }
  return figures;
}

// pytorch/examples siamese_network/main.py, ported line by line: a ResNet-18 trunk (resnet.mjs,
// torchvision's) applied to both images of a pair, a small head on the concatenated features,
// BCELoss, Adadelta lr 1.0 with StepLR gamma 0.7. Shortened: nTrain training digits, nTest test
// digits, batch 16, test batch 80, one epoch. The pairs come from an LCG instead of Python's
// random module.
import * as torch from '../../ts/index.js';
import { mnist, LCG } from './common.mjs';
import { resnet18 } from './resnet.mjs';
const nn = torch.nn, optim = torch.optim;
const { Dataset, DataLoader } = torch.utils.data;
const { StepLR } = torch.optim.lr_scheduler;

/** Siamese network for image similarity estimation (ResNet-18 features of both inputs, concatenated, Linear head, sigmoid). */
class SiameseNetwork extends nn.Module {
  constructor() {
    super();
    let resnet = resnet18();
    resnet.conv1 = new nn.Conv2d(1, 64, [7, 7], { stride: [2, 2], padding: [3, 3], bias: false });
    this.fc_in_features = resnet.fc.in_features;
    // remove the last layer of resnet18 (linear layer which is before avgpool layer)
    this.resnet = new torch.nn.Sequential(...resnet.children().slice(0, -1));
    this.fc = new nn.Sequential(
      new nn.Linear(this.fc_in_features * 2, 256),
      new nn.ReLU(true),
      new nn.Linear(256, 1),
    );
    this.sigmoid = new nn.Sigmoid();
    this.resnet.apply((m) => this.init_weights(m));
    this.fc.apply((m) => this.init_weights(m));
  }

  init_weights(m) {
    if (m instanceof nn.Linear) {
      torch.nn.init.xavier_uniform_(m.weight);
      m.bias.data.fill_(0.01);
    }
  }

  forward_once(x) {
    let output = this.resnet.call(x);
    output = output.view(output.size()[0], -1);
    return output;
  }

  forward(input1, input2) {
    const output1 = this.forward_once(input1);
    const output2 = this.forward_once(input2);
    let output = torch.cat([output1, output2], 1);
    output = this.fc.call(output);
    output = this.sigmoid.call(output);
    return output;
  }
}

/** Pairs of MNIST digits: even indices the same class (different images), odd ones different classes. */
class APP_MATCHER extends Dataset {
  constructor(images, targets, rng) {
    super();
    this.data = images.unsqueeze(1).clone();
    this.targets = targets;
    // Python's random.randint(a, b), inclusive, from the LCG's high bits
    this.random = { randint: (a, b) => a + Math.floor(rng.uniform() * (b - a + 1)) };
    this.group_examples();
  }

  group_examples() {
    const np_arr = this.targets.tolistSync();
    this.grouped_examples = {};
    for (let i = 0; i < 10; i++) this.grouped_examples[i] = np_arr.flatMap((t, j) => (t === i ? [j] : []));
  }

  __len__() { return this.data.shape[0]; }

  __getitem__(index) {
    const random = this.random;
    const selected_class = random.randint(0, 9);
    const random_index_1 = random.randint(0, this.grouped_examples[selected_class].length - 1);
    const index_1 = this.grouped_examples[selected_class][random_index_1];
    const image_1 = this.data.select(0, index_1).clone().float();
    let image_2, target;
    if (index % 2 === 0) {
      let random_index_2 = random.randint(0, this.grouped_examples[selected_class].length - 1);
      while (random_index_2 === random_index_1) random_index_2 = random.randint(0, this.grouped_examples[selected_class].length - 1);
      const index_2 = this.grouped_examples[selected_class][random_index_2];
      image_2 = this.data.select(0, index_2).clone().float();
      target = torch.tensor(1, { dtype: torch.float });
    } else {
      let other_selected_class = random.randint(0, 9);
      while (other_selected_class === selected_class) other_selected_class = random.randint(0, 9);
      const random_index_2 = random.randint(0, this.grouped_examples[other_selected_class].length - 1);
      const index_2 = this.grouped_examples[other_selected_class][random_index_2];
      image_2 = this.data.select(0, index_2).clone().float();
      target = torch.tensor(0, { dtype: torch.float });
    }
    return [image_1, image_2, target];
  }
}

function train(args, model, device, train_loader, optimizer, epoch, losses) {
  model.train();
  const criterion = new nn.BCELoss();
  let batch_idx = 0;
  for (let [images_1, images_2, targets] of train_loader) {
    [images_1, images_2, targets] = [images_1.to(device), images_2.to(device), targets.to(device)];
    optimizer.zero_grad();
    const outputs = model.call(images_1, images_2).squeeze();
    const loss = criterion.call(outputs, targets);
    loss.backward();
    optimizer.step();
    losses.push(loss.itemSync());
    if (batch_idx % args.log_interval === 0) {
      args.log(`Train Epoch: ${epoch} [${batch_idx * images_1.shape[0]}/${train_loader.dataset.__len__()} (${(100 * batch_idx / train_loader.length).toFixed(0)}%)]\tLoss: ${loss.itemSync().toFixed(6)}`);
    }
    batch_idx++;
  }
}

function test(args, model, device, test_loader) {
  model.eval();
  let test_loss = 0;
  let correct = 0;
  const criterion = new nn.BCELoss();
  torch.no_grad(() => {
    for (let [images_1, images_2, targets] of test_loader) {
      [images_1, images_2, targets] = [images_1.to(device), images_2.to(device), targets.to(device)];
      const outputs = model.call(images_1, images_2).squeeze();
      test_loss += criterion.call(outputs, targets).sum().itemSync(); // sum up batch loss
      const pred = torch.where(outputs.gt(0.5), 1, 0);
      correct += pred.eq(targets.view_as(pred)).sum().itemSync();
    }
  });
  const n = test_loader.dataset.__len__();
  test_loss /= n;
  args.log(`\nTest set: Average loss: ${test_loss.toFixed(4)}, Accuracy: ${correct}/${n} (${(100 * correct / n).toFixed(0)}%)\n`);
  return [test_loss, correct / n];
}

export async function main({ batch_size = 16, test_batch_size = 80, epochs = 1, lr = 1.0, gamma = 0.7, seed = 1, log_interval = 10, nTrain = 320, nTest = 160, log = console.log } = {}) {
  const args = { log_interval, log };
  torch.manual_seed(seed);
  const device = torch.device('cpu');
  const rng = new LCG(seed);
  const train_dataset = new APP_MATCHER(...await mnist(true, nTrain), rng);
  const test_dataset = new APP_MATCHER(...await mnist(false, nTest), rng);
  const train_loader = new DataLoader(train_dataset, { batch_size });
  const test_loader = new DataLoader(test_dataset, { batch_size: test_batch_size });

  const model = new SiameseNetwork().to(device);
  const optimizer = new optim.Adadelta(model.parameters(), { lr });
  const scheduler = new StepLR(optimizer, { step_size: 1, gamma });
  const test_before = test(args, model, device, test_loader);
  const losses = [];
  let test_after;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    train(args, model, device, train_loader, optimizer, epoch, losses);
    test_after = test(args, model, device, test_loader);
    scheduler.step();
  }
  return { losses, test_before, test_after };
}

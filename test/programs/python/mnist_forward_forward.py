# PyTorch twin of test/programs/mnist_forward_forward.mjs: pytorch/examples
# mnist_forward_forward/main.py as written (Hinton's forward-forward on a [784, 500, 500] net),
# shortened: train_size 100, test_size 200, epochs 100 per layer (1000 by default); the first
# images of MNIST's splits read from the raw files (no torchvision download). Several seeds;
# records the loss curve of each layer and the train/test errors.
import torch
import torch.nn as nn
from torch.optim import Adam
from common import mnist, write_fixture


class Args:
    epochs, lr, seed, train_size, test_size, threshold, log_interval = 100, 0.03, 1, 100, 200, 2.0, 10
    dims = [784, 500, 500]


args = Args()
device = torch.device('cpu')


def get_y_neg(y):
    y_neg = y.clone()
    for idx, y_samp in enumerate(y):
        allowed_indices = list(range(10))
        allowed_indices.remove(y_samp.item())
        y_neg[idx] = torch.tensor(allowed_indices)[
            torch.randint(len(allowed_indices), size=(1,))
        ].item()
    return y_neg.to(device)


def overlay_y_on_x(x, y, classes=10):
    x_ = x.clone()
    x_[:, :classes] *= 0.0
    x_[range(x.shape[0]), y] = x.max()
    return x_


class Net(torch.nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.layers = []
        for d in range(len(dims) - 1):
            self.layers = self.layers + [Layer(dims[d], dims[d + 1]).to(device)]

    def predict(self, x):
        goodness_per_label = []
        for label in range(10):
            h = overlay_y_on_x(x, label)
            goodness = []
            for layer in self.layers:
                h = layer(h)
                goodness = goodness + [h.pow(2).mean(1)]
            goodness_per_label += [sum(goodness).unsqueeze(1)]
        goodness_per_label = torch.cat(goodness_per_label, 1)
        return goodness_per_label.argmax(1)

    def train(self, x_pos, x_neg):
        h_pos, h_neg = x_pos, x_neg
        for i, layer in enumerate(self.layers):
            h_pos, h_neg = layer.train(h_pos, h_neg)


class Layer(nn.Linear):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__(in_features, out_features, bias, device, dtype)
        self.relu = torch.nn.ReLU()
        self.opt = Adam(self.parameters(), lr=args.lr)
        self.threshold = args.threshold
        self.num_epochs = args.epochs
        self.losses = []

    def forward(self, x):
        x_direction = x / (x.norm(2, 1, keepdim=True) + 1e-4)
        return self.relu(torch.mm(x_direction, self.weight.T) + self.bias.unsqueeze(0))

    def train(self, x_pos, x_neg):
        for i in range(self.num_epochs):
            g_pos = self.forward(x_pos).pow(2).mean(1)
            g_neg = self.forward(x_neg).pow(2).mean(1)
            loss = torch.log1p(
                torch.exp(
                    torch.cat([-g_pos + self.threshold, g_neg - self.threshold])
                )
            ).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            if i % args.log_interval == 0:
                self.losses.append(loss.item())
        self.losses.append(loss.item())
        return self.forward(x_pos).detach(), self.forward(x_neg).detach()


def normalize(images):
    # ToTensor, Normalize((0.1307,), (0.3081,)), flatten
    return ((images.float() / 255 - 0.1307) / 0.3081).flatten(1)


def run(seed):
    torch.manual_seed(seed)
    images, y = mnist(True, args.train_size)
    x = normalize(images)
    net = Net(args.dims)
    x_pos = overlay_y_on_x(x, y)
    y_neg = get_y_neg(y)
    x_neg = overlay_y_on_x(x, y_neg)
    net.train(x_pos, x_neg)
    train_error = 1.0 - net.predict(x).eq(y).float().mean().item()
    images_te, y_te = mnist(False, args.test_size)
    x_te = normalize(images_te)
    test_error = 1.0 - net.predict(x_te).eq(y_te).float().mean().item()
    return {'seed': seed, 'losses': [l.losses for l in net.layers], 'train_error': train_error, 'test_error': test_error}


if __name__ == '__main__':
    runs = [run(s) for s in (1, 2)]
    for r in runs:
        print(r)
    write_fixture('mnist_forward_forward', {'epochs': args.epochs, 'train_size': args.train_size,
                                            'test_size': args.test_size, 'runs': runs})

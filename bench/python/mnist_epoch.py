"""PyTorch's reference run of the MNIST example (pytorch/examples mnist/main.py), one epoch.

Same nets, optimizers, seed and data pipeline as examples/mnist in webtorch, without torchvision:
the IDX .gz files are read directly. Prints one JSON line:
{"arch", "accuracy", "correct", "test_loss", "train_s", "ms_per_step", "steps", "torch"}.

Usage: /usr/bin/python3 bench/python/mnist_epoch.py --arch seed|current --data DIR [--threads 1]
"""
import argparse, gzip, json, os, struct, time

import numpy as np
import torch
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR

from mnist_nets import Current, Seed


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="current")
    p.add_argument("--data", default=os.environ.get("MNIST_DIR", "../shared/data/mnist"))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    def load(prefix):
        x = read_idx(os.path.join(a.data, f"{prefix}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
        y = read_idx(os.path.join(a.data, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64)
        x = (torch.from_numpy(x).unsqueeze(1) - 0.1307) / 0.3081
        return torch.utils.data.TensorDataset(x, torch.from_numpy(y))

    train_loader = torch.utils.data.DataLoader(load("train"), batch_size=64, shuffle=True)
    test_loader = torch.utils.data.DataLoader(load("t10k"), batch_size=1000)
    model = Seed() if a.arch == "seed" else Current()
    if a.arch == "seed":
        opt, sched = optim.SGD(model.parameters(), lr=0.01, momentum=0.5), None
    else:
        opt = optim.Adadelta(model.parameters(), lr=1.0)
        sched = StepLR(opt, step_size=1, gamma=0.7)

    model.train()
    t0 = time.perf_counter()
    steps = 0
    for data, target in train_loader:
        opt.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        opt.step()
        steps += 1
    train_s = time.perf_counter() - t0
    if sched:
        sched.step()

    model.eval()
    test_loss, correct = 0.0, 0
    with torch.no_grad():
        for data, target in test_loader:
            out = model(data)
            test_loss += F.nll_loss(out, target, reduction="sum").item()
            correct += out.argmax(dim=1).eq(target).sum().item()
    n = len(test_loader.dataset)
    print(json.dumps({"arch": a.arch, "accuracy": 100.0 * correct / n, "correct": correct, "test_loss": test_loss / n,
                      "train_s": train_s, "ms_per_step": 1000 * train_s / steps, "steps": steps, "torch": torch.__version__}))


if __name__ == "__main__":
    main()

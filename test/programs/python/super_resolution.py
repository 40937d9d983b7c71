# PyTorch twin of test/programs/super_resolution.mjs: pytorch/examples super_resolution
# (main.py, model.py) as written, on MNIST digits instead of BSDS300 (no network): the target is a
# 28x28 digit in [0, 1] (crop 28 = calculate_valid_crop_size(28, 2)), the input its 2x2 average
# (F.avg_pool2d in place of PIL's Resize, identical in both libraries). Shortened: TRAIN images,
# TEST test images, nEpochs 4 (the default 2 on 512 digits is
# too few steps to leave the flat start), upscale_factor 2; run for several seeds, records losses and PSNRs,
# and seed 1's initial weights for the port.
from math import log10
import torch
import torch.nn as nn
import torch.nn.init as init
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
import os
from common import FIXTURES, mnist, write_fixture

TRAIN, TEST = 512, 100
upscale_factor, batchSize, testBatchSize, nEpochs, lr = 2, 64, 10, 4, 0.01


class Net(nn.Module):
    def __init__(self, upscale_factor):
        super(Net, self).__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 64, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(64, 64, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(64, 32, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(32, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self._initialize_weights()

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        x = self.pixel_shuffle(self.conv4(x))
        return x

    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv2.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv3.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv4.weight)


def pairs(train, n):
    images, _ = mnist(train, n)
    target = images.float().div(255).unsqueeze(1)
    return TensorDataset(F.avg_pool2d(target, upscale_factor), target)


def run(seed):
    torch.manual_seed(seed)
    train_set, test_set = pairs(True, TRAIN), pairs(False, TEST)
    training_data_loader = DataLoader(dataset=train_set, batch_size=batchSize, shuffle=True)
    testing_data_loader = DataLoader(dataset=test_set, batch_size=testBatchSize, shuffle=False)
    model = Net(upscale_factor=upscale_factor)
    if seed == 1:  # the port starts from these weights too
        torch.save(model.state_dict(), os.path.join(FIXTURES, 'super_resolution_init.pt'))
    criterion = nn.MSELoss()
    optimizer = optim.Adam(model.parameters(), lr=lr)

    def train(epoch):
        epoch_loss = 0
        for iteration, batch in enumerate(training_data_loader, 1):
            input, target = batch[0], batch[1]
            optimizer.zero_grad()
            loss = criterion(model(input), target)
            epoch_loss += loss.item()
            loss.backward()
            optimizer.step()
        return epoch_loss / len(training_data_loader)

    def test():
        avg_psnr = 0
        with torch.no_grad():
            for batch in testing_data_loader:
                input, target = batch[0], batch[1]
                prediction = model(input)
                mse = criterion(prediction, target)
                psnr = 10 * log10(1 / mse.item())
                avg_psnr += psnr
        return avg_psnr / len(testing_data_loader)

    figures = {'seed': seed, 'psnr_init': test(), 'epoch_loss': [], 'psnr': []}
    for epoch in range(1, nEpochs + 1):
        figures['epoch_loss'].append(train(epoch))
        figures['psnr'].append(test())
    return figures


if __name__ == '__main__':
    runs = [run(s) for s in (123, 1, 2)]
    for r in runs:
        print(r)
    write_fixture('super_resolution', {'train': TRAIN, 'test': TEST, 'nEpochs': nEpochs, 'runs': runs})

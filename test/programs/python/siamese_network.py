# PyTorch twin of test/programs/siamese_network.mjs: pytorch/examples siamese_network/main.py as
# written (torchvision's ResNet-18 trunk, BCELoss, Adadelta lr 1.0, StepLR gamma 0.7), shortened:
# N_TRAIN training digits, N_TEST test digits, batch 16, test batch 80, one epoch. The pairs come
# from Python's random module as in the original (the port draws them from an LCG). Several seeds;
# records the training losses and the test loss/accuracy before and after the epoch.
import random
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
from torch.utils.data import Dataset
from torch.optim.lr_scheduler import StepLR
from common import mnist, write_fixture

N_TRAIN, N_TEST = 320, 160
batch_size, test_batch_size, epochs, lr, gamma = 16, 80, 1, 1.0, 0.7


class SiameseNetwork(nn.Module):
    def __init__(self):
        super(SiameseNetwork, self).__init__()
        self.resnet = torchvision.models.resnet18(weights=None)
        self.resnet.conv1 = nn.Conv2d(1, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)
        self.fc_in_features = self.resnet.fc.in_features
        self.resnet = torch.nn.Sequential(*(list(self.resnet.children())[:-1]))
        self.fc = nn.Sequential(
            nn.Linear(self.fc_in_features * 2, 256),
            nn.ReLU(inplace=True),
            nn.Linear(256, 1),
        )
        self.sigmoid = nn.Sigmoid()
        self.resnet.apply(self.init_weights)
        self.fc.apply(self.init_weights)

    def init_weights(self, m):
        if isinstance(m, nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            m.bias.data.fill_(0.01)

    def forward_once(self, x):
        output = self.resnet(x)
        output = output.view(output.size()[0], -1)
        return output

    def forward(self, input1, input2):
        output1 = self.forward_once(input1)
        output2 = self.forward_once(input2)
        output = torch.cat((output1, output2), 1)
        output = self.fc(output)
        output = self.sigmoid(output)
        return output


class APP_MATCHER(Dataset):
    def __init__(self, train, n):
        super(APP_MATCHER, self).__init__()
        images, targets = mnist(train, n)
        self.data = images.unsqueeze(1).clone()
        self.targets = targets
        self.group_examples()

    def group_examples(self):
        np_arr = np.array(self.targets.clone())
        self.grouped_examples = {}
        for i in range(0, 10):
            self.grouped_examples[i] = np.where((np_arr == i))[0]

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        selected_class = random.randint(0, 9)
        random_index_1 = random.randint(0, self.grouped_examples[selected_class].shape[0]-1)
        index_1 = self.grouped_examples[selected_class][random_index_1]
        image_1 = self.data[index_1].clone().float()
        if index % 2 == 0:
            random_index_2 = random.randint(0, self.grouped_examples[selected_class].shape[0]-1)
            while random_index_2 == random_index_1:
                random_index_2 = random.randint(0, self.grouped_examples[selected_class].shape[0]-1)
            index_2 = self.grouped_examples[selected_class][random_index_2]
            image_2 = self.data[index_2].clone().float()
            target = torch.tensor(1, dtype=torch.float)
        else:
            other_selected_class = random.randint(0, 9)
            while other_selected_class == selected_class:
                other_selected_class = random.randint(0, 9)
            random_index_2 = random.randint(0, self.grouped_examples[other_selected_class].shape[0]-1)
            index_2 = self.grouped_examples[other_selected_class][random_index_2]
            image_2 = self.data[index_2].clone().float()
            target = torch.tensor(0, dtype=torch.float)
        return image_1, image_2, target


def train(model, train_loader, optimizer, losses):
    model.train()
    criterion = nn.BCELoss()
    for batch_idx, (images_1, images_2, targets) in enumerate(train_loader):
        optimizer.zero_grad()
        outputs = model(images_1, images_2).squeeze()
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())


def test(model, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    criterion = nn.BCELoss()
    with torch.no_grad():
        for (images_1, images_2, targets) in test_loader:
            outputs = model(images_1, images_2).squeeze()
            test_loss += criterion(outputs, targets).sum().item()
            pred = torch.where(outputs > 0.5, 1, 0)
            correct += pred.eq(targets.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    return test_loss, correct / len(test_loader.dataset)


def run(seed):
    torch.manual_seed(seed)
    random.seed(seed)
    train_loader = torch.utils.data.DataLoader(APP_MATCHER(True, N_TRAIN), batch_size=batch_size)
    test_loader = torch.utils.data.DataLoader(APP_MATCHER(False, N_TEST), batch_size=test_batch_size)
    model = SiameseNetwork()
    optimizer = optim.Adadelta(model.parameters(), lr=lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=gamma)
    before = test(model, test_loader)
    losses = []
    for epoch in range(1, epochs + 1):
        train(model, train_loader, optimizer, losses)
        after = test(model, test_loader)
        scheduler.step()
    return {'seed': seed, 'losses': losses, 'test_before': before, 'test_after': after}


if __name__ == '__main__':
    runs = [run(s) for s in (1, 2)]
    for r in runs:
        print(r['seed'], r['losses'][:3], r['losses'][-3:], r['test_before'], r['test_after'])
    write_fixture('siamese_network', {'n_train': N_TRAIN, 'n_test': N_TEST, 'batch_size': batch_size,
                                      'test_batch_size': test_batch_size, 'runs': runs})

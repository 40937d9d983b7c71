# PyTorch twin of test/programs/regression.mjs: pytorch/examples regression/main.py as written,
# shortened to at most MAX_BATCHES batches, seeded, run for several seeds; records the losses.
import torch
import torch.nn.functional as F
from itertools import count
from common import write_fixture

POLY_DEGREE = 4
MAX_BATCHES = 400


def run(seed):
    torch.manual_seed(seed)
    W_target = torch.randn(POLY_DEGREE, 1) * 5
    b_target = torch.randn(1) * 5

    def make_features(x):
        x = x.unsqueeze(1)
        return torch.cat([x ** i for i in range(1, POLY_DEGREE+1)], 1)

    def f(x):
        return x.mm(W_target) + b_target.item()

    def get_batch(batch_size=32):
        random = torch.randn(batch_size)
        x = make_features(random)
        y = f(x)
        return x, y

    fc = torch.nn.Linear(W_target.size(0), 1)
    losses = []
    for batch_idx in count(1):
        batch_x, batch_y = get_batch()
        fc.zero_grad()
        output = F.smooth_l1_loss(fc(batch_x), batch_y)
        loss = output.item()
        losses.append(loss)
        output.backward()
        for param in fc.parameters():
            param.data.add_(-0.1 * param.grad)
        if loss < 1e-3 or batch_idx >= MAX_BATCHES:
            break
    # mean of the last 20 losses: one batch's loss is noisy
    return {'seed': seed, 'initial_loss': losses[0], 'final_loss': loss, 'batches': batch_idx,
            'last20_mean': sum(losses[-20:]) / len(losses[-20:])}


runs = [run(s) for s in range(1, 6)]
for r in runs:
    print(r)
write_fixture('regression', {'max_batches': MAX_BATCHES, 'runs': runs})

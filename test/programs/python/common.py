# Shared by the Python twins of test/programs/*.mjs: the same seeded LCG, CartPole-v1 and MNIST
# reader as test/programs/common.mjs, so both libraries see identical environments and data.
import gzip, json, math, os, struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
MNIST_DIR = os.environ.get('MNIST_DIR', '/work/shared/data/mnist')


class LCG:
    """Numerical Recipes' 32-bit LCG; uniform() in [0, 1)."""
    def __init__(self, seed):
        self.state = seed & 0xffffffff

    def next(self):
        self.state = (self.state * 1664525 + 1013904223) & 0xffffffff
        return self.state

    def uniform(self, lo=0.0, hi=1.0):
        return lo + (hi - lo) * (self.next() / 4294967296)

    def randint(self, n):
        return self.next() % n


class CartPole:
    """gym's CartPole-v1 (classic_control/cartpole.py): same constants, Euler integration,
    termination and 500-step truncation; the reset state is drawn from an LCG."""
    reward_threshold = 475.0

    def __init__(self, seed):
        self.gravity, self.masscart, self.masspole = 9.8, 1.0, 0.1
        self.total_mass = self.masspole + self.masscart
        self.length = 0.5
        self.polemass_length = self.masspole * self.length
        self.force_mag, self.tau = 10.0, 0.02
        self.theta_threshold_radians = 12 * 2 * math.pi / 360
        self.x_threshold = 2.4
        self.rng = LCG(seed)
        self.state = None

    def reset(self):
        self.state = [self.rng.uniform(-0.05, 0.05) for _ in range(4)]
        self.steps = 0
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + self.polemass_length * theta_dot ** 2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta ** 2 / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = [x, x_dot, theta, theta_dot]
        self.steps += 1
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        truncated = self.steps >= 500
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}


def mnist(train, n):
    """The first n images (uint8, N x 28 x 28) and labels of MNIST's train or test split."""
    prefix = 'train' if train else 't10k'
    with gzip.open(os.path.join(MNIST_DIR, f'{prefix}-images-idx3-ubyte.gz')) as f:
        _, count, rows, cols = struct.unpack('>IIII', f.read(16))
        images = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8).reshape(n, rows, cols)
    with gzip.open(os.path.join(MNIST_DIR, f'{prefix}-labels-idx1-ubyte.gz')) as f:
        f.read(8)
        labels = np.frombuffer(f.read(n), dtype=np.uint8)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def write_fixture(name, figures):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name + '.json')
    with open(path, 'w') as f:
        json.dump(figures, f, indent=1)
        f.write('\n')
    print('wrote', path)


def citation_graph(seed, V=300, C=4, F=100, words=8, edges_per_node=3):
    """A synthetic stand-in for Cora (no network here): V papers in C classes, binary bag-of-words
    features over F words (each word from the paper's class block with probability 0.35, else any
    word) and directed citations, each to a paper of the same class with probability 0.7.
    Returns (content rows [id, *features, label], cites [[src, dst]]) as load_cora reads them."""
    rng = LCG(seed)
    labels = [rng.randint(C) for _ in range(V)]
    members = [[i for i in range(V) if labels[i] == c] for c in range(C)]
    block = F // C
    content = []
    for i in range(V):
        feat = [0] * F
        for _ in range(words):
            w = labels[i] * block + rng.randint(block) if rng.uniform() < 0.35 else rng.randint(F)
            feat[w] = 1
        content.append([1000 + i] + feat + [labels[i]])
    cites = []
    for i in range(V):
        for _ in range(edges_per_node):
            same = members[labels[i]]
            j = same[rng.randint(len(same))] if rng.uniform() < 0.7 else rng.randint(V)
            cites.append([1000 + i, 1000 + j])
    return content, cites

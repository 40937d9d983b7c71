# PyTorch twin of test/programs/reinforce.mjs: pytorch/examples reinforcement_learning/reinforce.py
# as written, on common.CartPole (gym's CartPole-v1 equations) instead of gym, shortened to
# EPISODES episodes; run for several seeds, records the episode rewards.
from collections import deque
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical
from common import CartPole, write_fixture

EPISODES = 40
gamma = 0.99


def run(seed):
    env = CartPole(seed)
    torch.manual_seed(seed)

    class Policy(nn.Module):
        def __init__(self):
            super(Policy, self).__init__()
            self.affine1 = nn.Linear(4, 128)
            self.dropout = nn.Dropout(p=0.6)
            self.affine2 = nn.Linear(128, 2)
            self.saved_log_probs = []
            self.rewards = []

        def forward(self, x):
            x = self.affine1(x)
            x = self.dropout(x)
            x = F.relu(x)
            action_scores = self.affine2(x)
            return F.softmax(action_scores, dim=1)

    policy = Policy()
    optimizer = optim.Adam(policy.parameters(), lr=1e-2)
    eps = np.finfo(np.float32).eps.item()

    def select_action(state):
        state = torch.from_numpy(state).float().unsqueeze(0)
        probs = policy(state)
        m = Categorical(probs)
        action = m.sample()
        policy.saved_log_probs.append(m.log_prob(action))
        return action.item()

    def finish_episode():
        R = 0
        policy_loss = []
        returns = deque()
        for r in policy.rewards[::-1]:
            R = r + gamma * R
            returns.appendleft(R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        for log_prob, R in zip(policy.saved_log_probs, returns):
            policy_loss.append(-log_prob * R)
        optimizer.zero_grad()
        policy_loss = torch.cat(policy_loss).sum()
        policy_loss.backward()
        optimizer.step()
        del policy.rewards[:]
        del policy.saved_log_probs[:]

    running_reward = 10
    ep_rewards = []
    for i_episode in range(1, EPISODES + 1):
        state, _ = env.reset()
        ep_reward = 0
        for t in range(1, 10000):
            action = select_action(state)
            state, reward, terminated, truncated, _ = env.step(action)
            policy.rewards.append(reward)
            ep_reward += reward
            if terminated or truncated:
                break
        running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
        ep_rewards.append(ep_reward)
        finish_episode()
    return {'seed': seed, 'running_reward': running_reward, 'ep_rewards': ep_rewards}


if __name__ == '__main__':
    runs = [run(s) for s in (543, 1, 2, 3, 4, 5)]
    for r in runs:
        print(r['seed'], r['running_reward'], sum(r['ep_rewards'][:10]) / 10, sum(r['ep_rewards'][-10:]) / 10)
    write_fixture('reinforce', {'episodes': EPISODES, 'runs': runs})

# PyTorch twin of test/programs/actor_critic.mjs: pytorch/examples
# reinforcement_learning/actor_critic.py as written, on common.CartPole (gym's CartPole-v1
# equations) instead of gym, shortened to EPISODES episodes; run for several seeds, records the
# episode rewards.
from collections import namedtuple
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical
from common import CartPole, write_fixture

EPISODES = 40
gamma = 0.99
SavedAction = namedtuple('SavedAction', ['log_prob', 'value'])


def run(seed):
    env = CartPole(seed)
    torch.manual_seed(seed)

    class Policy(nn.Module):
        def __init__(self):
            super(Policy, self).__init__()
            self.affine1 = nn.Linear(4, 128)
            self.action_head = nn.Linear(128, 2)
            self.value_head = nn.Linear(128, 1)
            self.saved_actions = []
            self.rewards = []

        def forward(self, x):
            x = F.relu(self.affine1(x))
            action_prob = F.softmax(self.action_head(x), dim=-1)
            state_values = self.value_head(x)
            return action_prob, state_values

    model = Policy()
    optimizer = optim.Adam(model.parameters(), lr=3e-2)
    eps = np.finfo(np.float32).eps.item()

    def select_action(state):
        state = torch.from_numpy(state).float()
        probs, state_value = model(state)
        m = Categorical(probs)
        action = m.sample()
        model.saved_actions.append(SavedAction(m.log_prob(action), state_value))
        return action.item()

    def finish_episode():
        R = 0
        saved_actions = model.saved_actions
        policy_losses = []
        value_losses = []
        returns = []
        for r in model.rewards[::-1]:
            R = r + gamma * R
            returns.insert(0, R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        for (log_prob, value), R in zip(saved_actions, returns):
            advantage = R - value.item()
            policy_losses.append(-log_prob * advantage)
            value_losses.append(F.smooth_l1_loss(value, torch.tensor([R])))
        optimizer.zero_grad()
        loss = torch.stack(policy_losses).sum() + torch.stack(value_losses).sum()
        loss.backward()
        optimizer.step()
        del model.rewards[:]
        del model.saved_actions[:]

    running_reward = 10
    ep_rewards = []
    for i_episode in range(1, EPISODES + 1):
        state, _ = env.reset()
        ep_reward = 0
        for t in range(1, 10000):
            action = select_action(state)
            state, reward, terminated, truncated, _ = env.step(action)
            model.rewards.append(reward)
            ep_reward += reward
            if terminated or truncated:
                break
        running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
        ep_rewards.append(ep_reward)
        finish_episode()
    return {'seed': seed, 'running_reward': running_reward, 'ep_rewards': ep_rewards}


if __name__ == '__main__':
    runs = [run(s) for s in (543, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)]
    for r in runs:
        e = r['ep_rewards']
        print(r['seed'], r['running_reward'], [sum(e[i:i+10]) / 10 for i in range(0, EPISODES, 10)])
    write_fixture('actor_critic', {'episodes': EPISODES, 'runs': runs})

// pytorch/examples reinforcement_learning/reinforce.py, ported line by line: REINFORCE on
// CartPole-v1. gym is Python-only: the environment is common.mjs's CartPole (gym's equations,
// reset state from a seeded LCG). Shortened: `episodes` episodes instead of running until solved.
import * as torch from '../../ts/index.js';
import { CartPole } from './common.mjs';
const nn = torch.nn, F = torch.nn.functional, optim = torch.optim;
const { Categorical } = torch.distributions;

export function main({ gamma = 0.99, seed = 543, log_interval = 10, episodes = 40, log = console.log } = {}) {
  const env = new CartPole(seed);
  torch.manual_seed(seed);

  class Policy extends nn.Module {
    constructor() {
      super();
      this.affine1 = new nn.Linear(4, 128);
      this.dropout = new nn.Dropout({ p: 0.6 });
      this.affine2 = new nn.Linear(128, 2);

      this.saved_log_probs = [];
      this.rewards = [];
    }

    forward(x) {
      x = this.affine1.call(x);
      x = this.dropout.call(x);
      x = F.relu(x);
      const action_scores = this.affine2.call(x);
      return F.softmax(action_scores, { dim: 1 });
    }
  }

  const policy = new Policy();
  const optimizer = new optim.Adam(policy.parameters(), { lr: 1e-2 });
  const eps = 1.1920928955078125e-07; // np.finfo(np.float32).eps

  function select_action(state) {
    state = torch.from_numpy(state).float().unsqueeze(0);
    const probs = policy.call(state);
    const m = new Categorical(probs);
    const action = m.sample();
    policy.saved_log_probs.push(m.log_prob(action));
    return action.itemSync();
  }

  function finish_episode() {
    let R = 0;
    let policy_loss = [];
    const returns_ = [];
    for (const r of [...policy.rewards].reverse()) {
      R = r + gamma * R;
      returns_.unshift(R);
    }
    let returns = torch.tensor(returns_);
    returns = returns.sub(returns.mean()).div(returns.std().add(eps));
    // zip(policy.saved_log_probs, returns): a tensor's rows are its unbind(0)
    const Rs = returns.unbind(0);
    policy.saved_log_probs.forEach((log_prob, i) => policy_loss.push(log_prob.neg().mul(Rs[i])));
    optimizer.zero_grad();
    policy_loss = torch.cat(policy_loss).sum();
    policy_loss.backward();
    optimizer.step();
    policy.rewards.length = 0;
    policy.saved_log_probs.length = 0;
  }

  let running_reward = 10;
  const ep_rewards = [];
  for (let i_episode = 1; i_episode <= episodes; i_episode++) {
    let [state] = env.reset();
    let ep_reward = 0;
    for (let t = 1; t < 10000; t++) { // Don't infinite loop while learning
      const action = select_action(state);
      let reward, terminated, truncated;
      [state, reward, terminated, truncated] = env.step(action);
      policy.rewards.push(reward);
      ep_reward += reward;
      if (terminated || truncated) break;
    }

    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward;
    ep_rewards.push(ep_reward);
    finish_episode();
    if (i_episode % log_interval === 0) log(`Episode ${i_episode}\tLast reward: ${ep_reward.toFixed(2)}\tAverage reward: ${running_reward.toFixed(2)}`);
    if (running_reward > env.spec.reward_threshold) { log(`Solved! Running reward is now ${running_reward}`); break; }
  }
  return { running_reward, ep_rewards };
}

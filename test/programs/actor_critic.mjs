// pytorch/examples reinforcement_learning/actor_critic.py, ported line by line: one-step
// actor-critic on CartPole-v1. gym is Python-only: the environment is common.mjs's CartPole (gym's
// equations, reset state from a seeded LCG). Shortened: `episodes` episodes instead of running
// until solved.
import * as torch from '../../ts/index.js';
import { CartPole } from './common.mjs';
const nn = torch.nn, F = torch.nn.functional, optim = torch.optim;
const { Categorical } = torch.distributions;

export function main({ gamma = 0.99, seed = 543, log_interval = 10, episodes = 40, log = console.log } = {}) {
  const env = new CartPole(seed);
  torch.manual_seed(seed);

  // SavedAction = namedtuple('SavedAction', ['log_prob', 'value'])
  const SavedAction = (log_prob, value) => ({ log_prob, value });

  /** implements both actor and critic in one model */
  class Policy extends nn.Module {
    constructor() {
      super();
      this.affine1 = new nn.Linear(4, 128);

      // actor's layer
      this.action_head = new nn.Linear(128, 2);

      // critic's layer
      this.value_head = new nn.Linear(128, 1);

      // action & reward buffer
      this.saved_actions = [];
      this.rewards = [];
    }

    /** forward of both actor and critic */
    forward(x) {
      x = F.relu(this.affine1.call(x));

      // actor: choses action to take from state s_t by returning probability of each action
      const action_prob = F.softmax(this.action_head.call(x), { dim: -1 });

      // critic: evaluates being in the state s_t
      const state_values = this.value_head.call(x);

      return [action_prob, state_values];
    }
  }

  const model = new Policy();
  const optimizer = new optim.Adam(model.parameters(), { lr: 3e-2 });
  const eps = 1.1920928955078125e-07; // np.finfo(np.float32).eps

  function select_action(state) {
    state = torch.from_numpy(state).float();
    const [probs, state_value] = model.call(state);

    // create a categorical distribution over the list of probabilities of actions
    const m = new Categorical(probs);

    // and sample an action using the distribution
    const action = m.sample();

    // save to action buffer
    model.saved_actions.push(SavedAction(m.log_prob(action), state_value));

    // the action to take (left or right)
    return action.itemSync();
  }

  /** Training code. Calculates actor and critic loss and performs backprop. */
  function finish_episode() {
    let R = 0;
    const saved_actions = model.saved_actions;
    const policy_losses = []; // list to save actor (policy) loss
    const value_losses = []; // list to save critic (value) loss
    const returns_ = []; // list to save the true values

    // calculate the true value using rewards returned from the environment
    for (const r of [...model.rewards].reverse()) {
      // calculate the discounted value
      R = r + gamma * R;
      returns_.unshift(R);
    }

    let returns = torch.tensor(returns_);
    returns = returns.sub(returns.mean()).div(returns.std().add(eps));

    // zip(saved_actions, returns): a tensor's rows are its unbind(0)
    const Rs = returns.unbind(0);
    saved_actions.forEach(({ log_prob, value }, i) => {
      const R = Rs[i];
      const advantage = R.sub(value.itemSync());

      // calculate actor (policy) loss
      policy_losses.push(log_prob.neg().mul(advantage));

      // calculate critic (value) loss using L1 smooth loss
      value_losses.push(F.smooth_l1_loss(value, torch.tensor([R.itemSync()])));
    });

    // reset gradients
    optimizer.zero_grad();

    // sum up all the values of policy_losses and value_losses
    const loss = torch.stack(policy_losses).sum().add(torch.stack(value_losses).sum());

    // perform backprop
    loss.backward();
    optimizer.step();

    // reset rewards and action buffer
    model.rewards.length = 0;
    model.saved_actions.length = 0;
  }

  let running_reward = 10;
  const ep_rewards = [];
  for (let i_episode = 1; i_episode <= episodes; i_episode++) {
    // reset environment and episode reward
    let [state] = env.reset();
    let ep_reward = 0;

    // for each episode, only run 9999 steps so that we don't infinite loop while learning
    for (let t = 1; t < 10000; t++) {
      // select action from policy
      const action = select_action(state);

      // take the action
      let reward, terminated, truncated;
      [state, reward, terminated, truncated] = env.step(action);

      model.rewards.push(reward);
      ep_reward += reward;
      if (terminated || truncated) break;
    }

    // update cumulative reward
    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward;
    ep_rewards.push(ep_reward);

    // perform backprop
    finish_episode();

    // log results
    if (i_episode % log_interval === 0) log(`Episode ${i_episode}\tLast reward: ${ep_reward.toFixed(2)}\tAverage reward: ${running_reward.toFixed(2)}`);

    // check if we have "solved" the cart pole problem
    if (running_reward > env.spec.reward_threshold) { log(`Solved! Running reward is now ${running_reward}`); break; }
  }
  return { running_reward, ep_rewards };
}

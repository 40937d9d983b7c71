// actor_critic (pytorch/examples reinforcement_learning/actor_critic.py) ported to webtorch
// learns as in PyTorch 1.13: same configuration on the same CartPole, thresholds from PyTorch's
// runs over twelve seeds (fixtures/actor_critic.json). With the original's lr=3e-2 about half of
// PyTorch's runs collapse to one action (episodes of ~9 steps) and the rest learn, so the port
// runs two seeds and must learn in one of them (PyTorch's criterion: mean over the second half
// above 20 and 1.2 times the first ten) at least 0.4 times as far as PyTorch's median learning run.
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main } from './actor_critic.mjs';
// @ts-expect-error plain JS module without types
import { fixture } from './common.mjs';
import { learningFigures } from './rl_figures.js';

const pt = fixture('actor_critic');
// seeds 1 and 3 as well were run once: 1 learns to 187.65, 3 collapses; a learning run is slow
// (thousands of steps), so CI runs 543 (learns, 19.5 -> 29.45) and 2 (collapses, 9.7 -> 9.55)
const SEEDS = [543, 2];

describe('program: actor_critic', () => {
  it('actor-critic on CartPole: episodes lengthen as in PyTorch', () => {
    const ref = pt.runs.map((x: any) => learningFigures(x.ep_rewards));
    const js = SEEDS.map((seed) => learningFigures(main({ seed, episodes: pt.episodes, log: () => {} }).ep_rewards));
    console.log('webtorch', js, '\nPyTorch', ref);
    const learned = (f: { first: number; late: number }): boolean => f.late > 20 && f.late > 1.2 * f.first;
    const ptLearned = ref.filter(learned).map((f: any) => f.late).sort((a: number, b: number) => a - b);
    const ptMedian = ptLearned[Math.floor(ptLearned.length / 2)];
    const jsLearned = js.filter(learned);
    expect(jsLearned.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...jsLearned.map((f) => f.late))).toBeGreaterThan(0.4 * ptMedian);
  });
});

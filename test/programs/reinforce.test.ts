// reinforce (pytorch/examples reinforcement_learning/reinforce.py) ported to webtorch learns as in
// PyTorch 1.13: same configuration on the same CartPole, thresholds from PyTorch's runs over six
// seeds (fixtures/reinforce.json). Sampling streams differ between the libraries, so the check
// is on learning: the episode length over the second half against PyTorch's and the first ten.
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main } from './reinforce.mjs';
// @ts-expect-error plain JS module without types
import { fixture } from './common.mjs';
import { learningFigures } from './rl_figures.js';

const pt = fixture('reinforce');

describe('program: reinforce', () => {
  it('REINFORCE on CartPole: episodes lengthen as in PyTorch', () => {
    const lines: string[] = [];
    const r = main({ seed: 543, episodes: pt.episodes, log: (s: string) => lines.push(s) });
    const js = learningFigures(r.ep_rewards), ref = pt.runs.map((x: any) => learningFigures(x.ep_rewards));
    console.log(lines.join('\n'), '\nwebtorch', js, '\nPyTorch', ref);
    expect(lines[0]).toMatch(/^Episode 10\tLast reward: \d+\.00\tAverage reward: \d+\.\d\d$/);
    expect(js.late).toBeGreaterThan(0.6 * Math.min(...ref.map((x: any) => x.late)));
    expect(js.late).toBeGreaterThan(1.5 * js.first);
  });
});

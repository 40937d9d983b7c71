// Shared by the ported programs: the seeded LCG, CartPole-v1 and MNIST access that their Python
// twins (test/programs/python/common.py) implement identically, and the recorded PyTorch figures.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as torch from '../../ts/index.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const MNIST_DIR = resolve(ROOT, process.env.MNIST_DIR ?? '../shared/data/mnist');
export const HAVE_MNIST = existsSync(join(MNIST_DIR, 'train-images-idx3-ubyte.gz'));

/** PyTorch 1.13's figures for a program, written by test/programs/python/<name>.py */
export function fixture(name) {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

/** Numerical Recipes' 32-bit LCG; uniform() in [0, 1). */
export class LCG {
  constructor(seed) { this.state = seed >>> 0; }
  next() { this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0; return this.state; }
  uniform(lo = 0, hi = 1) { return lo + (hi - lo) * (this.next() / 4294967296); }
  randint(n) { return this.next() % n; }
}

/** gym's CartPole-v1: same constants, Euler integration, termination and 500-step truncation;
 * the reset state is drawn from an LCG (gym is Python-only). Observations are float32 as in gym. */
export class CartPole {
  constructor(seed) {
    this.gravity = 9.8; this.masscart = 1.0; this.masspole = 0.1;
    this.total_mass = this.masspole + this.masscart;
    this.length = 0.5;
    this.polemass_length = this.masspole * this.length;
    this.force_mag = 10.0; this.tau = 0.02;
    this.theta_threshold_radians = 12 * 2 * Math.PI / 360;
    this.x_threshold = 2.4;
    this.rng = new LCG(seed);
    this.spec = { reward_threshold: 475.0 };
  }
  reset() {
    this.state = [0, 1, 2, 3].map(() => this.rng.uniform(-0.05, 0.05));
    this.steps = 0;
    return [Float32Array.from(this.state), {}];
  }
  step(action) {
    let [x, x_dot, theta, theta_dot] = this.state;
    const force = action === 1 ? this.force_mag : -this.force_mag;
    const costheta = Math.cos(theta), sintheta = Math.sin(theta);
    const temp = (force + this.polemass_length * theta_dot ** 2 * sintheta) / this.total_mass;
    const thetaacc = (this.gravity * sintheta - costheta * temp) /
      (this.length * (4.0 / 3.0 - this.masspole * costheta ** 2 / this.total_mass));
    const xacc = temp - this.polemass_length * thetaacc * costheta / this.total_mass;
    x = x + this.tau * x_dot;
    x_dot = x_dot + this.tau * xacc;
    theta = theta + this.tau * theta_dot;
    theta_dot = theta_dot + this.tau * thetaacc;
    this.state = [x, x_dot, theta, theta_dot];
    this.steps += 1;
    const terminated = x < -this.x_threshold || x > this.x_threshold ||
      theta < -this.theta_threshold_radians || theta > this.theta_threshold_radians;
    const truncated = this.steps >= 500;
    return [Float32Array.from(this.state), 1.0, terminated, truncated, {}];
  }
}

/** The first n images (uint8, N x 28 x 28) and labels (int64) of MNIST's train or test split. */
export async function mnist(train, n) {
  const ds = await new torch.datasets.MNIST(MNIST_DIR, { train, download: false }).ready();
  return [ds.data.narrow(0, 0, n), ds.targets.narrow(0, 0, n)];
}

/** A synthetic stand-in for Cora (no network here): V papers in C classes, binary bag-of-words
 * features over F words (each word from the paper's class block with probability 0.35, else any
 * word) and directed citations, each to a paper of the same class with probability 0.7. Returns
 * [content rows [id, ...features, label], cites [[src, dst]]] as load_cora reads them; the same
 * generator as python/common.py's citation_graph. */
export function citation_graph(seed, V = 300, C = 4, F = 100, words = 8, edges_per_node = 3) {
  const rng = new LCG(seed);
  const labels = Array.from({ length: V }, () => rng.randint(C));
  const members = Array.from({ length: C }, (_, c) => labels.map((l, i) => [l, i]).filter(([l]) => l === c).map(([, i]) => i));
  const block = Math.floor(F / C);
  const content = [];
  for (let i = 0; i < V; i++) {
    const feat = new Array(F).fill(0);
    for (let k = 0; k < words; k++) {
      const w = rng.uniform() < 0.35 ? labels[i] * block + rng.randint(block) : rng.randint(F);
      feat[w] = 1;
    }
    content.push([1000 + i, ...feat, labels[i]]);
  }
  const cites = [];
  for (let i = 0; i < V; i++) {
    for (let k = 0; k < edges_per_node; k++) {
      const same = members[labels[i]];
      const j = rng.uniform() < 0.7 ? same[rng.randint(same.length)] : rng.randint(V);
      cites.push([1000 + i, 1000 + j]);
    }
  }
  return [content, cites];
}

// gcn (pytorch/examples gcn/main.py) ported to webtorch learns as in PyTorch 1.13: the same
// synthetic citation graph (identical features and renormalised sparse adjacency in both
// libraries), the original's defaults, thresholds from PyTorch's runs over three seeds
// (fixtures/gcn.json).
import { describe, it, expect } from 'vitest';
// @ts-expect-error plain JS program without types
import { main, load_graph } from './gcn.mjs';
// @ts-expect-error plain JS module without types
import { fixture } from './common.mjs';

const pt = fixture('gcn');

describe('program: gcn', () => {
  it('builds the same sparse graph as PyTorch', () => {
    const [features, labels, adj] = load_graph(7);
    expect(features.is_sparse && adj.is_sparse).toBe(true);
    expect(features.to_dense().sum().itemSync()).toBeCloseTo(pt.graph.features_sum, 3);
    expect(adj.to_dense().sum().itemSync()).toBeCloseTo(pt.graph.adj_sum, 3);
    expect(adj._nnz()).toBe(pt.graph.adj_nnz);
    expect(labels.sum().itemSync()).toBe(pt.graph.labels_sum);
  });

  it('two graph convolutions learn the classes as in PyTorch', () => {
    const lines: string[] = [];
    const r = main({ seed: 42, epochs: pt.epochs, log: (s: string) => lines.push(s) });
    const first = r.history[0], last = r.history.at(-1);
    console.log(lines.join('\n'), '\nwebtorch', { first, last, acc_test: r.acc_test, loss_test: r.loss_test },
      '\nPyTorch', pt.runs.map((x: any) => ({ first: x.log[0], last: x.log.at(-1), acc_test: x.acc_test, loss_test: x.loss_test })));
    expect(lines[0]).toMatch(/^Epoch: 0020 \(\d+\.\d{4}s\) loss_train: \d\.\d{4} acc_train: \d\.\d{4} loss_val: \d\.\d{4} acc_val: \d\.\d{4}$/);
    expect(lines.at(-1)).toMatch(/^Test set results: loss \d\.\d{4} accuracy \d\.\d{4}$/);
    const max = (k: (x: any) => number): number => Math.max(...pt.runs.map(k));
    const min = (k: (x: any) => number): number => Math.min(...pt.runs.map(k));
    // after one step the loss is still near ln 4, as in PyTorch
    expect(Math.abs(first.loss_train - pt.runs[0].log[0].loss_train)).toBeLessThan(0.05);
    // after 200 epochs: train loss within 1.5x PyTorch's worst, test accuracy within 0.06 of its worst
    expect(last.loss_train).toBeLessThan(1.5 * max((x) => x.log.at(-1).loss_train));
    expect(r.acc_test).toBeGreaterThan(min((x) => x.acc_test) - 0.06);
    expect(r.loss_test).toBeLessThan(1.5 * max((x) => x.loss_test));
  });
});

// Node entry for the runtime-neutral suite: `node test/runtime/node.mjs` prints one JSON line
// (RESULT {...}) with the fixture and training results for dist/webtorch.js, loaded through the
// package's own exports (`import 'webtorch'`, the "node" condition).
import { readFileSync } from 'node:fs';
import * as torch from 'webtorch';
import { FAMILIES, runFixtures, train, runWebgpu } from './suite.mjs';

const fixtures = Object.fromEntries(FAMILIES.map((f) => [f, JSON.parse(readFileSync(new URL(`../fixtures/${f}.json`, import.meta.url), 'utf8')).cases]));
const t0 = Date.now();
const fx = runFixtures(torch, fixtures);
const fixturesMs = Date.now() - t0;
const training = await train(torch);
const webgpu = await runWebgpu(torch, fixtures);
console.log('RESULT ' + JSON.stringify({ runtime: `node ${process.version}`, fixtures: fx, fixturesMs, training, webgpu }));

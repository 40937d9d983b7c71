// Deno entry for the runtime-neutral suite:
//   deno run --allow-read=test/fixtures,dist test/runtime/deno.mjs
// prints one JSON line (RESULT {...}) with the fixture and training results for dist/webtorch.js.
import * as torch from '../../dist/webtorch.js';
import { FAMILIES, runFixtures, train, runWebgpu } from './suite.mjs';

const fixtures = {};
for (const f of FAMILIES) fixtures[f] = JSON.parse(await Deno.readTextFile(new URL(`../fixtures/${f}.json`, import.meta.url))).cases;
const t0 = Date.now();
const fx = runFixtures(torch, fixtures);
const fixturesMs = Date.now() - t0;
const training = await train(torch);
const webgpu = await runWebgpu(torch, fixtures);
console.log('RESULT ' + JSON.stringify({ runtime: `deno ${Deno.version.deno}`, fixtures: fx, fixturesMs, training, webgpu }));

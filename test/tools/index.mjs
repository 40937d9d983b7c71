// The cross-runtime tests' tools, installed in this folder (test/tools/package.json, out of the
// main install; `npm test` runs `npm --prefix test/tools install`) and resolved from here. The
// folder holds no tests: a package.json beside test/runtime/*.mjs would hide the repository's own
// package, which they import by name ('webtorch').
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Deno's binary (npm package deno). */
export const DENO = path.join(here, 'node_modules/.bin/deno');
/** workerd's binary (npm package workerd; no postinstall needed). */
export const WORKERD = createRequire(import.meta.url)('workerd').default;
/** playwright-core's chromium launcher (drives Debian's chromium; never downloads a browser). */
export { chromium } from 'playwright-core';

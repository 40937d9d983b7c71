// Every op and gradient against PyTorch 1.13, from committed fixtures (no Python needed).
import { describe, it } from 'vitest';
import { loadFixtures, runCase } from './helpers/fixtures.js';

for (const family of ['core_creation', 'core_pointwise', 'core_reduce', 'core_linalg', 'core_views', 'core_index']) {
  describe(family, () => {
    for (const c of loadFixtures(family)) it(c.id, () => runCase(family, c));
  });
}

// The layering of ts/ and gpu/ (build/check-imports.mjs): no import cycle runs through
// ts/tensor.ts, and nothing under ts/backend/ imports the Tensor or the layers above it. The
// check is run on this tree, and on small trees made to break each rule, to show it fails then.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const script = resolve(__dirname, '..', 'build', 'check-imports.mjs');
const check = (...args: string[]) => spawnSync(process.execPath, [script, '--quiet', ...args], { encoding: 'utf8' });

/** A throwaway tree of files { path: source }, checked with `args`. */
function checkTree(files: Record<string, string>, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'webtorch-layers-'));
  try {
    for (const [p, src] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), src);
    }
    return check('--root', dir, ...args);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

const floor = {
  'ts/tensor.ts': "import { backendOf } from './backend/dispatch.js';\nexport class Tensor { b = backendOf; }\n",
  'ts/backend/dispatch.ts': "import type { View } from './view.js';\nexport const backendOf = (v: View) => v;\n",
  'ts/backend/view.ts': 'export interface View { shape: number[] }\n',
  'ts/ops/exp.ts': "import { Tensor } from '../tensor.js';\nexport const exp = (x: unknown) => x instanceof Tensor;\n",
  'ts/ops/exp_table.ts': 'export const TABLE = {};\n',
  'gpu/exp.ts': "import { TABLE } from '../ts/ops/exp_table.js';\nimport type { View } from '../ts/backend/view.js';\nexport const k = (v: View) => [TABLE, v];\n",
};

describe('import layering (build/check-imports.mjs)', () => {
  it('holds for this tree', () => {
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('passes a tree that keeps the rules (type-only imports and *_table.ts data are fine)', () => {
    expect(checkTree({ ...floor, 'ts/backend/wasm.ts': "import type { Tensor } from '../ops/exp_table.js';\nexport type T = Tensor;\n" }).status).toBe(0);
  });
  it('fails on a cycle through ts/tensor.ts', () => {
    const r = checkTree({ ...floor, 'ts/tensor.ts': "import { exp } from './ops/exp.js';\nexport class Tensor { e = exp; }\n" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/import cycle of 2 files: ts\/tensor\.ts -> ts\/ops\/exp\.ts -> ts\/tensor\.ts/);
  });
  it('fails when ts/backend imports the Tensor or the op layer, even for types', () => {
    const r = checkTree({ ...floor, 'ts/backend/move.ts': "import type { Tensor } from '../tensor.js';\nexport type T = Tensor;\n" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ts\/backend\/move\.ts imports ts\/tensor\.ts/);
  });
  it('fails when gpu/ imports the Tensor (and on the cycle that makes)', () => {
    const tree = { ...floor, 'gpu/old.ts': "import { Tensor } from '../ts/tensor.js';\nexport const t = Tensor;\n", 'ts/backend/dispatch.ts': "import { t } from '../../gpu/old.js';\nexport const backendOf = t;\n" };
    const r = checkTree(tree);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/gpu\/old\.ts imports ts\/tensor\.ts/);
    expect(r.stderr).toMatch(/import cycle of 3 files: ts\/tensor\.ts -> /);
  });
  it('fails when a data table imports something', () => {
    const r = checkTree({ ...floor, 'ts/optim/step_table.ts': "import { Tensor } from '../tensor.js';\nexport const T = Tensor;\n" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ts\/optim\/step_table\.ts is a data table and must not import anything/);
  });
});

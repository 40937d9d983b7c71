// The backend seam: both backends implement every kernel of the Backend interface. The check is
// made by the compiler (`wasm` and `webgpu` are declared as `Backend`, so `npm run build` fails on
// a missing kernel); this test shows that the compiler really refuses a backend missing one, and
// that the two objects carry the same kernels at run time.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { wasm } from '../ts/backend/wasm/index.js';
import { webgpu } from '../gpu/index.js';

const kernels = (b: object): string[] => Object.keys(b).filter((k) => typeof (b as Record<string, unknown>)[k] === 'function').sort();

describe('backend interface', () => {
  it('wasm and webgpu carry the same kernels', () => {
    expect(kernels(wasm).length).toBeGreaterThan(5);
    expect(kernels(webgpu)).toEqual(kernels(wasm));
    expect(Object.keys(webgpu).sort()).toEqual(Object.keys(wasm).sort());
  });

  it('tsc rejects a backend that lacks a kernel the other has', () => {
    const root = resolve(__dirname, '..');
    const dir = mkdtempSync(join(tmpdir(), 'webtorch-seam-'));
    try {
      const missing = kernels(wasm)[0];
      const rel = (p: string) => JSON.stringify(resolve(root, p).replace(/\.ts$/, '.js'));
      writeFileSync(join(dir, 'partial.ts'), [
        `import type { Backend } from ${rel('ts/backend/backend.ts')};`,
        `import { wasm } from ${rel('ts/backend/wasm/index.ts')};`,
        `const { ${missing}: _dropped, ...rest } = wasm;`,
        'export const partial: Backend = rest;',
        'export const whole: Backend = wasm;',
      ].join('\n'));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        extends: resolve(root, 'tsconfig.json'),
        compilerOptions: { noEmit: true, typeRoots: [resolve(root, 'node_modules/@types'), resolve(root, 'node_modules')] },
        include: [join(dir, 'partial.ts')],
      }));
      let out = '';
      try {
        execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: root });
      } catch (e) {
        out = String((e as { stdout?: string }).stdout);
      }
      // exactly one error: the partial backend, naming the kernel it lacks
      expect(out).toMatch(new RegExp(`partial\\.ts\\(4,14\\): error TS2741: Property '${missing}' is missing`));
      expect(out.match(/error TS/g)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The shipped types: from tsc's declarations (build/out/types, see tsconfig.build.json) copies
// into dist/types only the files that the entries (ts/index.d.ts, ts/vision/index.d.ts) reach through their imports, so the
// kernels' WGSL sources, the embedded wasm bytes and other internals are left out, and makes them
// type-check in a user's project with skipLibCheck off, whatever its lib and types:
// - the WebGPU objects that appear in signatures (GPUDevice, GPUBuffer) come from globals.d.ts:
//   the user's own WebGPU types where the project has them (@webgpu/types, or a lib.dom that
//   declares WebGPU), a small opaque interface otherwise; the ambient names are never needed;
// - `Symbol.dispose` (Tensor's `[Symbol.dispose]`, for `using`) is declared there as
//   lib.esnext.disposable and @types/node declare it, so targets before ES2025 accept it.
//   node build/public-types.mjs     (run by `npm run build`, after tsc)
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const FROM = path.join(ROOT, 'build/out/types');
const TO = path.join(ROOT, 'dist/types');
// the package's entry points: 'webtorch' and 'webtorch/vision'
const ENTRIES = ['ts/index.d.ts', 'ts/vision/index.d.ts'];
const ENTRY = ENTRIES[0];
const GLOBALS = 'globals.d.ts';

// the WebGPU interfaces the declarations may name, with the members the opaque stand-in keeps
const WEBGPU = {
  GPUDevice: '{ readonly label: string; readonly queue: unknown; destroy(): undefined }',
  GPUBuffer: '{ readonly label: string; readonly size: number; readonly usage: number; destroy(): undefined }',
};

const globals = `// WebGPU types and Symbol.dispose for webtorch's declarations (written by build/public-types.mjs).
type Globals = typeof globalThis;
${Object.entries(WEBGPU).map(([name, opaque]) =>
  `/** The project's own ${name} where it declares WebGPU (@webgpu/types, lib.dom), an opaque stand-in otherwise. */\n` +
  `export type ${name} = Globals extends { ${name}: { prototype: infer T } } ? T : ${opaque};`).join('\n')}
declare global {
  // as in lib.esnext.disposable and @types/node: merges with theirs (the same unique symbol)
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
`;

/** Relative import specifiers ('./x.js', '../y.js') a declaration file uses, static or import(). */
const specifiers = (src) => [...src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);

if (!existsSync(path.join(FROM, ENTRY))) throw new Error(`${path.join(FROM, ENTRY)} is missing: run tsc -p tsconfig.build.json first`);
rmSync(TO, { recursive: true, force: true });
const seen = new Set();
const todo = [...ENTRIES];
while (todo.length) {
  const rel = todo.pop();
  if (seen.has(rel)) continue;
  seen.add(rel);
  let src = readFileSync(path.join(FROM, rel), 'utf8');
  for (const spec of specifiers(src)) {
    const target = path.posix.join(path.posix.dirname(rel), spec).replace(/\.js$/, '.d.ts');
    if (!existsSync(path.join(FROM, target))) throw new Error(`${rel} imports ${spec}, which has no declaration file`);
    todo.push(target);
  }
  if (/\bdeclare\s+global\b|\/\/\/\s*<reference/.test(src)) throw new Error(`${rel} declares globals or references other types: the public types must not`);
  const used = Object.keys(WEBGPU).filter((name) => new RegExp(`\\b${name}\\b`).test(src.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
  let up = path.posix.relative(path.posix.dirname(rel), GLOBALS).replace(/\.d\.ts$/, '.js');
  if (!up.startsWith('.')) up = `./${up}`;
  if (used.length) src = `import type { ${used.join(', ')} } from '${up}';\n${src}`;
  if (/\[Symbol\.dispose\]/.test(src)) src = `import '${up}';\n${src}`;
  mkdirSync(path.dirname(path.join(TO, rel)), { recursive: true });
  writeFileSync(path.join(TO, rel), src);
}
writeFileSync(path.join(TO, GLOBALS), globals);
console.log(`dist/types: ${seen.size} declaration files reached from ${ENTRIES.join(' and ')}, and ${GLOBALS}`);

// What `npm pack` / `npm publish` put in the tarball differs from the working tree in two files:
// - package.json without scripts and devDependencies: nothing builds or runs on a user's install;
// - README.md with its relative links (docs/, examples/, bench/RESULTS.md ...) made absolute
//   URLs into the repository, so they work on npmjs.com.
// `prepack` runs `node build/pack-manifest.mjs strip`, `postpack` runs `... restore`, which puts
// the originals back (kept in build/out/pack-backup/, which npm never packs; a strip after an
// interrupted pack restores first).
import { readFileSync, writeFileSync, renameSync, existsSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['package.json', 'README.md'];
const BACKUP = path.join(ROOT, 'build/out/pack-backup');
const at = (f) => path.join(ROOT, f);
const backup = (f) => path.join(BACKUP, f);

function restore() {
  for (const f of FILES) if (existsSync(backup(f))) renameSync(backup(f), at(f));
}

/** The repository's browsable root (https://github.com/o/r/blob/main/) from package.json's repository. */
function blobBase(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = /github\.com[/:]([^/]+)\/([^/.]+)/.exec(url ?? '');
  if (!m) throw new Error(`package.json: repository (${url}) is not a GitHub URL; README links cannot be made absolute`);
  return `https://github.com/${m[1]}/${m[2]}/blob/main/`;
}

/** Markdown links and images whose target is a path in the repository become absolute URLs. */
export function absoluteLinks(md, base) {
  return md.replace(/(\]\(\s*)(?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)/gi, (_, open, target) => `${open}${base}${target.replace(/^\.\//, '')}`);
}

function strip() {
  restore();
  mkdirSync(BACKUP, { recursive: true });
  for (const f of FILES) copyFileSync(at(f), backup(f));
  const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8'));
  const base = blobBase(pkg);
  delete pkg.scripts;
  delete pkg.devDependencies;
  writeFileSync(at('package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(at('README.md'), absoluteLinks(readFileSync(at('README.md'), 'utf8'), base));
  for (const f of ['dist/webtorch.js', 'dist/webtorch.min.js', 'dist/webtorch.workerd.js', 'dist/webtorch.wasm', 'dist/types/ts/index.d.ts']) {
    if (!existsSync(at(f))) { restore(); throw new Error(`${f} is missing: run \`npm run build\` before packing`); }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2];
  if (cmd === 'strip') strip();
  else if (cmd === 'restore') restore();
  else throw new Error('usage: node build/pack-manifest.mjs strip|restore');
}

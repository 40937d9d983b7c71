// Optional workload files that other engineers own (bench/conv2d.mjs, bench/optim.mjs). If one exists
// and exports `benchSection(ctx)` (same contract as a bench/sections/*.mjs `run`: returns table rows),
// the matching section uses it instead of its built-in webtorch measurement.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './context.mjs';

export async function externalSection(file) {
  const full = path.join(ROOT, 'bench', file);
  // only import files that declare the hook: a standalone script would run its own benchmark on import
  if (!existsSync(full) || !/export\s+(async\s+)?function\s+benchSection\b/.test(readFileSync(full, 'utf8'))) return { fn: null, note: '' };
  try {
    const m = await import(full);
    if (typeof m.benchSection === 'function') return { fn: m.benchSection, note: `rows from bench/${file}` };
    return { fn: null, note: '' };
  } catch (e) {
    return { fn: null, note: `bench/${file} failed to load: ${e.message.split('\n')[0]}` };
  }
}

// Checks the layering of ts/ and gpu/ (issue 12): Tensor is not a hub, and backends sit below it.
//
//   node build/check-imports.mjs [--all-cycles] [--quiet] [--verbose] [--root DIR]
//
// It walks the imports of ts/**/*.ts and gpu/**/*.ts. The runtime graph is read from each file
// transpiled by TypeScript (so imports used only as types, which TypeScript erases, do not count;
// dynamic import() does not either, since it cannot make a module-evaluation cycle). It fails
// (exit 1) when
//   - an import cycle runs through ts/tensor.ts (with --all-cycles: any import cycle), or
//   - a file under ts/backend/ or gpu/ (the backend interface and its implementations) imports
//     (even only for types) ts/tensor.ts or anything under ts/ops/, ts/nn/, ts/optim/ or
//     ts/autograd/; the *_table.ts data tables of ts/ops/ and ts/optim/ are excepted (plain data,
//     declared once, with no imports of their own: checked too).
// Every other cycle is reported, not failed.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const argv = process.argv.slice(2);
const args = new Set(argv);
// --root: check another tree (test/layering.test.ts checks small trees made to fail)
const root = args.has('--root') ? resolve(argv[argv.indexOf('--root') + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const allCycles = args.has('--all-cycles');
const quiet = args.has('--quiet');

const rel = (p) => relative(root, p).split(sep).join('/');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = ['ts', 'gpu'].filter((d) => existsSync(join(root, d))).flatMap((d) => walk(join(root, d)));
const known = new Set(files);

/** The .ts file a relative specifier names, or null for packages and files outside ts/ and gpu/. */
function resolveSpec(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base + '.ts', join(base, 'index.ts'), base];
  for (const c of candidates) if (known.has(c)) return c;
  return existsSync(base) ? null : `${base} (missing)`;
}

/** Static import/export specifiers of a source text (ESM `from '...'` and bare `import '...'`). */
function specifiers(text) {
  const out = [];
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      out.push(st.moduleSpecifier.text);
    }
  }
  return out;
}

const typeGraph = new Map(); // every import, types included
const runGraph = new Map(); // what survives transpilation
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const js = ts.transpileModule(src, {
    fileName: f,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, isolatedModules: true },
  }).outputText;
  const res = (specs) => [...new Set(specs.map((s) => resolveSpec(f, s)).filter((x) => x && known.has(x)))];
  typeGraph.set(f, res(specifiers(src)));
  runGraph.set(f, res(specifiers(js)));
}

// ---------------------------------------------------------------- cycles (Tarjan's SCCs)
function sccs(graph) {
  let index = 0;
  const idx = new Map(), low = new Map(), onStack = new Set(), stack = [], out = [];
  const strong = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

/** One shortest cycle through `start` inside `comp` (breadth-first), for the report. */
function cycleThrough(graph, comp, start) {
  const inComp = new Set(comp);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start];
}

const TENSOR = join(root, 'ts', 'tensor.ts');
let failed = false;
const fail = (msg) => { failed = true; console.error(`FAIL ${msg}`); };
const note = (msg) => { if (!quiet) console.log(msg); };

const TABLE = /^ts\/(ops|optim)\/\w+_table\.ts$/;
const ABOVE = [/^ts\/tensor\.ts$/, /^ts\/ops\//, /^ts\/nn\//, /^ts\/optim\//, /^ts\/autograd\//];
const above = (f) => !TABLE.test(rel(f)) && ABOVE.some((re) => re.test(rel(f)));
const cycleGraph = runGraph;
for (const f of files) if (TABLE.test(rel(f)) && typeGraph.get(f).length) fail(`${rel(f)} is a data table and must not import anything (it imports ${typeGraph.get(f).map(rel).join(', ')})`);

for (const comp of sccs(cycleGraph)) {
  const start = comp.includes(TENSOR) ? TENSOR : comp.slice().sort()[0];
  const path = cycleThrough(cycleGraph, comp, start).map(rel).join(' -> ');
  const msg = `import cycle of ${comp.length} files: ${path}` + (args.has('--verbose') ? `\n  members: ${comp.map(rel).sort().join(', ')}` : '');
  if (comp.includes(TENSOR) || allCycles) fail(msg);
  else note(`note: ${msg}`);
}

// ---------------------------------------------------------------- layering
for (const f of files) {
  const r = rel(f);
  const backend = r.startsWith('ts/backend/'), gpu = r.startsWith('gpu/');
  if (!backend && !gpu) continue;
  for (const dep of typeGraph.get(f)) {
    const d = rel(dep);
    if (!above(dep)) continue;
    const msg = `${r} imports ${d} (backends sit below the Tensor and the op layer)`;
    fail(msg);
  }
}

if (failed) process.exit(1);
note(`check-imports: ${files.length} files, no import cycle through ts/tensor.ts, ts/backend/ and gpu/ below the op layer`);

// A small argparse for the examples: `--name value`, `--name=value` and boolean flags, with
// Python's spelling kept (`--batch_size`, `--log-interval`) and either of `-`/`_` accepted.
// Errors and -h print like argparse and exit.

/**
 * spec: { name: { type: 'int'|'float'|'str'|'bool', default, help, choices? } } (names with `_`).
 * Returns { name: value }.
 */
export function parseArgs(spec, argv, { prog, description }) {
  const flag = (name) => `--${name.replace(/_/g, spec[name].dash ? '-' : '_')}`;
  const usage = () => {
    const rows = Object.keys(spec).map((name) => {
      const s = spec[name];
      const left = s.type === 'bool' ? flag(name) : `${flag(name)} ${s.type === 'str' ? name.toUpperCase() : s.type === 'int' ? 'N' : 'X'}`;
      const def = s.type === 'bool' || s.default === null || s.default === '' || s.help.includes('(default') ? '' : ` (default: ${s.default})`;
      return `  ${left.padEnd(24)}${s.help}${def}`;
    });
    return `usage: ${prog} [options]\n\n${description}\n\noptions:\n  -h, --help              show this help message and exit\n${rows.join('\n')}`;
  };
  const fail = (msg) => {
    console.error(`${usage().split('\n')[0]}\n${prog}: error: ${msg}`);
    process.exit(2);
  };
  const args = Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, s.type === 'bool' ? false : s.default]));
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-h' || argv[i] === '--help') {
      console.log(usage());
      process.exit(0);
    }
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    const name = m?.[1].replace(/-/g, '_');
    if (!m || !(name in spec)) fail(`unrecognized arguments: ${argv[i]}`);
    const s = spec[name];
    if (s.type === 'bool') {
      if (m[2] !== undefined) fail(`argument ${flag(name)}: ignored explicit argument '${m[2]}'`);
      args[name] = true;
      continue;
    }
    const v = m[2] ?? argv[++i];
    if (v === undefined) fail(`argument ${flag(name)}: expected one argument`);
    if (s.type === 'str') args[name] = v;
    else {
      const x = Number(v);
      if (v.trim() === '' || !Number.isFinite(x) || (s.type === 'int' && !Number.isInteger(x)))
        fail(`argument ${flag(name)}: invalid ${s.type} value: '${v}'`);
      args[name] = x;
    }
    if (s.choices && !s.choices.includes(args[name]))
      fail(`argument ${flag(name)}: invalid choice: '${args[name]}' (choose from ${s.choices.map((c) => `'${c}'`).join(', ')})`);
  }
  return args;
}

// Python-style formatting for module reprs: floats as repr(float), tuples, booleans, None.
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e16) {
    const [m, e] = v.toExponential().split('e');
    const ev = parseInt(e, 10);
    return `${m}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  return String(v);
}
export const pyBool = (b: boolean): string => (b ? 'True' : 'False');
export function pyTuple(v: readonly number[]): string { return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`; }
/** an int or a tuple, printed as given */
export function pyVal(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return pyBool(v);
  if (Array.isArray(v)) return pyTuple(v as number[]);
  return String(v);
}

/** Mean episode reward over the first ten episodes and over the second half of a run. */
export function learningFigures(ep: number[]): { first: number; late: number } {
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
  return { first: mean(ep.slice(0, 10)), late: mean(ep.slice(ep.length / 2)) };
}

// Timing helpers shared by the sections. Single-threaded, synchronous workloads.
//
// measure(fn): warms up (lets V8 tier up and allocators settle), calibrates an inner repeat count so
// one sample lasts about `sampleMs`, then takes `samples` samples. Returns seconds per call:
// { best, median, samples, reps }. The table reports `best` for kernels (robust on a shared machine)
// and `median` for training steps (one call per sample; dropout etc. make steps differ).
export function measure(fn, { sampleMs = 60, samples = 7, warmup = 2, maxReps = 1 << 20 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    const dt = performance.now() - t0;
    if (dt >= sampleMs / 2 || reps >= maxReps) { reps = Math.max(1, Math.min(maxReps, Math.round(reps * sampleMs / Math.max(dt, 1e-3)))); break; }
    reps *= dt < 1 ? 8 : 2;
  }
  const times = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    times.push((performance.now() - t0) / reps / 1000);
  }
  return summarize(times, reps);
}

/** One call per sample (for steps that take tens of ms): `warmup` untimed calls, then `steps` timed ones. */
/** Stops early (after at least 3 timed steps) once `budgetMs` of timed steps have run. */
export function measureSteps(fn, { warmup = 3, steps = 15, budgetMs = 20000 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  let total = 0;
  for (let s = 0; s < steps && !(s >= 3 && total > budgetMs / 1000); s++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
    total += times[times.length - 1];
  }
  return summarize(times, 1);
}

export function summarize(times, reps) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { best: sorted[0], median, samples: sorted.length, reps };
}

// For tests of torch.memory(): lets the collector run and its finalizers report (how often V8
// collects on its own depends on everything else in the process, such as earlier tests' garbage),
// so the counters show only what is still reachable. vitest.config runs tests with --expose-gc.
export async function collected(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 0));
}

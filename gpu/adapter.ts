// Finds a WebGPU implementation: navigator.gpu in browsers and Deno; in Node, the npm package
// `webgpu` (Dawn), imported only when the GPU is first asked for, so the core stays free of
// native packages. Edge workers have neither and get null.

/** The GPU entry point of this runtime, or null. */
export async function requestGpu(): Promise<GPU | null> {
  const g = globalThis as { navigator?: { gpu?: GPU }; process?: { versions?: { node?: string } }; Deno?: unknown };
  if (g.navigator?.gpu) return g.navigator.gpu;
  if (g.process?.versions?.node && !g.Deno) {
    const name = 'webgpu'; // a variable, so bundlers leave the optional package alone
    let mod: { create(opts: string[]): GPU };
    try {
      mod = await import(/* @vite-ignore */ name);
    } catch {
      throw new Error('WebGPU in Node needs the npm package `webgpu` (npm install webgpu)');
    }
    return mod.create([]);
  }
  return null;
}

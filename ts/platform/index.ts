// The platform layer: the only place that touches a file system or the network. The core never
// imports Node built-ins; `node:fs/promises` (Node, Deno, Bun) is loaded with a dynamic import
// the first time a file function is called, so the package still loads in browsers and workers,
// where the bytes-based APIs (torch.save returning bytes, torch.load of bytes) keep working.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FsPromises = any;

let fsPromise: Promise<FsPromises | null> | null = null;

/** node:fs/promises where the runtime has one, else null. */
export function nodeFs(): Promise<FsPromises | null> {
  if (!fsPromise) {
    // a variable specifier keeps bundlers and type checkers from resolving it at build time
    const spec = 'node:fs/promises';
    fsPromise = import(/* @vite-ignore */ /* webpackIgnore: true */ spec).catch(() => null);
  }
  return fsPromise;
}

async function requireFs(what: string): Promise<FsPromises> {
  const fs = await nodeFs();
  if (!fs) throw new Error(`${what}: this runtime has no file system; pass or use bytes (Uint8Array) instead of a path`);
  return fs;
}

/** Whether a file system is available (Node, Deno, Bun). */
export async function hasFileSystem(): Promise<boolean> { return (await nodeFs()) !== null; }

export async function readFile(path: string): Promise<Uint8Array> {
  const fs = await requireFs('readFile');
  const b = await fs.readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export async function writeFile(path: string, data: Uint8Array): Promise<void> {
  const fs = await requireFs('writeFile');
  await fs.writeFile(path, data);
}

export async function exists(path: string): Promise<boolean> {
  const fs = await nodeFs();
  if (!fs) return false;
  try { await fs.stat(path); return true; } catch { return false; }
}

export async function mkdir(path: string): Promise<void> {
  const fs = await requireFs('mkdir');
  await fs.mkdir(path, { recursive: true });
}

/** Joins path parts with '/', dropping empty parts and doubled separators. */
export function joinPath(...parts: string[]): string {
  const p = parts.filter((s) => s !== '').join('/');
  return p.replace(/\/{2,}/g, '/');
}

/** GETs a URL and returns its body (fetch is global in every supported runtime). */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  if (typeof fetch !== 'function') throw new Error(`download: this runtime has no fetch(); cannot download ${url}`);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { message?: string; code?: string } }).cause;
    throw new Error(`download: ${url}: ${(e as Error).message}${cause ? ` (${cause.message ?? cause.code})` : ''}`);
  }
  if (!res.ok) throw new Error(`download: ${url} answered HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** gunzip with the standard DecompressionStream (Node >= 18, Deno, browsers, workers). */
export async function gunzip(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  if (typeof DecompressionStream !== 'function') throw new Error(`gunzip: this runtime has no DecompressionStream; cannot decompress ${name}`);
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`${name}: the gzip data is truncated or corrupt (${(e as Error).message ?? e})`);
  }
}

/**
 * MD5 of bytes, as a lowercase hex string, by node:crypto. It checks downloaded files, which are
 * written to a file system: only runtimes with node:fs (Node, Deno, Bun) download, and they all
 * have node:crypto (Web Crypto has no MD5).
 */
export async function md5(data: Uint8Array): Promise<string> {
  // a variable specifier, as in nodeFs()
  const spec = 'node:crypto';
  const crypto = await import(/* @vite-ignore */ /* webpackIgnore: true */ spec);
  return crypto.createHash('md5').update(data).digest('hex');
}

/**
 * Bytes that the runtime's ArrayBuffer allocator holds at this instant (every ArrayBuffer of the
 * process, tensors' storages among them; a buffer the garbage collector has freed is already gone
 * from it, even inside a synchronous loop): Node and Bun `process.memoryUsage().arrayBuffers`, Deno
 * `Deno.memoryUsage().external`. null where the runtime does not say (browsers, workers).
 */
export function arrayBufferBytes(): number | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const g = globalThis as any;
  try {
    const n = g.process?.memoryUsage?.().arrayBuffers;
    if (typeof n === 'number') return n;
    const d = g.Deno?.memoryUsage?.().external;
    if (typeof d === 'number') return d;
  } catch { /* a sandbox that refuses: unknown */ }
  return null;
}

// torch.cuda and torch.backends as in a CPU build of PyTorch: webtorch has no CUDA (its GPU device
// is 'webgpu', see torch.webgpu), so scripts written for PyTorch, e.g. the MNIST example's
// `use_cuda = torch.cuda.is_available()`, take their CPU path. Seeding calls are accepted and do
// nothing (there is no CUDA generator), as in PyTorch without CUDA.
const NO_CUDA = "Torch not compiled with CUDA enabled (webtorch's GPU device is 'webgpu': see torch.webgpu)";

/** torch.cuda.is_available(): false, as in a CPU build of PyTorch. */
export function is_available(): boolean { return false; }
/** torch.cuda.device_count(): 0. */
export function device_count(): number { return 0; }
/** torch.cuda.is_initialized(): false. */
export function is_initialized(): boolean { return false; }

function checkSeed(op: string, seed: unknown): void {
  if (typeof seed !== 'number' && typeof seed !== 'bigint') throw new TypeError(`${op}(): seed must be an integer, got ${typeof seed}`);
}
/** torch.cuda.manual_seed(seed): a no-op without CUDA (the seed is checked). */
export function manual_seed(seed: number | bigint): void { checkSeed('manual_seed', seed); }
/** torch.cuda.manual_seed_all(seed): a no-op without CUDA (the seed is checked). */
export function manual_seed_all(seed: number | bigint): void { checkSeed('manual_seed_all', seed); }
/** torch.cuda.seed() / seed_all(): no-ops without CUDA. */
export function seed(): void {}
export function seed_all(): void {}
/** torch.cuda.empty_cache() / synchronize(): nothing to do without CUDA. */
export function empty_cache(): void {}
export function synchronize(): void { throw new Error(NO_CUDA); }
/** torch.cuda.current_device() / get_device_name(): PyTorch's error without CUDA. */
export function current_device(): number { throw new Error(NO_CUDA); }
export function get_device_name(): string { throw new Error(NO_CUDA); }

// Pool kernels (to be moved behind the seam: see docs/ARCHITECTURE.md).
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PoolKernels {}

// The wasm module's exports: every kernel family, one file each.
export * from "./status";
export * from "./copy";
export * from "./generated/pointwise";
export * from "./reduce";
export * from "./sort";
export * from "./index_ops";
export * from "./random";
export * from "./gemm";
export * from "./optim";
export * from "./conv";
export * from "./pool";
export * from "./norm";
export * from "./loss";
export * from "./rnn";
export { expv_f32, sigmoidv_f32, tanhv_f32 } from "./expv";

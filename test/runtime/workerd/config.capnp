# workerd config for the runtime tests (test/runtime/workerd.mjs starts it with
# `workerd serve config.capnp --socket-addr http=127.0.0.1:<free port>`).
# The worker loads the workerd bundle, which imports the kernels as a precompiled wasm module:
# workers forbid compiling wasm from bytes. Run `npm run build` first (dist/ must exist).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .webtorchWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const webtorchWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "suite.mjs", esModule = embed "../suite.mjs"),
    (name = "webtorch.js", esModule = embed "../../../dist/webtorch.workerd.js"),
    (name = "webtorch.wasm", wasm = embed "../../../dist/webtorch.wasm"),
  ],
  # WeakRef and FinalizationRegistry (tensor storage is garbage-collected) are on by default from
  # 2025-05-05 (compatibility flag enable_weak_ref); earlier dates lack them.
  compatibilityDate = "2025-06-01",
);

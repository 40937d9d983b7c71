// torch.optim: optimizers with fused SIMD wasm updates, and optim.lr_scheduler.
//
// Optimizers and schedulers are classes: `new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })`,
// `new optim.lr_scheduler.StepLR(opt, 1, { gamma: 0.7 })`. Calling them without `new`, as in
// Python (`optim.SGD(...)`), works as well.
import { SGD as SGD_ } from './sgd.js';
import { Adam as Adam_, AdamW as AdamW_ } from './adam.js';
import { Adadelta as Adadelta_ } from './adadelta.js';
import { Adagrad as Adagrad_ } from './adagrad.js';
import { RMSprop as RMSprop_ } from './rmsprop.js';
import { Adamax as Adamax_ } from './adamax.js';
import { NAdam as NAdam_ } from './nadam.js';
import { RAdam as RAdam_ } from './radam.js';
import { LBFGS as LBFGS_ } from './lbfgs.js';
import { callable, type Callable } from './callable.js';

export { Optimizer, required } from './optimizer.js';
export type { ParamGroup, ParamGroupInput, ParamsInput, OptimizerState, OptimizerStateDict, GroupOptions } from './optimizer.js';
export type { SGDOptions } from './sgd.js';
export type { AdamOptions } from './adam.js';
export type { AdadeltaOptions } from './adadelta.js';
export type { AdagradOptions } from './adagrad.js';
export type { RMSpropOptions } from './rmsprop.js';
export type { AdamaxOptions } from './adamax.js';
export type { NAdamOptions } from './nadam.js';
export type { RAdamOptions } from './radam.js';
export type { LBFGSOptions } from './lbfgs.js';

export const SGD: Callable<typeof SGD_> = callable(SGD_);
export type SGD = SGD_;
export const Adam: Callable<typeof Adam_> = callable(Adam_);
export type Adam = Adam_;
export const AdamW: Callable<typeof AdamW_> = callable(AdamW_);
export type AdamW = AdamW_;
export const Adadelta: Callable<typeof Adadelta_> = callable(Adadelta_);
export type Adadelta = Adadelta_;
export const Adagrad: Callable<typeof Adagrad_> = callable(Adagrad_);
export type Adagrad = Adagrad_;
export const RMSprop: Callable<typeof RMSprop_> = callable(RMSprop_);
export type RMSprop = RMSprop_;
export const Adamax: Callable<typeof Adamax_> = callable(Adamax_);
export type Adamax = Adamax_;
export const NAdam: Callable<typeof NAdam_> = callable(NAdam_);
export type NAdam = NAdam_;
export const RAdam: Callable<typeof RAdam_> = callable(RAdam_);
export type RAdam = RAdam_;
export const LBFGS: Callable<typeof LBFGS_> = callable(LBFGS_);
export type LBFGS = LBFGS_;

export * as lr_scheduler from './lr_scheduler_callable.js';

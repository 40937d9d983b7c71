// optim.lr_scheduler's public names: every scheduler class, callable with or without `new`.
import * as S from './lr_scheduler.js';
import { callable, type Callable } from './callable.js';

export { LRScheduler, _LRScheduler } from './lr_scheduler.js';
export type * from './lr_scheduler.js';

export const LambdaLR: Callable<typeof S.LambdaLR> = callable(S.LambdaLR);
export type LambdaLR = S.LambdaLR;
export const MultiplicativeLR: Callable<typeof S.MultiplicativeLR> = callable(S.MultiplicativeLR);
export type MultiplicativeLR = S.MultiplicativeLR;
export const StepLR: Callable<typeof S.StepLR> = callable(S.StepLR);
export type StepLR = S.StepLR;
export const MultiStepLR: Callable<typeof S.MultiStepLR> = callable(S.MultiStepLR);
export type MultiStepLR = S.MultiStepLR;
export const ConstantLR: Callable<typeof S.ConstantLR> = callable(S.ConstantLR);
export type ConstantLR = S.ConstantLR;
export const LinearLR: Callable<typeof S.LinearLR> = callable(S.LinearLR);
export type LinearLR = S.LinearLR;
export const ExponentialLR: Callable<typeof S.ExponentialLR> = callable(S.ExponentialLR);
export type ExponentialLR = S.ExponentialLR;
export const PolynomialLR: Callable<typeof S.PolynomialLR> = callable(S.PolynomialLR);
export type PolynomialLR = S.PolynomialLR;
export const CosineAnnealingLR: Callable<typeof S.CosineAnnealingLR> = callable(S.CosineAnnealingLR);
export type CosineAnnealingLR = S.CosineAnnealingLR;
export const OneCycleLR: Callable<typeof S.OneCycleLR> = callable(S.OneCycleLR);
export type OneCycleLR = S.OneCycleLR;
export const ReduceLROnPlateau: Callable<typeof S.ReduceLROnPlateau> = callable(S.ReduceLROnPlateau);
export type ReduceLROnPlateau = S.ReduceLROnPlateau;

// torch.distributions: Normal, Uniform, Bernoulli, Categorical and MultivariateNormal with
// sample / rsample / log_prob / entropy and gradients through log_prob and rsample.
export { Distribution } from './distribution.js';
export { Normal } from './normal.js';
export { Uniform } from './uniform.js';
export { Bernoulli } from './bernoulli.js';
export { Categorical } from './categorical.js';
export { MultivariateNormal } from './multivariate_normal.js';
export * as constraints from './constraints.js';

// torch.utils.data
export { Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, random_split, getItem, datasetLength, len } from './dataset.js';
export type { MapDatasetLike, MaybePromise } from './dataset.js';
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from './sampler.js';
export { default_collate, default_convert } from './collate.js';
export { DataLoader } from './dataloader.js';
export type { DataLoaderOptions } from './dataloader.js';

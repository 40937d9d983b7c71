// Every failure while reading a PyTorch checkpoint is a PtLoadError whose message starts with
// `torch.load:`, whatever went wrong (a corrupt zip, a malicious pickle, a value webtorch cannot
// represent), so callers can tell a bad file from a bug with one check.

export class PtLoadError extends Error {
  constructor(msg: string) { super(`torch.load: ${msg}`); this.name = 'PtLoadError'; }
}

/** Throws a PtLoadError with `msg`. */
export function fail(msg: string): never { throw new PtLoadError(msg); }

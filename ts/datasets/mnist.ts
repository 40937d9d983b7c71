// torchvision.datasets.MNIST and FashionMNIST.
//
//   const train = new datasets.MNIST('../data', { train: true, download: true, transform });
//   await train.ready();                       // or: const train = await new datasets.MNIST(...)
//   const [img, label] = train.getitem(0);     // a transform's output (default: uint8 [28, 28]) and a number
//
// The four IDX files are looked for in <root>/<Name>/raw (torchvision's layout), <root>/<Name>
// and <root>, gzipped (.gz, decompressed with DecompressionStream) or not. With download: true,
// missing files are fetched from the mirrors into <root>/<Name>/raw and checked against their MD5.
// Where the runtime has no file system (browsers, workers), or when root is an http(s) URL, the
// files are fetched from `<root>/<file>` instead.
// Loading is asynchronous (files, decompression): iterate a DataLoader with `for await` (which
// waits for it), or await the dataset (or its ready()) before indexing it.
import { Tensor } from '../tensor.js';
import { Dataset } from '../utils/data/dataset.js';
import { applyTransform } from '../transforms/index.js';
import { parseIdx } from './idx.js';
import { exists, fetchBytes, gunzip, hasFileSystem, joinPath, md5, mkdir, readFile, writeFile } from '../platform/index.js';

export interface MNISTOptions {
  train?: boolean;
  transform?: unknown;
  target_transform?: unknown;
  download?: boolean;
}

type Resource = [file: string, md5: string];

export class MNIST extends Dataset<[any, any]> {
  static mirrors = ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'];
  static resources: Resource[] = [
    ['train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'],
    ['train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'],
    ['t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'],
    ['t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'],
  ];
  static classes = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];
  /** the official [train, test] counts (informative: files with other counts load too, as in torchvision) */
  static counts: [number, number] = [60000, 10000];

  readonly root: string;
  readonly train: boolean;
  transform: unknown;
  target_transform: unknown;
  private _data: Tensor | null = null;
  private _targets: Tensor | null = null;
  private _labels: Int32Array | null = null;
  private _pixels: Uint8Array | null = null;
  private _promise: Promise<void>;
  private _error: unknown = null;
  /** `await new MNIST(...)` resolves to the loaded dataset (the `then` goes away once loaded) */
  declare then?: (res: (v: this) => unknown, rej?: (e: unknown) => unknown) => Promise<unknown>;

  constructor(root: string, opts: MNISTOptions = {}) {
    super();
    this.root = root;
    this.train = opts.train ?? true;
    this.transform = opts.transform;
    this.target_transform = opts.target_transform;
    this._promise = this.load(opts.download ?? false);
    this._promise.catch((e) => { this._error = e; });
    this.then = (res, rej) => this.ready().then(res, rej);
  }

  get name(): string { return (this.constructor as typeof MNIST).name; }
  get raw_folder(): string { return joinPath(this.root, this.name, 'raw'); }
  get class_to_idx(): Record<string, number> {
    return Object.fromEntries((this.constructor as typeof MNIST).classes.map((c, i) => [c, i]));
  }

  /** Resolves to this dataset once its files are read (rejects with the load error). */
  override ready(): Promise<this> {
    // drop the thenable first: resolving a promise with a thenable would call it again
    return this._promise.then(() => { delete this.then; return this; });
  }

  private check(): void {
    if (this._data) return;
    if (this._error) throw this._error;
    throw new Error(`${this.name} is still loading: await the dataset (or its ready()) before indexing it, or iterate a DataLoader with for await`);
  }
  /** uint8 [N, 28, 28] */
  get data(): Tensor { this.check(); return this._data!; }
  /** int32 [N] */
  get targets(): Tensor { this.check(); return this._targets!; }
  get length(): number { this.check(); return this._data!.shape[0]; }

  getitem(index: number): [any, any] {
    this.check();
    const n = this._data!.shape[0];
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`index ${index} is out of range for ${this.name} of length ${n}`);
    // a fresh 784-byte tensor, as torchvision makes a fresh image (a view would tie the sample to
    // the whole dataset's storage, and views of long-lived storage stay in torch.memory()'s count)
    const [h, w] = [this._data!.shape[1], this._data!.shape[2]];
    let img: unknown = Tensor._fromData(this._pixels!.slice(i * h * w, (i + 1) * h * w), 'uint8', [h, w]);
    let target: unknown = this._labels![i];
    if (this.transform) img = applyTransform(this.transform, img);
    if (this.target_transform) target = applyTransform(this.target_transform, target);
    return [img, target];
  }

  private files(): Resource[] {
    const r = (this.constructor as typeof MNIST).resources;
    return this.train ? [r[0], r[1]] : [r[2], r[3]];
  }

  /** Finds a file (gzipped or not) in the usual places; null when absent. */
  private async find(file: string): Promise<string | null> {
    const plain = file.replace(/\.gz$/, '');
    for (const dir of [this.raw_folder, joinPath(this.root, this.name), this.root]) {
      for (const f of [file, plain]) {
        const p = joinPath(dir, f);
        if (await exists(p)) return p;
      }
    }
    return null;
  }

  private async download(file: string, sum: string): Promise<string> {
    const cls = this.constructor as typeof MNIST;
    await mkdir(this.raw_folder);
    const errors: string[] = [];
    for (const mirror of cls.mirrors) {
      const url = mirror + file;
      try {
        const bytes = await fetchBytes(url);
        const got = await md5(bytes);
        if (got !== sum) { errors.push(`${url}: MD5 ${got} does not match ${sum}`); continue; }
        const path = joinPath(this.raw_folder, file);
        await writeFile(path, bytes);
        return path;
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    throw new Error(`${this.name}: could not download ${file}:\n  ${errors.join('\n  ')}`);
  }

  /** Reads the files over HTTP: the root is a URL, or the runtime has no file system (browsers, workers). */
  private async fetchIdx(file: string): Promise<Uint8Array> {
    const base = this.root.replace(/\/+$/, '');
    const errors: string[] = [];
    for (const f of [file, file.replace(/\.gz$/, '')]) {
      const url = `${base}/${f}`;
      try {
        const bytes = await fetchBytes(url);
        return f.endsWith('.gz') ? gunzip(bytes, url) : bytes;
      } catch (e) {
        if (/truncated or corrupt/.test((e as Error).message)) throw e;
        errors.push((e as Error).message);
      }
    }
    throw new Error(`${this.name}: could not fetch ${file}:\n  ${errors.join('\n  ')}`);
  }

  /** The local path of a file, downloading it when allowed and missing. */
  private async locate(file: string, sum: string, download: boolean): Promise<string> {
    const path = await this.find(file);
    if (path) return path;
    if (!download) throw new Error(`${this.name}: dataset not found: no ${file} in ${this.raw_folder} or ${this.root}. You can use download: true to download it`);
    return this.download(file, sum);
  }

  private async readIdx(path: string): Promise<Uint8Array> {
    const raw = await readFile(path);
    return path.endsWith('.gz') ? gunzip(raw, path) : raw;
  }

  private async load(download: boolean): Promise<void> {
    const [[imgFile, imgSum], [lblFile, lblSum]] = this.files();
    let imgBytes: Uint8Array, lblBytes: Uint8Array;
    // errors name where each file came from: its path, or its URL
    let imgSrc = `${this.root.replace(/\/+$/, '')}/${imgFile}`, lblSrc = `${this.root.replace(/\/+$/, '')}/${lblFile}`;
    if (/^(https?|blob|data):/i.test(this.root) || !(await hasFileSystem())) {
      [imgBytes, lblBytes] = await Promise.all([this.fetchIdx(imgFile), this.fetchIdx(lblFile)]);
    } else {
      // find (or download) the files in order, so a missing one is reported the same way every time
      imgSrc = await this.locate(imgFile, imgSum, download);
      lblSrc = await this.locate(lblFile, lblSum, download);
      [imgBytes, lblBytes] = await Promise.all([this.readIdx(imgSrc), this.readIdx(lblSrc)]);
    }
    const images = parseIdx(imgBytes, imgSrc, 3);
    const labels = parseIdx(lblBytes, lblSrc, 1);
    const [n, h, w] = images.dims;
    if (labels.dims[0] !== n) throw new Error(`${this.name}: ${imgSrc} holds ${n} images but ${lblSrc} holds ${labels.dims[0]} labels`);
    // any count is accepted (a subset, a custom MNIST-style set), as torchvision does; the files
    // still have to be whole IDX files (parseIdx) whose image and label counts agree
    if (h !== 28 || w !== 28) throw new Error(`${this.name}: ${imgSrc} holds ${h}x${w} images, expected 28x28`);
    const lbl = Int32Array.from(labels.data);
    const nClasses = (this.constructor as typeof MNIST).classes.length;
    const bad = lbl.findIndex((v) => v >= nClasses);
    if (bad >= 0) throw new Error(`${this.name}: ${lblSrc} has label ${lbl[bad]} at index ${bad}, expected 0-${nClasses - 1}`);
    this._pixels = images.data.slice();
    this._data = Tensor._fromData(this._pixels, 'uint8', [n, h, w]);
    this._labels = lbl;
    this._targets = Tensor._fromData(lbl, 'int32', [n]);
  }

  override toString(): string {
    const n = this._data ? String(this._data.shape[0]) : '(loading)';
    return `Dataset ${this.name}\n    Number of datapoints: ${n}\n    Root location: ${this.root}\n    Split: ${this.train ? 'Train' : 'Test'}`;
  }
}

export class FashionMNIST extends MNIST {
  static override mirrors = ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'];
  static override resources: Resource[] = [
    ['train-images-idx3-ubyte.gz', '8d4fb7e6c68d591d4c3dfef9ec88bf0d'],
    ['train-labels-idx1-ubyte.gz', '25c81989df183df01b3e8a0aad5dffbe'],
    ['t10k-images-idx3-ubyte.gz', 'bef4ecab320f06d8554ea6380940ec79'],
    ['t10k-labels-idx1-ubyte.gz', 'bb300cfdad3c16e7a12e480ee83cd310'],
  ];
  static override classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
}

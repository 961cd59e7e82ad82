import { type BuiltinDatasetName } from '../records/names';

interface BuiltinInfo {
  readonly label: string;
  readonly description: string;
  /** Files under the app's `datasets/` folder. */
  readonly files:
    { readonly csv: string } | { readonly trainImages: string; readonly trainLabels: string; readonly testImages: string; readonly testLabels: string };
  readonly classNames: readonly string[];
  readonly licence: string;
  /** Image shape, known before loading (the search space's limits follow from it). */
  readonly shape: { readonly height: number; readonly width: number; readonly channels: number };
}

/** The datasets shipped with the app (see public/datasets/LICENSES.md). */
export const BUILTIN_INFO: Record<BuiltinDatasetName, BuiltinInfo> = {
  digits: {
    label: 'Handwritten digits (8x8)',
    description: '1,797 images of 8x8 pixels, 16 grey levels, 10 classes. Small enough to search in minutes.',
    files: { csv: 'digits.csv.gz' },
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    licence: 'UCI ML repository (Alpaydin & Kaynak 1998), CC BY 4.0; file from scikit-learn, BSD-3-Clause',
    shape: { height: 8, width: 8, channels: 1 },
  },
  'fashion-mnist': {
    label: 'Fashion-MNIST (28x28)',
    description: '60,000 training + 10,000 test grey images of 28x28 pixels, 10 classes of clothing.',
    files: {
      trainImages: 'train-images-idx3-ubyte.gz',
      trainLabels: 'train-labels-idx1-ubyte.gz',
      testImages: 't10k-images-idx3-ubyte.gz',
      testLabels: 't10k-labels-idx1-ubyte.gz',
    },
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    licence: 'Expat (MIT), Copyright 2017 Zalando SE',
    shape: { height: 28, width: 28, channels: 1 },
  },
};

/** Training-budget defaults per dataset, sized so a candidate trains in seconds on a laptop. */
export const DEFAULT_BUDGETS: Record<BuiltinDatasetName, { maxTrainImages: number; maxValidationImages: number; maxEpochs: number }> = {
  digits: { maxTrainImages: 1300, maxValidationImages: 270, maxEpochs: 3 },
  'fashion-mnist': { maxTrainImages: 3000, maxValidationImages: 1000, maxEpochs: 2 },
};

export { BUILTIN_DATASETS, type BuiltinDatasetName } from '../records/names';

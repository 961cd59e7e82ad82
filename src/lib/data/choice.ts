import type { DatasetChoice, DatasetShape } from '../records';
import { BUILTIN_INFO } from './builtin';

/** The image shape and class names of a dataset choice, known before any file is loaded. */
export function shapeOf(choice: DatasetChoice): DatasetShape & { readonly classes: number } {
  switch (choice.kind) {
    case 'builtin':
      return { ...BUILTIN_INFO[choice.name].shape, classes: BUILTIN_INFO[choice.name].classNames.length };
    case 'stored':
      return { ...choice.shape, classes: choice.classNames.length };
  }
}

/** The key a dataset choice is stored and selected under. */
export const datasetKey = (choice: DatasetChoice): string => (choice.kind === 'builtin' ? choice.name : choice.id);

import type { AppError } from '../core/result';

export type DataErrorCode =
  | 'bad-magic'
  | 'unsupported-type'
  | 'truncated'
  | 'trailing-bytes'
  | 'bad-shape'
  | 'count-mismatch'
  | 'not-numeric'
  | 'ragged-row'
  | 'empty'
  | 'bad-label'
  | 'bad-gzip'
  | 'fetch-failed'
  | 'unknown-format'
  | 'mixed-formats'
  | 'missing-file'
  | 'too-few-classes'
  | 'too-large'
  | 'not-an-image'
  | 'images-differ';

export type DataError = AppError<DataErrorCode>;

export const dataError = (code: DataErrorCode, message: string): DataError => ({ code, message });

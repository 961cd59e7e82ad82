import { err, ok, type Result } from '../core/result';
import { dataError, type DataError } from './errors';

/** An IDX array (the MNIST family's format): unsigned bytes with their dimensions. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an uncompressed IDX file: two zero bytes, type 0x08 (unsigned byte), the number of dimensions, then
 * each dimension as a big-endian uint32, then the data. `name` goes into error messages.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): Result<IdxArray, DataError> {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return err(
      dataError(
        'bad-magic',
        `${name} is not an IDX file: it should start with 00 00 08 0N, but starts with "${got}". Choose an uncompressed or gzip IDX file (e.g. train-images-idx3-ubyte.gz).`,
      ),
    );
  }
  if (bytes[2] !== 0x08) {
    return err(
      dataError('unsupported-type', `${name} stores type 0x${bytes[2]!.toString(16)}; only unsigned-byte IDX (type 0x08) images and labels are supported.`),
    );
  }
  const rank = bytes[3]!;
  if (rank < 1 || rank > 4) return err(dataError('bad-shape', `${name} declares ${rank} dimensions; images need 3 or 4 and labels 1.`));
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength)
    return err(dataError('truncated', `${name} ends inside its header (${bytes.length} of ${headerLength} bytes); the file is cut short.`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    return err(
      dataError(
        'truncated',
        `${name} is cut short: its header promises ${expected.toLocaleString('en')} bytes of data (${dims.join(' x ')}) but it holds ${actual.toLocaleString('en')}. Download it again.`,
      ),
    );
  }
  if (actual > expected) {
    return err(
      dataError(
        'trailing-bytes',
        `${name} has ${(actual - expected).toLocaleString('en')} bytes more than its header (${dims.join(' x ')}) describes; it is probably not an IDX file or is corrupted.`,
      ),
    );
  }
  return ok({ dims, data: bytes.subarray(headerLength) });
}

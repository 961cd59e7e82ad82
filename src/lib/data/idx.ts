import { err, ok, type Result } from '../core/result';
import { dataError, type DataError } from './errors';

/** An IDX array (the MNIST family's format): unsigned bytes with their dimensions. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * The dimensions and whole size (header + data, bytes) an IDX file's header declares, from its first bytes; null
 * while fewer than the header's bytes are at hand. A decompressor can refuse a file from this before inflating it.
 */
export function idxHeader(head: Uint8Array, name = 'IDX file'): Result<{ dims: number[]; headerLength: number; totalBytes: number } | null, DataError> {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0) {
    const got = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return err(
      dataError(
        'bad-magic',
        `${name} is not an IDX file: it should start with 00 00 08 0N, but starts with "${got}". Choose an uncompressed or gzip IDX file (e.g. train-images-idx3-ubyte.gz).`,
      ),
    );
  }
  if (head[2] !== 0x08) {
    return err(
      dataError('unsupported-type', `${name} stores type 0x${head[2]!.toString(16)}; only unsigned-byte IDX (type 0x08) images and labels are supported.`),
    );
  }
  const rank = head[3]!;
  if (rank < 1 || rank > 4) return err(dataError('bad-shape', `${name} declares ${rank} dimensions; images need 3 or 4 and labels 1.`));
  const headerLength = 4 + 4 * rank;
  if (head.length < headerLength) return ok(null);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return ok({ dims, headerLength, totalBytes: headerLength + dims.reduce((a, b) => a * b, 1) });
}

/**
 * Parses an uncompressed IDX file: two zero bytes, type 0x08 (unsigned byte), the number of dimensions, then
 * each dimension as a big-endian uint32, then the data. `name` goes into error messages.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): Result<IdxArray, DataError> {
  const header = idxHeader(bytes, name);
  if (!header.ok) return header;
  if (header.value === null) {
    const headerLength = 4 + 4 * bytes[3]!;
    return err(dataError('truncated', `${name} ends inside its header (${bytes.length} of ${headerLength} bytes); the file is cut short.`));
  }
  const { dims, headerLength } = header.value;
  const expected = header.value.totalBytes - headerLength;
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

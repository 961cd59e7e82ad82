import { err, ok, type Result } from '../core/result';
import { dataError, type DataError } from './errors';

export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** What one file may decompress to unless the caller says otherwise (the per-file limit of an import). */
export const MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

/**
 * Decompresses gzip with the platform's DecompressionStream (browser, worker and Node 20); other bytes pass
 * through. The output is read chunk by chunk and refused as soon as it passes `maxBytes`, so a small file that
 * inflates to gigabytes costs at most `maxBytes` of memory and the time to inflate that much.
 */
export async function maybeGunzip(
  bytes: Uint8Array,
  name: string,
  maxBytes = MAX_DECOMPRESSED_BYTES,
  sizeFromHead?: SizeFromHead,
): Promise<Result<Uint8Array, DataError>> {
  if (!isGzip(bytes)) return ok(bytes);
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let declared: number | null = null;
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      total += r.value.length;
      if (sizeFromHead && declared === null) {
        // the format's own header, read from the first bytes out, refuses a bomb before it inflates
        const size = sizeFromHead(chunks.length === 0 ? r.value : concat([...chunks, r.value], total));
        if (!size.ok) {
          await reader.cancel();
          return size;
        }
        declared = size.value;
        if (declared !== null && Number.isFinite(declared) && declared > maxBytes) {
          await reader.cancel();
          return err(
            dataError('too-large', `${name} declares ${Math.round(declared / 2 ** 20)} MB of data; at most ${Math.round(maxBytes / 2 ** 20)} MB per file.`),
          );
        }
      }
      if (declared !== null && total > declared) {
        await reader.cancel();
        return err(
          dataError('trailing-bytes', `${name} decompresses to more bytes than its header describes; it is probably not an IDX file or is corrupted.`),
        );
      }
      if (total > maxBytes) {
        await reader.cancel();
        const mb = Math.round(maxBytes / 2 ** 20);
        return err(
          dataError('too-large', `${name} decompresses to more than ${mb} MB (stopped there); at most ${mb} MB per file. Split the data into smaller files.`),
        );
      }
      chunks.push(r.value);
    }
  } catch (e) {
    return err(
      dataError(
        'bad-gzip',
        `${name} looks gzip-compressed but does not decompress (${e instanceof Error ? e.message : String(e)}); the download may be incomplete.`,
      ),
    );
  }
  return ok(concat(chunks, total));
}

/**
 * The whole size a file's first decompressed bytes declare, or why they are refused: null while more bytes are
 * needed to tell, Infinity for a format that declares none.
 */
export type SizeFromHead = (head: Uint8Array) => Result<number | null, DataError>;

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

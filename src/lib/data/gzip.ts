import { err, ok, type Result } from '../core/result';
import { dataError, type DataError } from './errors';

export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Decompresses gzip with the platform's DecompressionStream (browser, worker and Node 20); other bytes pass through. */
export async function maybeGunzip(bytes: Uint8Array, name: string): Promise<Result<Uint8Array, DataError>> {
  if (!isGzip(bytes)) return ok(bytes);
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return ok(new Uint8Array(await new Response(stream).arrayBuffer()));
  } catch (e) {
    return err(
      dataError(
        'bad-gzip',
        `${name} looks gzip-compressed but does not decompress (${e instanceof Error ? e.message : String(e)}); the download may be incomplete.`,
      ),
    );
  }
}

import { err, ok, type Result } from '../core/result';
import { dataError, type DataError } from './errors';

export interface PixelCsv {
  readonly rows: number;
  /** Pixel columns per row (everything but the label). */
  readonly columns: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly maxPixel: number;
}

/** The widest row a browser search takes: a 256 x 256 image of 3 channels, plus its label. */
export const MAX_CSV_COLUMNS = 256 * 256 * 3;
/** Pixel values of all rows together, at most (what one import may hold in memory). */
export const MAX_CSV_VALUES = 512 * 1024 * 1024;
/** Plain whole numbers only ("7", "7.0"): hexadecimal, exponents and signs are refused, not read as numbers. */
const WHOLE = /^\d{1,3}(\.0*)?$/;

/**
 * Parses a CSV of pixel rows with the class label in the last column (integers, no header). Pixel values
 * must be integers in [0, 255]; labels in [0, 255]. Widths and row counts are checked before anything is
 * allocated; errors name the file, the line and the column.
 */
export function parsePixelCsv(text: string, name = 'CSV file'): Result<PixelCsv, DataError> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return err(dataError('empty', `${name} has no rows.`));
  const columns = commas(lines[0]!);
  if (columns < 1) return err(dataError('bad-shape', `${name} needs pixel columns followed by a label column; line 1 has a single column.`));
  if (columns > MAX_CSV_COLUMNS)
    return err(
      dataError(
        'too-large',
        `${name}: line 1 has ${(columns + 1).toLocaleString('en')} values; a row holds at most ${MAX_CSV_COLUMNS.toLocaleString('en')} pixels (256 x 256 x 3) and a label.`,
      ),
    );
  // every row the same width before any buffer is sized by the first one
  for (let r = 1; r < lines.length; r++) {
    const n = commas(lines[r]!);
    if (n !== columns)
      return err(
        dataError(
          'ragged-row',
          `${name}, line ${r + 1}: ${n + 1} values, but line 1 has ${columns + 1}. Every row must hold the same number of pixels and one label.`,
        ),
      );
  }
  if (lines.length * columns > MAX_CSV_VALUES)
    return err(
      dataError(
        'too-large',
        `${name}: ${lines.length.toLocaleString('en')} rows of ${columns.toLocaleString('en')} pixels are more than one import holds (${MAX_CSV_VALUES / 2 ** 20} M values).`,
      ),
    );
  const pixels = new Uint8Array(lines.length * columns);
  const labels = new Uint8Array(lines.length);
  let maxPixel = 0;
  for (let r = 0; r < lines.length; r++) {
    const fields = lines[r]!.split(',');
    for (let c = 0; c <= columns; c++) {
      const field = fields[c]!.trim();
      const v = WHOLE.test(field) ? Number(field) : NaN;
      if (!(v >= 0 && v <= 255)) {
        return err(
          dataError(
            'not-numeric',
            `${name}, line ${r + 1}, column ${c + 1}: "${field.slice(0, 20)}" is not a whole number from 0 to 255 (write plain digits, e.g. 0 or 255).`,
          ),
        );
      }
      if (c < columns) {
        pixels[r * columns + c] = v;
        maxPixel = Math.max(maxPixel, v);
      } else labels[r] = v;
    }
  }
  return ok({ rows: lines.length, columns, pixels, labels, maxPixel });
}

/** Commas in a line: its values less one. */
function commas(line: string): number {
  let n = 0;
  for (let i = line.indexOf(','); i !== -1; i = line.indexOf(',', i + 1)) n++;
  return n;
}

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

/**
 * Parses a CSV of pixel rows with the class label in the last column (integers, no header). Pixel values
 * must be integers in [0, 255]; labels in [0, 255]. Errors name the line and column.
 */
export function parsePixelCsv(text: string, name = 'CSV file'): Result<PixelCsv, DataError> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return err(dataError('empty', `${name} has no rows.`));
  const columns = lines[0]!.split(',').length - 1;
  if (columns < 1) return err(dataError('bad-shape', `${name} needs pixel columns followed by a label column; line 1 has a single column.`));
  const pixels = new Uint8Array(lines.length * columns);
  const labels = new Uint8Array(lines.length);
  let maxPixel = 0;
  for (let r = 0; r < lines.length; r++) {
    const fields = lines[r]!.split(',');
    if (fields.length !== columns + 1) {
      return err(
        dataError(
          'ragged-row',
          `${name}, line ${r + 1}: ${fields.length} values, but line 1 has ${columns + 1}. Every row must hold the same number of pixels and one label.`,
        ),
      );
    }
    for (let c = 0; c <= columns; c++) {
      const field = fields[c]!.trim();
      const v = Number(field);
      if (field === '' || !Number.isInteger(v) || v < 0 || v > 255) {
        return err(dataError('not-numeric', `${name}, line ${r + 1}, column ${c + 1}: "${field.slice(0, 20)}" is not a whole number from 0 to 255.`));
      }
      if (c < columns) {
        pixels[r * columns + c] = v;
        maxPixel = Math.max(maxPixel, v);
      } else labels[r] = v;
    }
  }
  return ok({ rows: lines.length, columns, pixels, labels, maxPixel });
}

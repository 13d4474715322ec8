/**
 * An uploaded spreadsheet refused as a whole: 400, naming where — sheet, row (1-based, as Excel shows it) and column
 * (its letter and header) — as far as the fault has a place. Mapped to HTTP in apps/api/src/errors/http-errors.ts.
 */
export class ImportFileRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly where: { sheet?: string; row?: number; column?: string } = {},
  ) {
    super(`${message} (${code})`);
    this.name = 'ImportFileRefused';
  }
}

/** Excel's column letters: 1 → A, 27 → AA. */
export const columnLetter = (n: number): string => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

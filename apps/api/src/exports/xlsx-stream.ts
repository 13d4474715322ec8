import * as ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';

// Streamed XLSX: exceljs's WorkbookWriter zips each row as it is committed, so a sheet of any length costs one
// batch of rows in memory. Sheets are written one after another (a zip entry at a time), never interleaved.

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
/** Excel refuses longer cell text. */
const MAX_CELL_TEXT = 32_767;

/** Rows between checks that exceljs's zip writer keeps pace (see zipCaughtUp). */
const ROWS_PER_ZIP_CHECK = 100;

/** The part of a readable-stream PassThrough that zipCaughtUp reads. */
interface ZipEntryPipe {
  destroyed?: boolean;
  _writableState?: { needDrain?: boolean };
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

export type { CellKind, CellValue, Column } from '@duban/read-models';
import type { CellKind, CellValue, Column } from '@duban/read-models';

export const INSTANT_FORMAT = 'yyyy-mm-dd hh:mm';
export const INSTANT_SECONDS_FORMAT = 'yyyy-mm-dd hh:mm:ss';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const PERCENT_FORMAT = '0.00%';

/**
 * An instant as an Excel date-time showing Asia/Shanghai wall time. Excel dates carry no zone; exceljs turns a JS
 * Date into a serial from its UTC fields, so the Date whose UTC fields are the Shanghai wall time is the one to pass.
 */
export function shanghaiExcelDate(instant: string | Date): Date | null {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return Number.isNaN(ms) ? null : new Date(ms + SHANGHAI_OFFSET_MS);
}

/** A calendar date as an Excel date (midnight of that day). */
export function excelDate(date: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** 'YYYYMMDD-HHmm' in Asia/Shanghai, for file names. */
export function shanghaiStamp(at: Date): string {
  const s = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}-${s.slice(11, 13)}${s.slice(14, 16)}`;
}

export class ExportAborted extends Error {
  constructor() {
    super('the client went away; export abandoned');
  }
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF999999' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export class StreamedWorkbook {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private aborted = false;

  constructor(private readonly out: Writable, meta: { creator: string; title: string; created: Date }) {
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.wb.creator = meta.creator;
    this.wb.title = meta.title;
    this.wb.created = meta.created;
    out.once('close', () => {
      if (!out.writableFinished) this.aborted = true;
    });
  }

  /**
   * Writes one sheet from batches of rows: a styled, frozen header row with an autofilter over the data, fixed
   * column widths, landscape fit-to-width printing. Returns the number of data rows.
   */
  async sheet<R>(name: string, columns: Column<R>[], batches: AsyncIterable<R[]>): Promise<number> {
    const ws = this.wb.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
    const header = ws.addRow(columns.map((c) => c.header));
    header.height = 30;
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
    header.commit();
    let n = 0;
    for await (const batch of batches) {
      for (const r of batch) {
        n++;
        const row = ws.addRow(columns.map((c) => toCell(c.kind ?? 'text', c.value(r, n))));
        columns.forEach((c, i) => styleCell(row.getCell(i + 1), c.kind ?? 'text'));
        row.commit();
        // exceljs pushes committed rows into its zip writer without backpressure; waiting on the client alone let
        // ~2.5 KB per row pile up as Buffers in front of the compressor (300 MiB at 100k rows, bench/export.bench.ts).
        if (n % ROWS_PER_ZIP_CHECK === 0) await this.zipCaughtUp(ws);
      }
      await this.backpressure();
    }
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: n + 1, column: columns.length } };
    await ws.commit();
    return n;
  }

  /** A two-column sheet of labelled values (导出说明). */
  async notes(name: string, entries: Array<{ label: string; value: CellValue; kind?: CellKind }>): Promise<void> {
    const ws = this.wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
    ws.columns = [
      { key: 'label', width: 34 },
      { key: 'value', width: 100 },
    ];
    const header = ws.addRow(['项目', '内容']);
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = BORDER;
    });
    header.commit();
    for (const e of entries) {
      const kind = e.kind ?? 'wrap';
      const row = ws.addRow([e.label, toCell(kind, e.value)]);
      row.getCell(1).font = { bold: true };
      row.getCell(1).alignment = { vertical: 'top' };
      styleCell(row.getCell(2), kind, kind === 'instant' ? INSTANT_SECONDS_FORMAT : undefined);
      row.commit();
    }
    await ws.commit();
  }

  async commit(): Promise<void> {
    await this.wb.commit();
  }

  /**
   * Waits until the zip writer has taken what the sheet handed it. exceljs exposes no backpressure: the sheet's
   * internal stream writes into a readable-stream PassThrough in front of the archiver regardless of its buffer, so
   * that buffer (`_writableState`, internal to both libraries) is watched here.
   */
  private async zipCaughtUp(ws: ExcelJS.Worksheet): Promise<void> {
    const pipes = (ws as unknown as { stream?: { pipes?: ZipEntryPipe[] } }).stream?.pipes ?? [];
    for (const pipe of pipes) {
      while (pipe._writableState?.needDrain && !pipe.destroyed) {
        await new Promise<void>((resolve) => {
          const done = () => {
            pipe.off('drain', done);
            pipe.off('close', done);
            resolve();
          };
          pipe.on('drain', done);
          pipe.on('close', done);
        });
      }
    }
    await this.backpressure();
  }

  /** Waits while the client is slower than the database, so unsent bytes never pile up beyond about a batch. */
  private async backpressure(): Promise<void> {
    for (;;) {
      if (this.aborted || this.out.destroyed) throw new ExportAborted();
      if (!this.out.writableNeedDrain) break;
      await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function toCell(kind: CellKind, v: CellValue): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'instant' && typeof v === 'string') return shanghaiExcelDate(v) ?? v;
  if (kind === 'date' && typeof v === 'string') return excelDate(v) ?? v;
  if (typeof v === 'string') return v.length > MAX_CELL_TEXT ? `${v.slice(0, MAX_CELL_TEXT - 20)}……（超长已截断）` : v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v;
}

/** One style object per kind and format, shared by every cell that has it (see styleCell). */
const CELL_STYLES = new Map<string, Partial<ExcelJS.Style>>();

/**
 * Gives the cell the shared style of its kind. exceljs's style registry remembers the style objects it has seen (a
 * WeakMap): a style built per cell was rendered to XML for every cell to find its id again — most of an export's CPU
 * and a stream of garbage that grew the heap and RSS with the row count. Nothing sets a cell's style after this.
 */
function styleCell(cell: ExcelJS.Cell, kind: CellKind, format?: string): void {
  const numFmt =
    kind === 'instant' ? (format ?? INSTANT_FORMAT) : kind === 'date' ? (format ?? DATE_FORMAT) : kind === 'percent' ? (format ?? PERCENT_FORMAT) : undefined;
  const key = `${kind}\u0000${numFmt ?? ''}`;
  let style = CELL_STYLES.get(key);
  if (!style) {
    style = {
      border: BORDER,
      ...(numFmt ? { numFmt } : {}),
      alignment: kind === 'wrap' ? { vertical: 'top', wrapText: true } : { vertical: 'top' },
    };
    CELL_STYLES.set(key, style);
  }
  cell.style = style;
}

/** RFC 6266 / RFC 5987: an ASCII fallback name and the UTF-8 (Chinese) one. */
export function contentDisposition(utf8Name: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Sends a streamed workbook as the response. `produce` calls `open` once it has decided to answer with a file; a
 * refusal thrown before that is an ordinary JSON error (rethrown). Once the file has started, a failure can only cut
 * the download short: the connection is dropped so the client never mistakes it for a whole file, and null is
 * returned.
 */
export async function sendXlsx<R>(
  res: ServerResponse,
  logger: { error(details: object, message: string): void },
  what: string,
  produce: (open: (fileName: string, asciiName: string) => Writable) => Promise<R>,
): Promise<R | null> {
  let started = false;
  try {
    return await produce((fileName, asciiName) => {
      started = true;
      res.statusCode = 200;
      res.setHeader('Content-Type', XLSX_CONTENT_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(fileName, asciiName));
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      return res;
    });
  } catch (err) {
    if (!started) throw err;
    if (!(err instanceof ExportAborted)) logger.error({ err, export: what }, 'export failed after streaming began');
    res.destroy();
    return null;
  }
}

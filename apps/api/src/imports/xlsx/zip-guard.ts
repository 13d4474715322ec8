import { inflateRawSync } from 'node:zlib';
import { ImportFileRefused } from './import-file-refused';

// An XLSX file is a zip. Before any XML parser inflates it, its central directory is read here: how many entries,
// and how large each says it is once inflated. A zip bomb (a small file that inflates to gigabytes, or thousands of
// entries) is refused on those declarations, and each entry is then inflated with its declared size as a hard cap,
// so an entry that lies about its size is stopped at the lie rather than at the end of memory.

export interface XlsxLimits {
  /** Bytes of the upload itself. */
  maxBytes: number;
  /** Bytes of every entry once inflated, as the zip's directory declares them. */
  maxUncompressedBytes: number;
  /** Entries in the zip; a workbook has a few dozen. */
  maxEntries?: number;
  /** Bytes of one entry once inflated. */
  maxEntryBytes?: number;
}

/** A county's 问题清单 of a few thousand rows is a few hundred kB; 5 MiB leaves room for a formatted one. */
export const DEFAULT_XLSX_LIMITS: Required<XlsxLimits> = {
  maxBytes: 5 * 1024 * 1024,
  maxUncompressedBytes: 128 * 1024 * 1024,
  maxEntries: 500,
  maxEntryBytes: 64 * 1024 * 1024,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const notXlsx = (why: string) => new ImportFileRefused('NOT_XLSX', `文件不是有效的 XLSX 工作簿：${why}`);
const bomb = (why: string) => new ImportFileRefused('ZIP_BOMB', `文件解压后过大或条目过多，疑似压缩炸弹，已拒绝：${why}`);

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

/**
 * Throws ImportFileRefused (EMPTY_FILE, FILE_TOO_LARGE, NOT_XLSX, ZIP_BOMB) unless the buffer is a small zip that is
 * safe to inflate and looks like XLSX.
 */
export function guardXlsx(buf: Buffer, given: XlsxLimits = DEFAULT_XLSX_LIMITS): void {
  const limits: Required<XlsxLimits> = { ...DEFAULT_XLSX_LIMITS, ...given };
  if (buf.length === 0) throw new ImportFileRefused('EMPTY_FILE', '上传的文件是空的');
  if (buf.length > limits.maxBytes) {
    throw new ImportFileRefused('FILE_TOO_LARGE', `文件超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MiB 的上限，请分批导入`);
  }
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL) throw notXlsx('不是 ZIP 格式（XLSX 文件是 ZIP 压缩包）');
  const entries = centralDirectory(buf, limits);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) throw notXlsx('压缩包中没有工作簿（xl/workbook.xml）');
  let total = 0;
  for (const e of entries) {
    if (e.uncompressed > limits.maxEntryBytes) throw bomb(`条目 ${e.name} 声明解压后 ${e.uncompressed} 字节`);
    total += e.uncompressed;
    if (total > limits.maxUncompressedBytes) throw bomb(`解压后合计超过 ${limits.maxUncompressedBytes} 字节`);
  }
  for (const e of entries) inflateWithin(buf, e);
}

function centralDirectory(buf: Buffer, limits: Required<XlsxLimits>): Entry[] {
  const end = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(end + 10);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw bomb('ZIP64 压缩包（工作簿用不到如此大的格式）');
  if (count > limits.maxEntries) throw bomb(`${count} 个条目，上限 ${limits.maxEntries}`);
  const entries: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw notXlsx('压缩包目录损坏');
    const nameLength = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      uncompressed: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + extra + comment;
  }
  return entries;
}

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === EOCD) return p;
  }
  throw notXlsx('找不到压缩包目录');
}

function inflateWithin(buf: Buffer, e: Entry): void {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw notXlsx(`条目 ${e.name} 损坏`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressed);
  if (data.length !== e.compressed) throw notXlsx(`条目 ${e.name} 不完整`);
  if (e.method === 0) {
    if (e.compressed !== e.uncompressed) throw bomb(`条目 ${e.name} 声明的大小不符`);
    return;
  }
  if (e.method !== 8) throw notXlsx(`条目 ${e.name} 使用了不支持的压缩方式 ${e.method}`);
  let out: Buffer;
  try {
    // One byte more than declared: reaching it means the declaration lied.
    out = inflateRawSync(data, { maxOutputLength: e.uncompressed + 1 });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw bomb(`条目 ${e.name} 解压后超过其声明的 ${e.uncompressed} 字节`);
    }
    throw notXlsx(`条目 ${e.name} 无法解压`);
  }
  if (out.length !== e.uncompressed) throw bomb(`条目 ${e.name} 解压后 ${out.length} 字节，声明为 ${e.uncompressed}`);
}

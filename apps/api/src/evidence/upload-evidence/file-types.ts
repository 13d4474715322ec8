/** The kinds of evidence accepted, told by their first bytes, not by what the client declares. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

const OOXML: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
const LEGACY_OFFICE: Record<string, string> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' };

const starts = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const extOf = (name: string) => (/\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? '').toLowerCase();

/**
 * The MIME type the bytes show, or null when they are none of the accepted kinds. Office files are containers (ZIP
 * for OOXML, OLE2 for the legacy formats): the container is checked by its magic bytes, and which office document it
 * is comes from the file name's extension or the declared type, both of which must name an office format.
 */
export function detectEvidenceType(bytes: Buffer, name: string, declared: string): string | null {
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts(bytes, [0x52, 0x49, 0x46, 0x46]) && starts(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (starts(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  const ext = extOf(name);
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) return OOXML[ext] ?? (Object.values(OOXML).includes(declared) ? declared : null);
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return LEGACY_OFFICE[ext] ?? (Object.values(LEGACY_OFFICE).includes(declared) ? declared : null);
  }
  return null;
}

/** A declared type that names another accepted kind than the bytes show (a PDF sent as image/png). */
export function contradicts(declared: string, detected: string): boolean {
  const d = declared.toLowerCase().split(';')[0].trim();
  if (!d || d === 'application/octet-stream') return false;
  const family = (t: string) => (t.startsWith('image/') ? t : t === 'application/pdf' ? 'pdf' : 'office');
  const known = [...IMAGE_TYPES, 'application/pdf', ...Object.values(OOXML), ...Object.values(LEGACY_OFFICE)] as string[];
  // An unusual but harmless declaration (image/jpg, application/zip) is not a contradiction; a known other kind is.
  return known.includes(d) && family(d) !== family(detected);
}

export const ACCEPTED_TYPES_TEXT = 'JPEG、PNG、WebP 图片，PDF，Word/Excel/PowerPoint 文档';

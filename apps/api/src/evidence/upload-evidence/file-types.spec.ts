import { contradicts, detectEvidenceType } from './file-types';

const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);

describe('evidence types by magic bytes', () => {
  it.each([
    [Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'a.bin', '', 'image/jpeg'],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a', '', 'image/png'],
    [Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'a', '', 'image/webp'],
    [Buffer.from('%PDF-1.7'), 'a', '', 'application/pdf'],
    [zip, '整改台账.xlsx', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    [zip, 'x', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    [ole, '报告.doc', '', 'application/msword'],
  ])('%#: accepts what the bytes show', (bytes, name, declared, expected) => {
    expect(detectEvidenceType(bytes, name, declared)).toBe(expected);
  });

  it('refuses what is not on the list, whatever it is called or declared', () => {
    expect(detectEvidenceType(Buffer.from('MZ\x90\x00'), 'photo.jpg', 'image/jpeg')).toBeNull();
    expect(detectEvidenceType(zip, 'archive.zip', 'application/zip')).toBeNull();
    expect(detectEvidenceType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg', 'image/svg+xml')).toBeNull();
    expect(detectEvidenceType(Buffer.alloc(0), 'a.png', 'image/png')).toBeNull();
  });

  it('a declared type of another accepted kind contradicts the bytes; a vague one does not', () => {
    expect(contradicts('image/png', 'application/pdf')).toBe(true);
    expect(contradicts('application/pdf', 'image/jpeg')).toBe(true);
    expect(contradicts('application/octet-stream', 'image/jpeg')).toBe(false);
    expect(contradicts('image/jpg', 'image/jpeg')).toBe(false);
    expect(contradicts('', 'application/pdf')).toBe(false);
  });
});

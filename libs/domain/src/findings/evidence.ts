import { InvalidInputError } from '../shared/errors';

/** An uploaded evidence file as a finding's events name it: its content hash and what it is, never its bytes. */
export interface EvidenceFile {
  /** Lowercase hex SHA-256 of the bytes: the file's address in the evidence store. */
  sha256: string;
  name: string;
  /** The MIME type its magic bytes showed. */
  type: string;
  size: number;
}

/**
 * The files behind a command's evidence references, as the write side found them among the uploads (any order; an
 * unknown reference is missing). Without them (an entry point with no evidence store) the references stand alone.
 * Checked where the event is built, after the signer's right to the step: a forbidden step is a 403 whatever it names.
 */
export function evidenceFilesFor(evidence: string[], files: EvidenceFile[] | undefined): { evidenceFiles?: EvidenceFile[] } {
  if (files === undefined) return {};
  const bySha = new Map(files.map((f) => [f.sha256, f]));
  return {
    evidenceFiles: evidence.map((ref, i) => {
      const file = bySha.get(ref);
      if (!file) throw new InvalidInputError('UNKNOWN_EVIDENCE', `evidence[${i}]`, `佐证材料 ${ref} 未上传，请先上传文件`);
      return { sha256: file.sha256, name: file.name, type: file.type, size: file.size };
    }),
  };
}

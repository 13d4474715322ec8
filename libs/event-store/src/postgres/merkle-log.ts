/**
 * The global Merkle log over the event store, split by role: the tables and their shared reads
 * (merkle-log-tables.ts), the sealer that appends leaves and signs checkpoints (merkle-log-sealer.ts), the reader that
 * builds proofs (merkle-log-reader.ts) and the verifier that recomputes everything (merkle-log-verifier.ts). Only the
 * names callers use leave this file; the row mapping stays inside.
 */
export { MERKLE_LOG_SUBSCRIPTION, MerkleLogError, loadLeafHashes, type LeafRecord } from './merkle-log-tables';
export { MerkleLogSealer, registerLogSigningKey, type SealResult } from './merkle-log-sealer';
export { MerkleLogReader, type ConsistencyProofResult, type InclusionProofResult } from './merkle-log-reader';
export { verifyMerkleLog, type LogBreak, type LogBreakReason, type LogReport } from './merkle-log-verifier';

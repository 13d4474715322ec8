import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;
type History = temporal.api.history.v1.IHistory;

/**
 * Recorded histories are stored as protobuf JSON objects (enum names, 64-bit integers and bytes as strings), through
 * the same generated message class both ways: Jest's per-file module registry defeats the SDK's JSON helpers.
 */
export const historyToText = (history: History): string =>
  JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1) + '\n';

export const historyFromText = (text: string): History => History.fromObject(JSON.parse(text));

export const HISTORY_DIR = join(__dirname, '..', 'histories');

export const recordedHistories = (): Array<{ name: string; history: History }> =>
  readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), history: historyFromText(readFileSync(join(HISTORY_DIR, f), 'utf8')) }));

/**
 * With RECORD_WORKFLOW_HISTORIES=1, writes the histories of the named runs into workflows/histories (the replay suite
 * replays whatever is there); otherwise does nothing.
 */
export const recordHistoriesIfAsked = async (
  recorded: Record<string, string>,
  fetchHistory: (workflowId: string) => Promise<History>,
): Promise<void> => {
  if (process.env.RECORD_WORKFLOW_HISTORIES !== '1') return;
  mkdirSync(HISTORY_DIR, { recursive: true });
  for (const [name, id] of Object.entries(recorded)) {
    writeFileSync(join(HISTORY_DIR, `${name}.json`), historyToText(await fetchHistory(id)));
  }
};

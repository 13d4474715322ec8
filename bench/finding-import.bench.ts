import { randomUUID } from 'node:crypto';
import { createWriteSide } from '@duban/application';
import { type Actor, DEMO_UNITS } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import { DirectoryQuery } from '@duban/read-models';
import { FindingListImportService } from '../apps/api/src/imports/finding-list/finding-list-import.service';
import type { DirectoryRepository } from '../apps/api/src/directory/directory.repository';
import { bigFindingList } from '../tests/support/finding-list-files';
import { type BenchServer, newPool, type Row, say, timeOnce } from './support';

const ROWS = 2000;
const ROUNDS = 3;
const NOW = new Date('2026-11-23T02:00:00.000Z');
const supervisor: Actor = { userId: 'sup-1', name: '李秀英', unitId: 'county-office', role: 'supervisor' };
const inspector: Actor = { userId: 'insp-1', name: '陈红梅', unitId: 'team-1', role: 'inspector' };
const admin: Actor = { userId: 'admin-1', name: '王建军', unitId: 'county-office', role: 'admin' };

/**
 * 导入问题清单: rows per second of the dry run and of the commit of a 2,000-row sheet (the one the e2e test builds:
 * misspelt towns, duplicates, bad rows, 180 closed), exactly as the API runs them (the service behind the endpoints:
 * zip guard, exceljs, the domain's decisions, the directory, one atomic append). Baseline, same run, same database:
 * the same accepted findings recorded one by one through FindingCommands (RecordFinding, one append each), as the
 * office would have to without the import. Each commit starts from an empty campaign of its own.
 */
export async function runFindingImportBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_import');
  const owner = newPool(db.adminUrl, 2);
  const app = newPool(db.appUrl, 8);
  try {
    for (const u of DEMO_UNITS) {
      await owner.query('INSERT INTO directory_units (unit_id, name, kind, parent_id) VALUES ($1, $2, $3, $4)', [u.id, u.name, u.kind, u.parentId ?? null]);
    }
    const clock = { now: () => NOW };
    const directory = new DirectoryQuery(app);
    const write = createWriteSide({ store: new PostgresEventStore(app, clock), clock, units: directory });
    const service = new FindingListImportService(write.findings, write.campaignContexts, directory as DirectoryRepository, clock);
    const campaign = async (campaignId: string) =>
      write.campaigns.handle(
        {
          type: 'CreateCampaign',
          data: {
            campaignId,
            name: '导入基准',
            noticePrefix: '郸巩督',
            phases: [
              { code: 'inspection', name: '排查', startDate: '2026-09-01', endDate: '2026-10-31' },
              { code: 'rectification', name: '集中整改', startDate: '2026-11-01', endDate: '2026-12-31' },
              { code: 'improvement', name: '提升', startDate: '2027-01-01', endDate: '2027-03-31' },
            ],
          },
        } as never,
        admin,
        { idempotencyKey: `create-${campaignId}`, correlationId: randomUUID() },
      );
    const file = await bigFindingList(ROWS);
    const upload = { fileName: 'bench.xlsx', buffer: file.buffer, fields: {} };
    say(`finding import: ${ROWS}-row sheet, ${(file.buffer.length / 1024).toFixed(0)} kB; ${ROUNDS} rounds…\n`);

    const dry = { ops: 0, seconds: 0, latencies: [] as number[] };
    const commit = { ops: 0, seconds: 0, latencies: [] as number[] };
    const again = { ops: 0, seconds: 0, latencies: [] as number[] };
    const oneByOne = { ops: 0, seconds: 0, latencies: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      const imported = `bench-import-${r}`;
      const recorded = `bench-record-${r}`;
      await campaign(imported);
      await campaign(recorded);
      const d = await timeOnce(ROWS, () => service.dryRun(imported, upload, supervisor, {}));
      let accepted = 0;
      const c = await timeOnce(ROWS, async () => {
        const res = await service.commit(imported, upload, { actor: supervisor, idempotencyKey: `import-${r}`, correlationId: randomUUID() }, {});
        accepted = res.imported.length;
      });
      const a = await timeOnce(ROWS, () => service.commit(imported, upload, { actor: supervisor, idempotencyKey: `again-${r}`, correlationId: randomUUID() }, {}));
      // The baseline records as many findings as the import accepted, one RecordFinding (and one append) each.
      const b = await timeOnce(accepted, async () => {
        for (let i = 0; i < accepted; i++) {
          const findingId = randomUUID();
          await write.findings.handle(
            {
              type: 'RecordFinding',
              findingId,
              data: {
                findingId,
                campaignId: recorded,
                source: 'household_inspection',
                categoryCode: '2.3',
                severity: 'yellow',
                townUnitId: 'town-04',
                village: `第${i % 40}村`,
                description: `问题 ${i}：脱贫户住房安全未保障`,
                evidence: [],
              },
            },
            inspector,
            { idempotencyKey: `record-${r}-${i}`, correlationId: randomUUID() },
          );
        }
      });
      for (const [acc, m] of [
        [dry, d],
        [commit, c],
        [again, a],
        [oneByOne, b],
      ] as const) {
        acc.ops += m.ops;
        acc.seconds += m.seconds;
      }
    }
    const baseline: Row = { bench: 'finding import', variant: 'RecordFinding one by one', unit: 'rows', m: oneByOne, note: 'FindingCommands, sequential' };
    return [
      baseline,
      { bench: 'finding import', variant: 'dry run (2,000 rows)', unit: 'rows', m: dry, baseline, note: 'parse + decide, writes nothing' },
      { bench: 'finding import', variant: 'commit (2,000 rows, 1,940 accepted)', unit: 'rows', m: commit, baseline, note: 'parse + decide + one atomic append' },
      { bench: 'finding import', variant: 'same file again', unit: 'rows', m: again, baseline, note: 'adds nothing' },
    ];
  } finally {
    await owner.end();
    await app.end();
  }
}

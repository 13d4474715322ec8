import { randomUUID } from 'node:crypto';
import * as ExcelJS from 'exceljs';
import { createWriteSide } from '@duban/application';
import type { Actor } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import { DirectoryProjector } from '@duban/read-models';
import type { PinoLogger } from 'nestjs-pino';
import { DirectoryRepository } from '../apps/api/src/directory/directory.repository';
import { DirectoryWriter } from '../apps/api/src/directory/directory-writer';
import { RosterImport } from '../apps/api/src/directory/roster-import/roster-import';
import { BenchServer, newPool, Row, say, timeOnce } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
const TOWNS = 20;
const VILLAGES_PER_TOWN = QUICK ? 5 : 15;
const PEOPLE = QUICK ? 500 : 2_000;
const ONE_BY_ONE = QUICK ? 50 : 200;

const admin: Actor = { userId: 'admin-1', name: '王建军', unitId: 'county-office', role: 'admin' };
const quiet = { setContext: () => undefined, warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as PinoLogger;

/** A county's roster as the template has it: towns, their villages, an official per person in a village. */
async function rosterWorkbook(): Promise<{ buf: Buffer; rows: number }> {
  const wb = new ExcelJS.Workbook();
  const units = wb.addWorksheet('单位');
  units.addRow(['单位名称', '单位类型', '上级单位', '统计用区划代码']);
  const villages: string[] = [];
  for (let t = 1; t <= TOWNS; t++) {
    const town = `411625${String(100 + t).padStart(3, '0')}000`;
    units.addRow([`第${t}镇`, '乡镇', null, town]);
    for (let v = 1; v <= VILLAGES_PER_TOWN; v++) {
      units.addRow([`第${t}镇${v}村`, '村', `第${t}镇`, `${town.slice(0, 9)}${String(200 + v)}`]);
      villages.push(`第${t}镇${v}村`);
    }
  }
  const people = wb.addWorksheet('人员');
  people.addRow(['姓名', '手机号', '职务', '所在单位', '角色']);
  for (let p = 0; p < PEOPLE; p++) people.addRow([`干部${p}`, `139${String(10_000_000 + p)}`, '村干部', villages[p % villages.length], '乡镇/部门责任人']);
  return { buf: Buffer.from(await wb.xlsx.writeBuffer()), rows: TOWNS * (1 + VILLAGES_PER_TOWN) + PEOPLE };
}

/**
 * 名册导入: rows per second of the dry run, the commit (one atomic append of every row, then the directory projected)
 * and the same file again (everything unchanged, nothing appended), against the baseline of registering people one
 * command each through the same DirectoryCommands (each projected before the next, as the API answers).
 */
export async function runRosterImportBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_roster');
  const pool = newPool(db.appUrl, 4);
  try {
    const clock = { now: () => new Date() };
    const store = new PostgresEventStore(pool, clock);
    const directory = new DirectoryRepository(pool);
    const write = createWriteSide({ store, clock, units: directory, directory });
    const writer = new DirectoryWriter(write.directory, new DirectoryProjector(pool), quiet);
    const roster = new RosterImport(write.directory, writer, directory, clock);
    const ctx = (idempotencyKey: string) => ({ actor: admin, idempotencyKey, correlationId: randomUUID() });

    await writer.handle({ type: 'CreateUnit', data: { unitId: 'county-office', name: '县巩固办', kind: 'county_office', reason: '基准' } }, admin, ctx('co'));
    await writer.handle({ type: 'CreateUnit', data: { unitId: 'town-base', name: '基准镇', kind: 'town', reason: '基准' } }, admin, ctx('tb'));
    const oneByOne = await timeOnce(ONE_BY_ONE, async () => {
      for (let i = 0; i < ONE_BY_ONE; i++) {
        await writer.handle(
          { type: 'RegisterPerson', data: { personId: `base-${i}`, name: `基准${i}`, phone: `137${String(10_000_000 + i)}`, unitId: 'town-base', role: 'unit_official', reason: '基准' } },
          admin,
          ctx(`base-${i}`),
        );
      }
    });

    const { buf, rows } = await rosterWorkbook();
    say(`roster: ${rows} rows (${TOWNS} towns, ${TOWNS * VILLAGES_PER_TOWN} villages, ${PEOPLE} people), ${(buf.length / 1024).toFixed(0)} KiB\n`);
    const dry = await timeOnce(rows, () => roster.dryRun(buf, 'bench.xlsx', admin));
    let appended = 0;
    const commit = await timeOnce(rows, async () => {
      appended = (await roster.commit(buf, 'bench.xlsx', ctx('roster-1'))).applied.events;
    });
    let again = -1;
    const repeat = await timeOnce(rows, async () => {
      again = (await roster.commit(buf, 'bench.xlsx', ctx('roster-2'))).applied.events;
    });
    const baseline: Row = { bench: 'roster import', variant: 'one RegisterPerson per request', unit: 'rows', m: oneByOne };
    return [
      baseline,
      { bench: 'roster import', variant: 'dry run', unit: 'rows', m: dry, baseline, note: 'nothing written' },
      { bench: 'roster import', variant: 'commit', unit: 'rows', m: commit, baseline, note: `${appended} events in one append` },
      { bench: 'roster import', variant: 'same file again', unit: 'rows', m: repeat, baseline, note: `${again} events appended` },
    ];
  } finally {
    await pool.end();
  }
}

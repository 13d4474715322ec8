import { arrayOf, int, nullable, obj, oneOf, str, type Schema } from './schema-dsl';

// 导入问题清单: the dry run's verdicts and the commit's result (apps/api/src/imports/finding-list).

const VERDICTS = ['ok', 'needs_choice', 'refused', 'already_imported'] as const;

const problem = obj({
  column: str,
  code: str,
  message: str,
  suggestions: arrayOf(obj({ value: str, label: str })),
  choosable: { type: 'boolean' },
});

export const IMPORT_SCHEMAS = {
  FindingListDryRun: obj(
    {
      campaignId: str,
      fileName: str,
      sha256: str,
      sheet: str,
      headerRow: int,
      counts: obj({ ok: int, needs_choice: int, refused: int, already_imported: int, open: int, closed: int }),
      rows: arrayOf(
        obj({
          row: int,
          verdict: oneOf(VERDICTS),
          kind: nullable(oneOf(['open', 'closed'])),
          problems: arrayOf(problem),
          findingId: nullable(str),
        }),
      ),
    },
    '预检：每行的结论、所在列与原因，需选择的行附可选项',
  ),
  FindingListCommit: obj(
    {
      campaignId: str,
      sha256: str,
      imported: arrayOf(obj({ row: int, findingId: str, kind: oneOf(['open', 'closed']) })),
      alreadyImported: arrayOf(obj({ row: int, findingId: str })),
      notImported: arrayOf(obj({ row: int, verdict: oneOf(VERDICTS), problems: arrayOf(problem) })),
    },
    '导入结果：本次导入的行、此前已导入的行、未导入的行及原因',
  ),
} satisfies Record<string, Schema>;

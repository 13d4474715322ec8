import { PERSON_ROLES, UNIT_KINDS } from '@duban/domain';
import { arrayOf, bool, dateTime, int, nullable, obj, oneOf, page, ref, str } from './schema-dsl';

// Response schemas of the directory (单位、人员): its commands, lists, tree, memberships, audit trail and the roster import.

const fieldValue = nullable({ oneOf: [str, bool] });

const rosterRow = obj({
  sheet: str,
  row: int,
  verdict: oneOf(['ok', 'unchanged', 'refused']),
  'subjectId?': str,
  'name?': str,
  problems: arrayOf(obj({ column: nullable(str), code: str, message: str })),
});

export const DIRECTORY_SCHEMAS = {
  DirectoryCommandResult: obj({
    id: str,
    streamId: str,
    version: int,
    events: arrayOf(str),
    projected: bool,
  }),
  DirectoryUnitPage: page(
    obj({
      unitId: str,
      name: str,
      kind: oneOf(UNIT_KINDS),
      parentId: nullable(str),
      leaderUserId: nullable(str),
      divisionCode: nullable(str),
      active: bool,
      activePeople: int,
    }),
  ),
  UnitTreeNode: obj({
    unitId: str,
    name: str,
    kind: oneOf(UNIT_KINDS),
    divisionCode: nullable(str),
    active: bool,
    children: arrayOf(ref('UnitTreeNode')),
  }),
  UnitTree: arrayOf(ref('UnitTreeNode')),
  DirectoryPersonPage: page(
    obj({
      userId: str,
      name: str,
      phone: nullable(str),
      title: str,
      unitId: str,
      unitName: nullable(str),
      role: oneOf(PERSON_ROLES),
      active: bool,
    }),
  ),
  Membership: obj({
    userId: str,
    unitId: str,
    unitName: nullable(str),
    role: oneOf(PERSON_ROLES),
    title: str,
    active: bool,
    validFrom: dateTime,
    validTo: nullable(dateTime),
  }),
  PersonMemberships: obj({
    userId: str,
    memberships: arrayOf(ref('Membership')),
    'at?': dateTime,
    'membershipAt?': nullable(ref('Membership')),
  }),
  DirectoryChangePage: page(
    obj({
      streamId: str,
      version: int,
      eventId: str,
      eventType: str,
      subjectKind: oneOf(['unit', 'person']),
      subjectId: str,
      signer: obj({ id: str, name: str, unitId: str, role: str }),
      at: dateTime,
      reason: str,
      changes: arrayOf(obj({ field: str, before: fieldValue, after: fieldValue })),
    }),
  ),
  RosterDryRun: obj({
    fileSha256: str,
    rows: arrayOf(rosterRow),
    counts: obj({ ok: int, unchanged: int, refused: int }),
  }),
  RosterCommitResult: obj({
    fileSha256: str,
    counts: obj({ ok: int, unchanged: int, refused: int }),
    applied: obj({ streams: int, events: int }),
    projected: bool,
    rows: arrayOf(rosterRow),
  }),
};

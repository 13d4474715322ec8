import type { Actor } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testContext, utc } from '../testing/fixtures';
import { type EvidenceFile, findingDecider, type FindingCommand, type FindingEvent } from './index';

const spec = deciderSpec(findingDecider, testContext());
const { inspector, supervisor } = actors;

const photo: EvidenceFile = { sha256: 'a'.repeat(64), name: '现场照片.jpg', type: 'image/jpeg', size: 123_456 };
const report: EvidenceFile = { sha256: 'b'.repeat(64), name: '鉴定报告.pdf', type: 'application/pdf', size: 9_876 };

const record = (data: { evidence: string[]; evidenceFiles?: EvidenceFile[] }, actor: Actor = inspector): FindingCommand => ({
  type: 'RecordFinding',
  data: {
    findingId: 'f1', campaignId: 'c1', source: 'household_inspection', categoryCode: '2.3', severity: 'yellow',
    townUnitId: 'town-a', description: '危房未改造', ...data,
  },
  metadata: { now: sh('2026-10-08 09:00'), actor },
});

const recorded = (evidence: string[], evidenceFiles?: EvidenceFile[]): FindingEvent => ({
  type: 'FindingRecorded',
  data: {
    findingId: 'f1', campaignId: 'c1', source: 'household_inspection', categoryCode: '2.3', severity: 'yellow',
    townUnitId: 'town-a', village: null, household: null, description: '危房未改造', evidence,
    ...(evidenceFiles ? { evidenceFiles } : {}), signedBy: inspector, at: utc('2026-10-08 09:00'),
  },
});

describe('evidence files on a finding', () => {
  it('the event records each referenced file’s hash, name, type and size, in the order referenced', () => {
    spec
      .given([])
      .when(record({ evidence: [report.sha256, photo.sha256], evidenceFiles: [photo, report] }))
      .then([recorded([report.sha256, photo.sha256], [report, photo])]);
  });

  it('a reference to nothing uploaded is refused, naming its place in the list', () => {
    spec
      .given([])
      .when(record({ evidence: [photo.sha256, 'c'.repeat(64)], evidenceFiles: [photo] }))
      .thenThrows({ kind: 'invalid_input', code: 'UNKNOWN_EVIDENCE', field: 'evidence[1]' });
  });

  it('a signer without the right to the step is refused for that first, whatever the evidence names', () => {
    spec.given([]).when(record({ evidence: ['c'.repeat(64)], evidenceFiles: [] }, supervisor)).thenThrows({ kind: 'forbidden' });
  });

  it('without files resolved (an entry point with no evidence store) the references stand alone, as before', () => {
    spec.given([]).when(record({ evidence: ['file-1'] })).then([recorded(['file-1'])]);
  });

});

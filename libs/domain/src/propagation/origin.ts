/** What a propagation follows up: a finding, or a checklist item the county wants every unit to check. */
export type PropagationOrigin = { kind: 'finding'; findingId: string } | { kind: 'checklist_item'; categoryCode: string };

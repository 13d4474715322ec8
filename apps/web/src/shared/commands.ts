import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, commandHeaders, newIdempotencyKey, ok, type Schemas } from '../api/client';

/** Each step on a finding and the body the API takes for it (generated from the OpenAPI document). */
export interface FindingCommandBodies {
  claim: Schemas['ClaimFindingDto'];
  plan: Schemas['SubmitRectificationPlanDto'];
  progress: Schemas['ReportProgressDto'];
  'extension-requests': Schemas['RequestExtensionDto'];
  'extension-requests/grant': Schemas['GrantExtensionDto'];
  'extension-requests/refuse': Schemas['RefuseExtensionDto'];
  rectification: Schemas['SubmitRectificationDto'];
  verify: Schemas['VerifyRectificationDto'];
  reject: Schemas['RejectRectificationDto'];
  reassign: Schemas['ReassignFindingDto'];
  'escalations/acknowledge': Schemas['AcknowledgeEscalationDto'];
}
export type FindingAction = keyof FindingCommandBodies;

export function sendFindingCommand<A extends FindingAction>(findingId: string, action: A, body: FindingCommandBodies[A], key = newIdempotencyKey()) {
  // One template for every step; the map above keeps each body to its own DTO.
  const path = `/findings/{findingId}/${action}` as '/findings/{findingId}/claim';
  return ok(api.POST(path, { params: { path: { findingId }, header: commandHeaders(key) }, body: body as Schemas['ClaimFindingDto'] }));
}

/** A step on a finding as a mutation; success refreshes every list and the finding. */
export function useFindingCommand<A extends FindingAction>(action: A) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (v: { findingId: string; body: FindingCommandBodies[A] }) => sendFindingCommand(v.findingId, action, v.body),
    onSuccess: () => queries.invalidateQueries(),
  });
}

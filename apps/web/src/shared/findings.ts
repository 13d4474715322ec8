import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { operations } from '../api/schema';

type LedgerQuery = NonNullable<operations['listFindings']['parameters']['query']>;

/** The 问题台账 with filters; a unit official's answer is already scoped to their unit by the API. */
export const useFindings = (query: LedgerQuery, opts: { enabled?: boolean; refetchInterval?: number } = {}) =>
  useQuery({
    queryKey: ['findings', query],
    queryFn: () => ok(api.GET('/findings', { params: { query: { pageSize: 200, ...query } } })),
    ...opts,
  });

export const useFinding = (findingId: string | undefined) =>
  useQuery({
    queryKey: ['finding', findingId],
    enabled: !!findingId,
    queryFn: () => ok(api.GET('/findings/{findingId}', { params: { path: { findingId: findingId! } } })),
  });

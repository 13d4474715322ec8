import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

// Reference data changes rarely: cached for the session.
const forever = { staleTime: Infinity, gcTime: Infinity } as const;

export const useCampaigns = () => useQuery({ queryKey: ['campaigns'], queryFn: () => ok(api.GET('/campaigns')), ...forever });

/** The campaign people work in: the latest one (the demo county has one). */
export function useCurrentCampaign() {
  const q = useCampaigns();
  return { ...q, campaign: q.data?.[q.data.length - 1] };
}

export const useChecklist = () => useQuery({ queryKey: ['checklist'], queryFn: () => ok(api.GET('/reference/checklist')), ...forever });
export const useSources = () => useQuery({ queryKey: ['sources'], queryFn: () => ok(api.GET('/reference/sources')), ...forever });
export const useUnits = () => useQuery({ queryKey: ['units'], queryFn: () => ok(api.GET('/units')), ...forever });

export function useUnitName(): (id: string | null | undefined) => string {
  const units = useUnits().data ?? [];
  const names = new Map(units.map((u) => [u.unitId, u.name]));
  return (id) => (id ? (names.get(id) ?? id) : '—');
}

export function useCategoryName(): (code: string | null | undefined) => string {
  const items = useChecklist().data?.items ?? [];
  const names = new Map(items.map((i) => [i.code, i.name]));
  return (code) => (code ? `${code} ${names.get(code) ?? ''}`.trim() : '—');
}

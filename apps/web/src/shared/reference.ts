import { useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

// Reference data changes rarely: cached for the session.
const forever = { staleTime: Infinity, gcTime: Infinity } as const;

export const useCampaigns = () => useQuery({ queryKey: ['campaigns'], queryFn: () => ok(api.GET('/campaigns')), ...forever });

const CHOSEN = 'duban.campaign';
const chosenListeners = new Set<() => void>();

/** The campaign the person picked (专项行动 above each screen), kept on this device. */
export function chooseCampaign(campaignId: string): void {
  localStorage.setItem(CHOSEN, campaignId);
  chosenListeners.forEach((l) => l());
}

/**
 * The campaign people work in: the one picked on this device; else the demo campaign where the demo county has its
 * month of history (a newcomer's first look should not be an empty campaign — no real county has a demo one); else
 * the latest.
 */
export function useCurrentCampaign() {
  const q = useCampaigns();
  const chosen = useSyncExternalStore(
    (l) => (chosenListeners.add(l), () => chosenListeners.delete(l)),
    () => localStorage.getItem(CHOSEN),
  );
  const all = q.data ?? [];
  return { ...q, campaign: all.find((c) => c.campaignId === chosen) ?? all.find((c) => c.demo) ?? all[all.length - 1] };
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

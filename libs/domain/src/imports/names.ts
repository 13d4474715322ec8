// Tolerant matching of the place and unit names people type into a county's 问题清单 against the directory's names:
// 城关 ↔ 城关镇, full-width ↔ half-width, stray spaces, 乡/镇/街道 suffixes. Pure: the directory is passed in.

export interface NamedUnit {
  unitId: string;
  name: string;
}

export type NameMatch =
  | { kind: 'exact'; unit: NamedUnit }
  | { kind: 'ambiguous'; candidates: NamedUnit[] }
  | { kind: 'unknown'; suggestions: NamedUnit[] };

/** NFKC folds full-width letters, digits and the ideographic space; then every kind of whitespace goes. */
export const normaliseText = (value: string): string => value.normalize('NFKC').replace(/\s+/gu, '');

const TOWN_SUFFIXES = ['街道办事处', '街道办', '办事处', '街道', '镇', '乡'];
const VILLAGE_SUFFIXES = ['村民委员会', '社区居民委员会', '居民委员会', '村委会', '居委会', '社区', '村'];
const UNIT_PREFIXES = /^.{1,6}?县(?=.)/u;

const stripSuffix = (name: string, suffixes: readonly string[]): string => {
  for (const s of suffixes) if (name.length > s.length && name.endsWith(s)) return name.slice(0, -s.length);
  return name;
};

/** The part of a town's name people keep when they abbreviate it: 城关镇 → 城关, 郸城县宁平镇 → 宁平. */
export const townKey = (name: string): string => stripSuffix(normaliseText(name).replace(UNIT_PREFIXES, ''), TOWN_SUFFIXES);
export const villageKey = (name: string): string => stripSuffix(normaliseText(name), VILLAGE_SUFFIXES);
/** Departments: 郸城县教体局 ↔ 县教体局 ↔ 教体局; a town given as 责任单位 matches as a town. */
export const unitKey = (name: string): string => townKey(normaliseText(name).replace(/^县/u, ''));

/** Edit distance, bounded: names here are a few characters long. */
export const editDistance = (a: string, b: string): number => {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
};

/**
 * Matches one typed name. The normalised full name first, then the key (suffixes and county prefix dropped): one
 * candidate is a match, several are a choice for the importer. Nothing matching: the names within one edit (a typo
 * of one character) or sharing the key as a part are suggested, closest first.
 */
export class NameIndex {
  private readonly byName = new Map<string, NamedUnit[]>();
  private readonly byKey = new Map<string, NamedUnit[]>();

  constructor(
    private readonly units: readonly NamedUnit[],
    private readonly keyOf: (name: string) => string,
  ) {
    for (const u of units) {
      push(this.byName, normaliseText(u.name), u);
      push(this.byKey, keyOf(u.name), u);
    }
  }

  byId(unitId: string): NamedUnit | undefined {
    return this.units.find((u) => u.unitId === unitId);
  }

  get size(): number {
    return this.units.length;
  }

  match(typed: string): NameMatch {
    const exact = this.byName.get(normaliseText(typed));
    if (exact?.length === 1) return { kind: 'exact', unit: exact[0] };
    const key = this.keyOf(typed);
    const byKey = exact ?? this.byKey.get(key) ?? [];
    if (byKey.length === 1) return { kind: 'exact', unit: byKey[0] };
    if (byKey.length > 1) return { kind: 'ambiguous', candidates: byKey };
    const scored = this.units
      .map((u) => {
        const k = this.keyOf(u.name);
        const d = editDistance(key, k);
        const near = d <= Math.max(1, Math.floor(Math.min(key.length, k.length) / 3));
        const part = key.length >= 2 && (k.includes(key) || key.includes(k));
        return { u, d, ok: near || part };
      })
      .filter((s) => s.ok)
      .sort((a, b) => a.d - b.d || a.u.name.localeCompare(b.u.name, 'zh'));
    return { kind: 'unknown', suggestions: scored.slice(0, 3).map((s) => s.u) };
  }
}

const push = (map: Map<string, NamedUnit[]>, key: string, u: NamedUnit): void => {
  const list = map.get(key);
  if (list) list.push(u);
  else map.set(key, [u]);
};

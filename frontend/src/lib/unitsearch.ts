// Search over administrative units as a person remembers them: without
// tones or case ("ba dinh" finds "Phường Ba Đình"), by the first letters of
// each word, over the current units and the former ones (before 1 July
// 2025, with the unit each is now part of).

export interface UnitEntry {
  key: string; // unique: 'c:00004' or 'f:00013:00004'
  kind: 'current' | 'former';
  name: string; // "Phường Ba Đình", "Phường Điện Biên"
  district?: string; // former units: "Quận Ba Đình"
  nowPartOf?: string[]; // former units: the current unit names
  newCodes?: string[]; // former units: the current unit codes
  code?: string; // current units: the unit code
  officeText?: string; // former units: "UBND phường Điện Biên, quận Ba Đình"
}

/** Lower case, no tones or hats, đ → d: "Phường Ba Đình" → "phuong ba dinh". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

// Every query word starts some word of the text.
function wordsMatch(words: string[], text: string[]): boolean {
  return words.every((w) => text.some((t) => t.startsWith(w)));
}

/**
 * The entries matching query, best first: current units whose name matches,
 * then former units whose name matches, then former units that match only
 * with their district; alphabetical within each group. limit bounds the
 * result (0: no bound).
 */
export function searchUnits(entries: UnitEntry[], query: string, limit = 0): UnitEntry[] {
  const words = fold(query).split(' ').filter(Boolean);
  if (!words.length) return [];
  const groups: UnitEntry[][] = [[], [], []];
  for (const e of entries) {
    const name = fold(e.name).split(' ');
    if (wordsMatch(words, name)) groups[e.kind === 'current' ? 0 : 1].push(e);
    else if (e.kind === 'former' && e.district && wordsMatch(words, [...name, ...fold(e.district).split(' ')])) groups[2].push(e);
  }
  const byName = (a: UnitEntry, b: UnitEntry) => collator.compare(a.name, b.name) || collator.compare(a.district ?? '', b.district ?? '');
  const out = groups.flatMap((g) => g.sort(byName));
  return limit > 0 ? out.slice(0, limit) : out;
}

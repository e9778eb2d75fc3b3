// What the kiosk already knows is not asked twice: the requester as the
// person on the record ("myself"), the residence as the postal address, and
// what the ID card's QR gives, wherever it applies.
import { getPath, setPath } from './draft';
import { fold, type UnitEntry } from './unitsearch';
import type { Draft } from './draft';

/** Sex from the 12-digit personal ID: its 4th digit is even for men, odd for women. */
export function sexFromPersonalId(id: string): 'male' | 'female' | '' {
  if (!/^\d{12}$/.test(id)) return '';
  return Number(id[3]) % 2 === 0 ? 'male' : 'female';
}

// The requester's fields that are the same person's on the record.
const SELF: [from: string, to: string][] = [
  ['requester.full_name', 'subject.full_name'],
  ['requester.birth_date', 'subject.birth_date'],
  ['requester.sex', 'subject.sex'],
  ['requester.personal_id', 'subject.personal_id'],
];

/**
 * Copies the requester onto the person on the record when the relation is
 * "self", for the subject fields the service asks (fieldIds). A subject
 * field is only written when it is empty or still holds what was copied
 * before (copied, updated here), so what the citizen changed stays.
 * The sex comes from the ID number when the card did not give it.
 */
export function prefillSelf(d: Draft, fieldIds: Set<string>, copied: Record<string, string>): void {
  if (getPath(d, 'requester.relation') !== 'self') return;
  for (const [from, to] of SELF) {
    if (!fieldIds.has(to)) continue;
    let v = String(getPath(d, from) ?? '').trim();
    if (!v && to === 'subject.sex') v = sexFromPersonalId(String(getPath(d, 'requester.personal_id') ?? ''));
    if (!v) continue;
    const cur = String(getPath(d, to) ?? '');
    if (cur === '' || cur === copied[to]) {
      setPath(d, to, v);
      copied[to] = v;
    }
  }
}

export interface Address { province: string; commune: string; street: string }

export function sameAddress(a: Partial<Address> | undefined, b: Partial<Address> | undefined): boolean {
  return !!a && !!b && (a.province ?? '') === (b.province ?? '') && (a.commune ?? '') === (b.commune ?? '') &&
    (a.street ?? '').trim() === (b.street ?? '').trim();
}

export function addressComplete(a: Partial<Address> | undefined): boolean {
  return !!a?.province && !!a?.commune && !!String(a?.street ?? '').trim();
}

/**
 * Splits an address as printed on the ID card ("Số 7 ngõ 12, Phường Ba
 * Đình, Thành phố Hà Nội") into the street part and the commune it names,
 * current or former (a former unit counts when it went into one current
 * unit). No commune found: the whole text is the street.
 */
export function splitAddress(text: string, units: UnitEntry[]): { street: string; commune: string } {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const byName = new Map<string, UnitEntry[]>();
  for (const u of units) {
    const k = fold(u.name);
    byName.set(k, [...(byName.get(k) ?? []), u]);
  }
  for (let i = 0; i < parts.length; i++) {
    const found = byName.get(fold(parts[i]));
    if (!found) continue;
    const street = parts.slice(0, i).join(', ');
    const current = found.find((u) => u.kind === 'current');
    if (current?.code) return { street, commune: current.code };
    // A former unit: the district that follows tells which one.
    const district = parts[i + 1] ? fold(parts[i + 1]) : '';
    const former = found.filter((u) => u.kind === 'former' && (!district || fold(u.district ?? '') === district));
    const codes = new Set(former.flatMap((u) => u.newCodes ?? []));
    if (codes.size === 1) return { street, commune: [...codes][0] };
  }
  return { street: text.trim(), commune: '' };
}

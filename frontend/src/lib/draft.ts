// The request draft (the JSON of kiosk.Request) and access by dotted path, the
// same paths the catalogue's field IDs and the backend's Problems use.
import type { Catalogue, Field, Request } from './api';

/** The draft is the request as Go reads it. */
export type Draft = Request;

export function emptyDraft(service = ''): Draft {
  const addr = () => ({ province: '', commune: '', street: '' });
  return {
    service,
    requester: { full_name: '', personal_id: '', phone: '', residence: addr(), relation: '', authorisation: '', birth_date: '', sex: '' },
    subject: { full_name: '', birth_date: '', sex: '', ethnicity: '', nationality: '', personal_id: '', spouse_name: '' },
    event: '',
    register: { office: '', office_text: '', date: '', number: '', book: '' },
    copies: 1,
    delivery: { method: '', address: addr(), recipient: '', phone: '' },
    consent: { notice_version: '', purposes: [], accepted_at: '0001-01-01T00:00:00Z' },
    purpose: '',
    extra: {},
  };
}

export function getPath(d: Draft, path: string): any {
  if (path.startsWith('extra.')) return d.extra?.[path.slice(6)] ?? '';
  let v: any = d;
  for (const p of path.split('.')) {
    if (v == null || typeof v !== 'object') return '';
    v = v[p];
  }
  return v ?? '';
}

export function setPath(d: Draft, path: string, value: any): void {
  if (path.startsWith('extra.')) {
    d.extra ??= {};
    if (value === '' || value == null) delete d.extra[path.slice(6)];
    else d.extra[path.slice(6)] = String(value);
    return;
  }
  const parts = path.split('.');
  let v: any = d;
  for (const p of parts.slice(0, -1)) {
    if (v[p] == null || typeof v[p] !== 'object') v[p] = {};
    v = v[p];
  }
  v[parts[parts.length - 1]] = value;
}

/** Whether a field is shown for the current answers. */
export function visible(field: Field, d: Draft, cat?: Catalogue | null): boolean {
  if (field.id === 'delivery.address') return getPath(d, 'delivery.method') === 'post';
  if (field.id === 'requester.authorisation') return authorisationNeeded(d, cat);
  // The waiver is asked as one plain question at the review.
  if (field.id === WAIVER_FIELD) return false;
  return true;
}

/** The checkbox that claims the fee waiver; asked at the review. */
export const WAIVER_FIELD = 'extra.digital_citizen';

/**
 * A written authorisation is needed when the relation is chosen and is not
 * a close one (the person, or their grandparent, parent, child, spouse or
 * sibling); without a catalogue, whenever a relation is chosen.
 */
export function authorisationNeeded(d: Draft, cat?: Catalogue | null): boolean {
  const rel = getPath(d, 'requester.relation');
  if (!rel) return false;
  const opt = cat?.option_lists?.relations?.find((o) => o.id === rel);
  return !opt?.close;
}

/** Whether a field must be filled for the answers so far (beyond the catalogue's own mark). */
export function requiredNow(field: Field, d: Draft, cat?: Catalogue | null): boolean {
  if (field.required) return true;
  if (field.id === 'delivery.address') return getPath(d, 'delivery.method') === 'post';
  if (field.id === 'requester.authorisation') return authorisationNeeded(d, cat);
  return false;
}

/** A field with no answer (client-side "required" check). */
export function isEmpty(field: Field, d: Draft): boolean {
  const v = getPath(d, field.id);
  switch (field.kind) {
    case 'address':
      return !v?.province || !v?.commune || !String(v?.street ?? '').trim();
    case 'office':
      return !d.register?.office && !String(d.register?.office_text ?? '').trim();
    case 'checkbox':
      return v !== 'true' && v !== true;
    case 'number':
      return !(Number(v) > 0);
    default:
      return String(v ?? '').trim() === '';
  }
}

/** Does a Problem's field path belong to this field? */
export function problemFor(fieldId: string, problemField: string): boolean {
  return problemField === fieldId || problemField.startsWith(fieldId + '.') ||
    (fieldId === 'register.office' && problemField === 'register.office_text');
}

/** Joins date parts into YYYY-MM-DD, or '' when incomplete. */
export function joinDate(p: { d: string; m: string; y: string }): string {
  if (!p.d || !p.m || p.y.length !== 4) return '';
  return `${p.y}-${p.m.padStart(2, '0')}-${p.d.padStart(2, '0')}`;
}

export function splitDate(s: string): { d: string; m: string; y: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  return m ? { y: m[1], m: m[2], d: m[3] } : { d: '', m: '', y: '' };
}

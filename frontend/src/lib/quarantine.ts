// A quarantined request's reason in words for the staff: which field, what
// to do, and whether sending it again can help. The city's reason is a list
// "field.path: English message; …" for fields it found wrong, or a
// technical line (a damaged or unreadable payload, an old fee catalogue).
import type { Catalogue, Text } from './api';

export type Advice = 'resend' | 'sync_then_resend' | 'citizen' | 'support';

export interface Explained {
  fields: { label: Text; detail: string }[]; // the fields the city found wrong
  other: string[]; // reasons that are not about a field
  advice: Advice;
}

function fieldLabel(cat: Catalogue | null | undefined, path: string): Text | null {
  for (const s of cat?.services ?? []) {
    for (const st of s.steps ?? []) {
      for (const f of st.fields) {
        if (path === f.id || path.startsWith(f.id + '.')) return f.label;
      }
    }
  }
  return null;
}

export function explainQuarantine(outcome: string, reason: string, cat?: Catalogue | null): Explained {
  const out: Explained = { fields: [], other: [], advice: 'support' };
  if (outcome === 'conflict') return { ...out, other: reason ? [reason] : [], advice: 'support' };
  for (const part of (reason ?? '').split(/;\s*/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z_]+(?:\.[a-z_]+)*):\s*(.*)$/.exec(part);
    const label = m ? fieldLabel(cat, m[1]) : null;
    if (m && label) out.fields.push({ label, detail: m[2] });
    else out.other.push(part);
  }
  const text = out.other.join(' ').toLowerCase();
  if (out.fields.length) out.advice = 'citizen';
  else if (/quoted_vnd|catalogue|notice/.test(text)) out.advice = 'sync_then_resend';
  else if (/sha256|open|decrypt|truncat|sealed/.test(text)) out.advice = 'resend';
  return out;
}

// Message catalogues and the helpers that pick text in the current language.
import { vi } from './vi';

export type Messages = { [K in keyof typeof vi]: string };
export type Key = keyof typeof vi;
export type Lang = 'vi' | 'en';
export { vi };

/**
 * The words of a message Go sent by key (docs/messages.md) in one language:
 * the text it brings, else msg_<key> of the catalogue with its params; ''
 * for a key the catalogue lacks.
 */
export function messageWords(
  m: { key: string; params?: Record<string, string>; text?: { vi: string; en: string } } | null | undefined,
  catalogue: Record<string, string>,
  lang: Lang,
): string {
  if (!m) return '';
  if (m.text && (m.text.vi || m.text.en)) return (lang === 'en' ? m.text.en || m.text.vi : m.text.vi || m.text.en) ?? '';
  const words = catalogue['msg_' + m.key];
  return words ? format(words, m.params) : '';
}

/** Fills {name} placeholders. */
export function format(s: string, params?: Record<string, string | number>): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

// Message catalogues and the helpers that pick text in the current language.
import { vi } from './vi';

export type Messages = { [K in keyof typeof vi]: string };
export type Key = keyof typeof vi;
export type Lang = 'vi' | 'en';
export { vi };

/**
 * The words of a message Go sent by key (docs/messages.md) in one language:
 * msg_<key> of the catalogue with its params, and those written out here
 * ({offset} from offset_minutes); '' for a key the catalogue lacks.
 */
export function messageWords(
  m: { key: string; params?: Record<string, string> } | null | undefined,
  catalogue: Record<string, string>,
  lang: Lang,
): string {
  if (!m) return '';
  const words = catalogue['msg_' + m.key];
  if (!words) return '';
  const params: Record<string, string> = { ...m.params };
  if (m.params?.offset_minutes != null) params.offset = offsetWords(Number(m.params.offset_minutes), lang);
  return format(words, params);
}

/**
 * A clock's offset of whole minutes: "1 ngày 2 giờ 5 phút" in Vietnamese,
 * Go's way in English ("26h5m0s"), as the kiosk has always written it.
 */
export function offsetWords(minutes: number, lang: Lang): string {
  const total = Math.abs(Math.round(minutes)) || 0;
  const days = Math.floor(total / 1440), h = Math.floor((total % 1440) / 60), m = total % 60;
  if (lang === 'en') {
    if (total === 0) return '0s';
    const hours = Math.floor(total / 60);
    return hours > 0 ? `${hours}h${m}m0s` : `${m}m0s`;
  }
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ngày`);
  if (h > 0) parts.push(`${h} giờ`);
  if (m > 0 || parts.length === 0) parts.push(`${m} phút`);
  return parts.join(' ');
}

/** Fills {name} placeholders. */
export function format(s: string, params?: Record<string, string | number>): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

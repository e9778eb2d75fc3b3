// Dates, times and money for display, in Asia/Ho_Chi_Minh.
import type { Lang } from './i18n/index';

const TZ = 'Asia/Ho_Chi_Minh';
const locale = (l: Lang) => (l === 'vi' ? 'vi-VN' : 'en-GB');

export function fmtDateTime(iso: string | undefined, lang: Lang): string {
  if (!iso || iso.startsWith('0001-')) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale(lang), { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** YYYY-MM-DD as dd/mm/yyyy. */
export function fmtDate(ymd: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

export function fmtMoney(vnd: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(vnd);
}

/** Age of a time as whole minutes, hours or days. */
export function ageParts(iso: string | undefined, now = Date.now()): { unit: 'minutes' | 'hours' | 'days'; n: number } | null {
  if (!iso || iso.startsWith('0001-')) return null;
  const ms = now - new Date(iso).getTime();
  if (isNaN(ms)) return null;
  const min = Math.max(0, Math.floor(ms / 60000));
  if (min < 120) return { unit: 'minutes', n: min };
  if (min < 48 * 60) return { unit: 'hours', n: Math.floor(min / 60) };
  return { unit: 'days', n: Math.floor(min / 1440) };
}

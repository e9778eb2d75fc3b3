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

/** Digits typed for a date (ddmmyyyy, up to 8) shown as dd/mm/yyyy while typing. */
export function dateDigitsShown(digits: string): string {
  const d = digits.replace(/\D/g, '').slice(0, 8);
  return [d.slice(0, 2), d.slice(2, 4), d.slice(4)].filter(Boolean).join('/');
}

/** The date that 8 typed digits (ddmmyyyy) name as YYYY-MM-DD, or '' when they name none. */
export function dateFromDigits(digits: string): string {
  const d = digits.replace(/\D/g, '');
  if (d.length !== 8) return '';
  const day = Number(d.slice(0, 2));
  const month = Number(d.slice(2, 4));
  const year = Number(d.slice(4));
  if (year < 1800 || month < 1 || month > 12 || day < 1) return '';
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return '';
  return `${d.slice(4)}-${d.slice(2, 4)}-${d.slice(0, 2)}`;
}

/** YYYY-MM-DD → YYYYMMDD's typed form ddmmyyyy. */
export function digitsOfDate(ymd: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
  return m ? m[3] + m[2] + m[1] : '';
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date read back in words: "14 tháng 3 năm 1955", "14 March 1955". */
export function dateInWords(ymd: string | undefined, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
  if (!m) return '';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return lang === 'vi' ? `${d} tháng ${mo} năm ${y}` : `${d} ${MONTHS_EN[mo - 1]} ${y}`;
}

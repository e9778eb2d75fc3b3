// Message catalogues and the helpers that pick text in the current language.
import { vi } from './vi';

export type Messages = { [K in keyof typeof vi]: string };
export type Key = keyof typeof vi;
export type Lang = 'vi' | 'en';
export { vi };

/** Fills {name} placeholders. */
export function format(s: string, params?: Record<string, string | number>): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

import { expect, test } from 'vitest';
import { ageParts, fmtDate, fmtDateTime, fmtMoney } from './format';
import { warnSecs } from './idle.svelte';

test('dates and times in Asia/Ho_Chi_Minh', () => {
  expect(fmtDate('2026-12-01')).toBe('01/12/2026');
  expect(fmtDate('')).toBe('');
  // 18:28 UTC is 01:28 the next day in Hanoi.
  expect(fmtDateTime('2026-11-28T18:28:00Z', 'en')).toContain('29/11/2026');
  expect(fmtDateTime('0001-01-01T00:00:00Z', 'vi')).toBe('');
  expect(fmtDateTime('nonsense', 'vi')).toBe('');
});

test('money', () => {
  expect(fmtMoney(16000, 'vi')).toBe('16.000');
  expect(fmtMoney(16000, 'en')).toBe('16,000');
});

test('ages', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  expect(ageParts('2026-11-28T11:30:00Z', now)).toEqual({ unit: 'minutes', n: 30 });
  expect(ageParts('2026-11-28T06:00:00Z', now)).toEqual({ unit: 'hours', n: 6 });
  expect(ageParts('2026-11-25T12:00:00Z', now)).toEqual({ unit: 'days', n: 3 });
  expect(ageParts(undefined, now)).toBeNull();
});

test('idle warning length', () => {
  expect(warnSecs(90)).toBe(20);
  expect(warnSecs(20)).toBe(6);
  expect(warnSecs(5)).toBe(3);
});

import { describe, expect, test } from 'vitest';
import { ageParts, fmtDate, fmtDateTime, fmtMoney, dateDigitsShown, dateFromDigits, dateInWords, digitsOfDate } from './format';
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

describe('one date entry of eight digits', () => {
  test.each([
    ['1', '1'],
    ['14', '14'],
    ['140', '14/0'],
    ['1403', '14/03'],
    ['14031', '14/03/1'],
    ['14031955', '14/03/1955'],
    ['14/03/1955', '14/03/1955'],
    ['140319551', '14/03/1955'],
  ])('%s shows as %s', (typed, shown) => expect(dateDigitsShown(typed)).toBe(shown));
  test.each([
    ['14031955', '1955-03-14'],
    ['29022024', '2024-02-29'],
    ['29022023', ''],
    ['31041990', ''],
    ['00011990', ''],
    ['01131990', ''],
    ['1403195', ''],
    ['01011700', ''],
  ])('%s is %s', (digits, iso) => expect(dateFromDigits(digits)).toBe(iso));
  test('read back in words', () => {
    expect(dateInWords('1955-03-14', 'vi')).toBe('14 tháng 3 năm 1955');
    expect(dateInWords('1955-03-14', 'en')).toBe('14 March 1955');
    expect(dateInWords('', 'vi')).toBe('');
    expect(digitsOfDate('1955-03-14')).toBe('14031955');
  });
});

import { expect, test } from 'vitest';
import { vi } from './vi';
import { en } from './en';
import { format } from './index';

test('no key is missing in either language', () => {
  expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
});

test('no message is empty, Vietnamese is NFC', () => {
  for (const [k, v] of Object.entries(vi)) {
    expect(v, k).not.toBe('');
    expect(v, k).toBe(v.normalize('NFC'));
  }
  for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
});

test('placeholders match between languages', () => {
  const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
  for (const k of Object.keys(vi) as (keyof typeof vi)[]) expect(ph(en[k]), k).toEqual(ph(vi[k]));
});

test('format', () => {
  expect(format('Bước {n}/{total}', { n: 3, total: 6 })).toBe('Bước 3/6');
});

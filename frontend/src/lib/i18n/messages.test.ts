import { describe, expect, test } from 'vitest';
import { vi } from './vi';
import { en } from './en';
import { format, messageWords, offsetWords } from './index';

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

describe('messages Go sends by key', () => {
  test('a key with params, in both languages', () => {
    const m = { key: 'alarm_disk_low', params: { free_mb: '90', floor_mb: '100' } };
    expect(messageWords(m, vi, 'vi')).toContain('(còn 90 MB, cần ít nhất 100 MB)');
    expect(messageWords(m, en, 'en')).toContain('(90 MB free, at least 100 MB needed)');
  });
  test("the clock's offset is written out in each language", () => {
    const m = { key: 'alarm_clock_skew', params: { offset_minutes: '180' } };
    expect(messageWords(m, vi, 'vi')).toContain('lệch 3 giờ so với');
    expect(messageWords(m, en, 'en')).toContain('3h0m0s off');
  });
  test.each([
    [0, '0 phút', '0s'],
    [7, '7 phút', '7m0s'],
    [125, '2 giờ 5 phút', '2h5m0s'],
    [180, '3 giờ', '3h0m0s'],
    [1561, '1 ngày 2 giờ 1 phút', '26h1m0s'],
  ])('an offset of %i minutes', (mins, viWords, enWords) => {
    expect(offsetWords(mins, 'vi')).toBe(viWords);
    expect(offsetWords(mins, 'en')).toBe(enWords);
  });
  test('a printer problem names its device', () => {
    const m = { key: 'printer_not_found', params: { target: '/dev/usb/lp0' } };
    expect(messageWords(m, vi, 'vi')).toBe('Không thấy máy in (/dev/usb/lp0). Kiểm tra máy in đã bật và cáp USB đã cắm.');
    expect(messageWords(m, en, 'en')).toBe('The printer (/dev/usb/lp0) is not there. Check it is switched on and its USB cable is plugged in.');
    expect(messageWords({ key: 'printer_no_paper' }, vi, 'vi')).toContain('hết giấy');
    expect(messageWords({ key: 'printer_send_failed' }, vi, 'vi')).toContain('Kiểm tra giấy, nắp máy và cáp');
  });
  test('an unknown key has no words', () => {
    expect(messageWords({ key: 'no_such_key' }, vi, 'vi')).toBe('');
    expect(messageWords(null, vi, 'vi')).toBe('');
  });
  test('every message in the goldens Go wrote has words', () => {
    const goldens = import.meta.glob('../api/testdata/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
    const keys = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.key === 'string' && o.key) keys.add(o.key);
        Object.values(o).forEach(walk);
      }
    };
    Object.values(goldens).forEach(walk);
    expect(keys.size).toBeGreaterThan(0);
    for (const k of keys) {
      expect(messageWords({ key: k }, vi, 'vi'), k).not.toBe('');
      expect(messageWords({ key: k }, en, 'en'), k).not.toBe('');
    }
  });
});

import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseCccdQr, looksLikeCccd } from './cccdqr';

const seeds = readFileSync(new URL('../../testdata/cccdqr-seeds.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

describe('parseCccdQr', () => {
  test('a full code', () => {
    const r = parseCccdQr('001090012345|012345678|Nguyễn Văn An|15031990|Nam|Số 12 Ngõ 34 Phố Huế, Hà Nội|20042021');
    expect(r).toEqual({
      ok: true,
      data: {
        personal_id: '001090012345',
        old_id: '012345678',
        full_name: 'Nguyễn Văn An',
        birth_date: '1990-03-15',
        sex: 'male',
        address: 'Số 12 Ngõ 34 Phố Huế, Hà Nội',
        issued: '2021-04-20',
      },
    });
  });
  test.each([
    ['empty old ID', '001190012346||Trần Thị Bình|01011990|Nữ|Hà Nội|10102022', true],
    ['old ID left out', "066301234567|H'Hen Niê|01012001|Nữ|Đắk Lắk|05052021", true],
    ['decomposed Nữ', '001190012346||Trần Thị Bình|01011990|Nu\u031b\u0303|Hà Nội|10102022', true],
    ['trailing newline', '001190012346||Trần Thị Bình|01011990|Nữ|Hà Nội|10102022\r\n', true],
    ['11-digit ID', '00109001234|012345678|A|15031990|Nam|Hà Nội|20042021', false],
    ['13-digit ID', '0010900123456|012345678|A|15031990|Nam|Hà Nội|20042021', false],
    ['letters in ID', '00109001234X|012345678|A|15031990|Nam|Hà Nội|20042021', false],
    ['31 February', '001090012345|012345678|A|31021990|Nam|Hà Nội|20042021', false],
    ['too many fields', '001090012345|1|A|15031990|Nam|Hà Nội|20042021|x', false],
    ['empty name', '001090012345|012345678||15031990|Nam|Hà Nội|20042021', false],
    ['empty', '', false],
  ])('%s', (_name, raw, ok) => {
    expect(parseCccdQr(raw).ok).toBe(ok);
  });
  test('sex', () => {
    const f = parseCccdQr('001190012346||Trần Thị Bình|01011990|Nữ|Hà Nội|10102022');
    expect(f.ok && f.data.sex).toBe('female');
  });
  test('eth read as Đ', () => {
    const f = parseCccdQr('001190012346||\u00D0ặng Thị \u00F0ào|01011990|Nữ|Hà Nội|10102022');
    expect(f.ok && f.data.full_name).toBe('Đặng Thị đào');
  });
  test('looksLikeCccd', () => {
    expect(looksLikeCccd(seeds[0])).toBe(true);
    expect(looksLikeCccd('K7M-4HX-R9P')).toBe(false);
  });
});

describe('fuzz: never throws', () => {
  test('seeds', () => {
    for (const s of seeds) expect(() => parseCccdQr(s)).not.toThrow();
    expect(parseCccdQr(seeds[0]).ok).toBe(true);
  });
  test('random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const r = parseCccdQr(s);
        return typeof r.ok === 'boolean';
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
  test('mutated seeds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(400), fc.string({ maxLength: 5 }), (s, at, ins) => {
        const m = s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1));
        const r = parseCccdQr(m);
        if (r.ok) {
          expect(r.data.personal_id).toMatch(/^\d{12}$/);
          expect(r.data.birth_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
        return true;
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
  test('non-strings', () => {
    for (const v of [null, undefined, 1, {}, []]) expect(parseCccdQr(v).ok).toBe(false);
  });
});

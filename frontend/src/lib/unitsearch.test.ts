import { describe, expect, test } from 'vitest';
import { fold, searchUnits, type UnitEntry } from './unitsearch';

const cur = (code: string, name: string): UnitEntry => ({ key: 'c:' + code, kind: 'current', name, code });
const old = (name: string, district: string, now: string): UnitEntry => ({
  key: `f:${name}:${district}`, kind: 'former', name, district, nowPartOf: [now], officeText: `UBND ${name}, ${district}`,
});
const units: UnitEntry[] = [
  cur('00070', 'Phường Hoàn Kiếm'),
  cur('00004', 'Phường Ba Đình'),
  cur('00008', 'Phường Ngọc Hà'),
  cur('09700', 'Xã Ba Vì'),
  cur('00025', 'Phường Giảng Võ'),
  old('Phường Điện Biên', 'Quận Ba Đình', 'Phường Ba Đình'),
  old('Phường Đội Cấn', 'Quận Ba Đình', 'Phường Ngọc Hà'),
  old('Xã Ba Trại', 'Huyện Ba Vì', 'Xã Ba Vì'),
  old('Phường Cống Vị', 'Quận Ba Đình', 'Phường Ngọc Hà'),
];

describe('fold', () => {
  test.each([
    ['Phường Ba Đình', 'phuong ba dinh'],
    ['ĐỘI CẤN', 'doi can'],
    ['Thị trấn Tây Đằng', 'thi tran tay dang'],
    ['  Ngọc-Hà ', 'ngoc ha'],
    ['Phu\u031bo\u031b\u0300ng', 'phuong'], // decomposed input
  ])('%s → %s', (s, want) => expect(fold(s)).toBe(want));
});

describe('searchUnits', () => {
  const names = (q: string, limit = 0) => searchUnits(units, q, limit).map((u) => u.name);
  test('without tones and case', () => {
    expect(names('ba dinh')[0]).toBe('Phường Ba Đình');
    expect(names('BA ĐÌNH')[0]).toBe('Phường Ba Đình');
    expect(names('phuong ba dinh')[0]).toBe('Phường Ba Đình');
  });
  test('by the first letters of each word', () => {
    expect(names('ba d')[0]).toBe('Phường Ba Đình');
    expect(names('doi c')).toEqual(['Phường Đội Cấn']);
  });
  test('a former unit by its name, with what it is now part of', () => {
    const r = searchUnits(units, 'dien bien');
    expect(r.map((u) => u.name)).toEqual(['Phường Điện Biên']);
    expect(r[0].nowPartOf).toEqual(['Phường Ba Đình']);
  });
  test('current first, then former by name, then former by district; alphabetical in each', () => {
    expect(names('ba')).toEqual([
      'Phường Ba Đình', 'Xã Ba Vì', // current, by name
      'Xã Ba Trại', // former, by name
      'Phường Cống Vị', 'Phường Điện Biên', 'Phường Đội Cấn', // former, by district "Quận Ba Đình"
    ]);
  });
  test('an empty query, or no match, gives nothing; limit bounds', () => {
    expect(names('')).toEqual([]);
    expect(names('   ')).toEqual([]);
    expect(names('zzz')).toEqual([]);
    expect(names('ba', 2)).toEqual(['Phường Ba Đình', 'Xã Ba Vì']);
  });
});

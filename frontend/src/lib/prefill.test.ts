import { describe, expect, test } from 'vitest';
import { emptyDraft } from './draft';
import { prefillSelf, sexFromPersonalId, splitAddress, sameAddress } from './prefill';
import type { UnitEntry } from './unitsearch';

test('sex from the personal ID', () => {
  expect(sexFromPersonalId('001190012345')).toBe('female'); // G = 1
  expect(sexFromPersonalId('001090012345')).toBe('male'); // G = 0
  expect(sexFromPersonalId('001205012345')).toBe('male'); // G = 2, 2005
  expect(sexFromPersonalId('001305012345')).toBe('female');
  expect(sexFromPersonalId('0011900')).toBe('');
});

describe('prefillSelf', () => {
  const fields = new Set(['subject.full_name', 'subject.birth_date', 'subject.sex', 'subject.personal_id']);
  function draft() {
    const d = emptyDraft('birth_extract_copy');
    d.requester.full_name = 'Trần Thị Lan';
    d.requester.personal_id = '001185054321';
    d.requester.relation = 'self';
    return d;
  }
  test('copies the requester onto the record, sex from the ID', () => {
    const d = draft();
    prefillSelf(d, fields, {});
    expect(d.subject.full_name).toBe('Trần Thị Lan');
    expect(d.subject.personal_id).toBe('001185054321');
    expect(d.subject.sex).toBe('female');
    expect(d.subject.birth_date).toBe('');
  });
  test('the card birth date and sex when scanned', () => {
    const d = draft();
    d.requester.birth_date = '1985-03-14';
    d.requester.sex = 'male';
    prefillSelf(d, fields, {});
    expect(d.subject.birth_date).toBe('1985-03-14');
    expect(d.subject.sex).toBe('male');
  });
  test('what the citizen changed stays; what was copied follows the requester', () => {
    const d = draft();
    const copied = {};
    prefillSelf(d, fields, copied);
    d.subject.full_name = 'Trần Thị Lan Anh';
    d.requester.personal_id = '001185099999';
    prefillSelf(d, fields, copied);
    expect(d.subject.full_name).toBe('Trần Thị Lan Anh');
    expect(d.subject.personal_id).toBe('001185099999');
  });
  test('only for "self", only the fields the service asks', () => {
    const d = draft();
    d.requester.relation = 'parent';
    prefillSelf(d, fields, {});
    expect(d.subject.full_name).toBe('');
    const d2 = draft();
    prefillSelf(d2, new Set(['subject.full_name']), {});
    expect(d2.subject.full_name).toBe('Trần Thị Lan');
    expect(d2.subject.personal_id).toBe('');
  });
});

describe('splitAddress', () => {
  const units: UnitEntry[] = [
    { key: 'c:00004', kind: 'current', name: 'Phường Ba Đình', code: '00004' },
    { key: 'c:00008', kind: 'current', name: 'Phường Ngọc Hà', code: '00008' },
    { key: 'f:1', kind: 'former', name: 'Phường Điện Biên', district: 'Quận Ba Đình', newCodes: ['00004'] },
    { key: 'f:2', kind: 'former', name: 'Phường Cống Vị', district: 'Quận Ba Đình', newCodes: ['00004', '00008'] },
  ];
  test.each([
    ['Số 7 ngõ 12, Phường Ba Đình, Thành phố Hà Nội', 'Số 7 ngõ 12', '00004'],
    ['Số 7, phường ba đình, Hà Nội', 'Số 7', '00004'],
    ['Số 3 phố Hàng Bông, Phường Điện Biên, Quận Ba Đình, Hà Nội', 'Số 3 phố Hàng Bông', '00004'],
    ['Số 9, Phường Cống Vị, Quận Ba Đình, Hà Nội', 'Số 9 ngõ', ''], // split: no single commune
    ['Số 7 ngõ 12 phố Huế, Hà Nội', 'Số 7 ngõ 12 phố Huế, Hà Nội', ''],
  ])('%s', (text, street, commune) => {
    const r = splitAddress(text, units);
    expect(r.commune).toBe(commune);
    if (commune) expect(r.street).toBe(street);
    else expect(r.street).toBe(text);
  });
  test('sameAddress', () => {
    expect(sameAddress({ province: '01', commune: '00004', street: 'Số 1 ' }, { province: '01', commune: '00004', street: 'Số 1' })).toBe(true);
    expect(sameAddress({ province: '01', commune: '00004', street: 'Số 1' }, { province: '01', commune: '00008', street: 'Số 1' })).toBe(false);
  });
});

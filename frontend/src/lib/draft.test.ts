import { expect, test } from 'vitest';
import { emptyDraft, getPath, setPath, joinDate, splitDate, isEmpty, problemFor } from './draft';
import { groupCode, normaliseCode } from './receiptcode';

test('paths', () => {
  const d = emptyDraft('birth_extract_copy');
  setPath(d, 'requester.residence.street', 'Số 1');
  setPath(d, 'extra.digital_citizen', 'true');
  expect(getPath(d, 'requester.residence.street')).toBe('Số 1');
  expect(d.extra).toEqual({ digital_citizen: 'true' });
  setPath(d, 'extra.digital_citizen', '');
  expect(d.extra).toEqual({});
  expect(getPath(d, 'nope.x.y')).toBe('');
});
test('dates', () => {
  expect(joinDate({ d: '5', m: '3', y: '1990' })).toBe('1990-03-05');
  expect(joinDate({ d: '5', m: '3', y: '199' })).toBe('');
  expect(splitDate('1990-03-05')).toEqual({ d: '05', m: '03', y: '1990' });
});
test('isEmpty', () => {
  const d = emptyDraft();
  expect(isEmpty({ id: 'requester.residence', kind: 'address', label: { vi: '', en: '' }, required: false }, d)).toBe(true);
  expect(isEmpty({ id: 'copies', kind: 'number', label: { vi: '', en: '' }, required: false }, d)).toBe(false);
});
test('problemFor', () => {
  expect(problemFor('requester.residence', 'requester.residence.commune')).toBe(true);
  expect(problemFor('requester.phone', 'requester.phone_x')).toBe(false);
});
test('receipt codes', () => {
  expect(normaliseCode('k7m-4hx-r9p')).toBe('K7M4HXR9P');
  expect(groupCode('K7M4HX')).toBe('K7M-4HX');
  expect(normaliseCode('bgsz')).toBe('8652');
});

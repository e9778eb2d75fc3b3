import { expect, test } from 'vitest';
import { explainQuarantine } from './quarantine';
import type { Catalogue } from './api';

const cat = {
  services: [{ id: 'birth_extract_copy', steps: [{ id: 'delivery', title: { vi: '', en: '' }, fields: [
    { id: 'delivery.address', kind: 'address', label: { vi: 'Địa chỉ nhận qua bưu chính', en: 'Postal address' } },
  ] }] }],
} as unknown as Catalogue;

test.each([
  ['rejected', 'delivery.address.street: Postal address: this field is required', 'citizen', 1],
  ['rejected', 'quoted_vnd: the kiosk quoted 8000 đồng, catalogue 2026.1 gives 0', 'sync_then_resend', 0],
  ['rejected', 'sha256 does not match the sealed payload', 'resend', 0],
  ['conflict', 'same request_id with a different hash', 'support', 0],
  ['rejected', 'something new', 'support', 0],
])('%s "%s" → %s', (outcome, reason, advice, fields) => {
  const e = explainQuarantine(outcome, reason, cat);
  expect(e.advice).toBe(advice);
  expect(e.fields).toHaveLength(fields);
});

test('the field by its label, the other reasons kept', () => {
  const e = explainQuarantine('rejected', 'delivery.address: Postal address: required; consent: too old', cat);
  expect(e.fields[0].label.vi).toBe('Địa chỉ nhận qua bưu chính');
  expect(e.fields[0].detail).toBe('Postal address: required');
  expect(e.other).toEqual(['consent: too old']);
  expect(e.advice).toBe('citizen');
});

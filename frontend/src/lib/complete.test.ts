import { expect, test } from 'vitest';
import { personalIdComplete, phoneComplete } from './complete';

test.each([
  ['0912345678', true],
  ['091234567', false],
  ['02438251234', true],
  ['0243825123', false], // a landline needs 11 digits
  ['0312345678', true],
  ['0112345678', false],
])('phone %s complete: %s', (s, want) => expect(phoneComplete(s)).toBe(want));
test('personal ID', () => {
  expect(personalIdComplete('001190012345')).toBe(true);
  expect(personalIdComplete('00119001234')).toBe(false);
});

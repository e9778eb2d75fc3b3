// Composer cost per key against a baseline of plain string appends of the
// same keys (run: npm run bench). Reported as a ratio, never asserted.
import { bench, describe } from 'vitest';
import { emptyState, typeKey } from './telex';

const keys = Array.from('Nguyeenx Thij Minh Khai DDawngj Truwowng Hoaf Thuyr ');

describe('type a 52-key name line', () => {
  bench('baseline: append each key to a string', () => {
    let s = '';
    for (const k of keys) s = (s + k).normalize('NFC');
  });
  bench('telex composer: typeKey per key', () => {
    let st = emptyState();
    for (const k of keys) st = typeKey(st, k);
  });
});

import { expect, test } from 'vitest';
import { listenScanner } from './scanner';

function fakeWindow() {
  const handlers: ((e: any) => void)[] = [];
  (globalThis as any).window = {
    addEventListener: (_t: string, h: any) => handlers.push(h),
    removeEventListener: () => {},
  };
  return (key: string) => handlers.forEach((h) => h({ key, preventDefault() {}, ctrlKey: false, metaKey: false, altKey: false }));
}

test('a fast burst ending in Enter is a scan; slow keys are not', () => {
  const press = fakeWindow();
  let clock = 0;
  const got: string[] = [];
  listenScanner({ onScan: (s) => got.push(s), now: () => clock });
  for (const ch of '001090012345|') { clock += 10; press(ch); }
  clock += 10; press('Enter');
  expect(got).toEqual(['001090012345|']);
  for (const ch of 'ABCDEFGHIJ') { clock += 1000; press(ch); }
  clock += 1000; press('Enter');
  expect(got.length).toBe(1);
});

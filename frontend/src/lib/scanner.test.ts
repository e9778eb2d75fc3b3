import { expect, test } from 'vitest';
import { listenScanner, type ScanBatch } from './scanner';

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

test('serial scans come to the same onScan, only those made while listening', async () => {
  fakeWindow();
  const got: string[] = [];
  const calls: number[] = [];
  const batches: ScanBatch[] = [
    { enabled: true, scans: [], last: 3 }, // the start: position 3, nothing replayed
    { enabled: true, scans: [{ seq: 4, text: 'Đă\u0323ng Thi\u0323 Thuỷ' }, { seq: 5, text: 'K7M4QXR9P' }], last: 5 },
  ];
  let stop = () => {};
  const done = new Promise<void>((resolve) => {
    stop = listenScanner({
      onScan: (s) => got.push(s),
      serial: true,
      next: async (after) => {
        calls.push(after);
        const b = batches.shift();
        if (!b) {
          stop();
          resolve();
          return { enabled: true, scans: [], last: 5 };
        }
        return b;
      },
    });
  });
  await done;
  expect(calls).toEqual([-1, 3, 5]);
  expect(got).toEqual(['Đặng Thị Thuỷ', 'K7M4QXR9P']);
});

test('no serial scanner: the page stops asking', async () => {
  fakeWindow();
  let calls = 0;
  listenScanner({ onScan: () => {}, serial: true, next: async () => { calls++; return { enabled: false, scans: [], last: 0 }; } });
  await new Promise((r) => setTimeout(r, 0));
  expect(calls).toBe(1);
});

test('keyboard: false leaves the keys alone (a real keyboard types)', async () => {
  const press = fakeWindow();
  const got: string[] = [];
  let clock = 0;
  const stop = listenScanner({ onScan: (s) => got.push(s), now: () => clock, keyboard: false, serial: false });
  for (const ch of 'K7M4QXR9P') { clock += 5; press(ch); }
  press('Enter');
  stop();
  expect(got).toEqual([]);
});

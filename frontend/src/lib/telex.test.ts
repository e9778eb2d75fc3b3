import { describe, expect, test } from 'vitest';
import { backspace, emptyState, pressTone, typeAll, typeKey, VOWELS, TONES, type ComposerState, type Tone } from './telex';

const TELEX_VOWEL: Record<string, string> = {
  a: 'a', ă: 'aw', â: 'aa', e: 'e', ê: 'ee', i: 'i', o: 'o', ô: 'oo', ơ: 'ow', u: 'u', ư: 'uw', y: 'y',
};
const MARK: Record<string, string> = { '': '', s: '\u0301', f: '\u0300', r: '\u0309', x: '\u0303', j: '\u0323' };
const ALL_TONES: Tone[] = ['', ...TONES];

function expected(v: string, tone: Tone, upper: boolean): string {
  const s = (v.normalize('NFD') + MARK[tone]).normalize('NFC');
  return upper ? s.toUpperCase() : s;
}

describe('every vowel with every tone', () => {
  for (const v of VOWELS) {
    for (const tone of ALL_TONES) {
      for (const upper of [false, true]) {
        const want = expected(v, tone, upper);
        test(`telex ${want}`, () => {
          let keys = TELEX_VOWEL[v] + tone;
          if (upper) keys = keys.toUpperCase();
          const got = typeAll(keys);
          expect(got).toBe(want);
          expect(got).toBe(got.normalize('NFC'));
        });
        test(`buttons ${want}`, () => {
          // The diacritic row: the letter button, then the tone button.
          let st = typeKey(emptyState(), upper ? v.toUpperCase() : v);
          if (tone) st = pressTone(st, tone);
          expect(st.text).toBe(want);
        });
      }
    }
  }
  test('đ Đ', () => {
    expect(typeAll('dd')).toBe('đ');
    expect(typeAll('DD')).toBe('Đ');
    expect(typeAll('Dd')).toBe('Đ');
    expect(typeAll('ddd')).toBe('dd');
  });
});

describe('real names', () => {
  const cases: [string, string][] = [
    ['Nguyeenx', 'Nguyễn'],
    ['Nguyenxe', 'Nguyễn'],
    ['DDawngj', 'Đặng'],
    ['Ddawngj', 'Đặng'],
    ['Hoaf', 'Hoà'],
    ['Thuyr', 'Thuỷ'],
    ['Truwowng', 'Trương'],
    ['Truowng', 'Trương'],
    ["H'Hen Niee", "H'Hen Niê"],
    ['Y Moan Eenuool', 'Y Moan Ênuôl'],
    ['Nguyeenx Thij Minh Khai', 'Nguyễn Thị Minh Khai'],
    ['Tuaans', 'Tuấn'],
    ['Tuasn', 'Tuán'],
    ['Quoocs', 'Quốc'],
    ['Gif', 'Gì'],
    ['Giuwx', 'Giữ'],
    ['Quys', 'Quý'],
    ['Khoer', 'Khoẻ'],
    ['Ngoaif', 'Ngoài'],
    ['Hoafng', 'Hoàng'],
    ['Phamj', 'Phạm'],
    ['Phaamj', 'Phậm'],
    ['Muwaf', 'Mừa'],
    ['Leex', 'Lễ'],
    ['Vux', 'Vũ'],
    ['Huwowngf', 'Hường'],
    ['Mais', 'Mái'],
    ['Cuar', 'Của'],
    ['Khuyur', 'Khuỷu'],
    ['Nguwowif', 'Người'],
  ];
  test.each(cases)('%s → %s', (keys, want) => {
    expect(typeAll(keys)).toBe(want.normalize('NFC'));
  });
});

describe('undo and z', () => {
  test.each([
    ['ass', 'as'],
    ['aaa', 'aa'],
    ['aww', 'aw'],
    ['ooo', 'oo'],
    ['asz', 'a'],
    ['az', 'az'],
    ['Ksorr', 'Ksor'],
    ['w', 'ư'],
    // w after a hat swaps it, as common IMEs do.
    ['oow', 'ơ'],
    ['OOW', 'Ơ'],
    ['aaw', 'ă'],
    ['oosw', 'ớ'],
    ['toow', 'tơ'],
    ['chuoow', 'chươ'],
    ['muoonj', 'muộn'],
  ])('%s → %s', (keys, want) => expect(typeAll(keys)).toBe(want));
});

describe('tone buttons lock the tone', () => {
  function run(steps: (string | { tone: Tone })[]): string {
    let st: ComposerState = emptyState();
    for (const s of steps) st = typeof s === 'string' ? typeKey(st, s) : pressTone(st, s.tone);
    return st.text;
  }
  test('Hòa and Hoà are both typeable', () => {
    expect(run(['H', 'o', { tone: 'f' }, 'a'])).toBe('Hòa');
    expect(run(['H', 'o', 'a', { tone: 'f' }])).toBe('Hoà');
  });
  test('Thủy and Thuỷ', () => {
    expect(run(['T', 'h', 'u', { tone: 'r' }, 'y'])).toBe('Thủy');
    expect(run(['T', 'h', 'u', 'y', { tone: 'r' }])).toBe('Thuỷ');
  });
  test('a Telex tone moves, a button tone does not', () => {
    expect(typeAll('hofa')).toBe('hoà');
  });
  test('telex off types letters as they are', () => {
    expect(typeAll('Ksor', { telex: false })).toBe('Ksor');
  });
  test('old style', () => {
    expect(typeAll('hoaf', { style: 'old' })).toBe('hòa');
  });
  test('the ô of the diacritic row, then w, gives ơ (and Ô gives Ơ)', () => {
    for (const [start, want] of [['ô', 'ơ'], ['Ô', 'Ơ'], ['â', 'ă'], ['tô', 'tơ'], ['Thuô', 'Thươ']] as const) {
      let st = emptyState();
      for (const k of Array.from(start)) st = typeKey(st, k);
      expect(typeKey(st, 'w').text, start).toBe(want);
    }
  });
  test('ô with a locked tone, then w, keeps the tone', () => {
    let st = typeKey(emptyState(), 'ô');
    st = pressTone(st, 's');
    expect(typeKey(st, 'w').text).toBe('ớ');
  });
  test('backspace', () => {
    let st = emptyState();
    for (const k of 'Nguyeenx') st = typeKey(st, k);
    st = backspace(st);
    expect(st.text).toBe('Nguyễ');
  });
});

import { describe, expect, test } from 'vitest';
import { applySuggestion, lastWordOf, suggest } from './suggest';

describe('suggest', () => {
  test('names by their first letters, without tones', () => {
    expect(suggest('Ng', 'name')).toContain('Nguyễn');
    expect(suggest('Nguyen', 'name')).toContain('Nguyễn');
    expect(suggest('Nguyễn Th', 'name')).toContain('Thị');
    expect(suggest('tr', 'name')[0]).toBe('Trần');
  });
  test('at most n, never the word as typed, nothing after a space', () => {
    expect(suggest('T', 'name', 3)).toHaveLength(3);
    expect(suggest('Lan', 'name')).not.toContain('Lan');
    expect(suggest('Trần Thị Lan ', 'name')).toEqual([]);
    expect(suggest('Số 12 phố ', 'text')).toEqual([]);
  });
  test('address words keep their case, capitalised at the start', () => {
    expect(suggest('s', 'text')[0]).toBe('Số');
    expect(suggest('Số 12 ph', 'text')[0]).toBe('phố');
    expect(suggest('Số 12 phố hu', 'text')).toContain('Huế');
  });
  test('the likely next word before one is begun', () => {
    expect(suggest('Trần ', 'name')).toEqual(['Thị', 'Văn', 'Minh', 'Thanh']);
    expect(suggest('', 'name')).toEqual([]);
    expect(suggest('', 'text')[0]).toBe('Số');
    expect(suggest('Số 12 ', 'text')[0]).toBe('phố');
    expect(suggest('Số 12a ', 'text')[0]).toBe('phố');
    expect(applySuggestion('Trần ', 'Thị')).toBe('Trần Thị ');
    expect(applySuggestion('', 'Số')).toBe('Số ');
  });
  test('applying a suggestion replaces the word and adds a space', () => {
    expect(applySuggestion('Số 12 ph', 'phố')).toBe('Số 12 phố ');
    expect(applySuggestion('Ng', 'Nguyễn')).toBe('Nguyễn ');
    expect(lastWordOf('Số 12 phố')).toBe('phố');
    expect(lastWordOf('Số 12 ')).toBe('');
  });
});

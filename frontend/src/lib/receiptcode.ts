// Receipt codes as typed back or scanned: "K7M-4QX-R9P", nine symbols of the
// alphabet 23456789ACDEFHKMNPRTVXY; B G S Z U are read as 8 6 5 2 V.
export const CODE_ALPHABET = '23456789ACDEFHKMNPRTVXY';
const READ_AS: Record<string, string> = { B: '8', G: '6', S: '5', Z: '2', U: 'V' };

/** Upper-cases, maps look-alikes, drops separators; keeps at most 9 symbols. */
export function normaliseCode(s: string): string {
  let out = '';
  for (const ch of s.toUpperCase()) {
    const c = READ_AS[ch] ?? ch;
    if (CODE_ALPHABET.includes(c)) out += c;
    if (out.length === 9) break;
  }
  return out;
}

/** Groups the symbols as XXX-XXX-XXX. */
export function groupCode(s: string): string {
  const n = normaliseCode(s);
  return [n.slice(0, 3), n.slice(3, 6), n.slice(6, 9)].filter(Boolean).join('-');
}

export function isCompleteCode(s: string): boolean {
  return normaliseCode(s).length === 9;
}

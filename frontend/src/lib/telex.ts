// Telex composer for the on-screen Vietnamese keyboard.
//
// The composer works on the last word of a field's text (the trailing run of
// letters) and always appends at the end: a kiosk keyboard has no cursor keys.
// Keys follow Telex: aa→â, aw→ă, ee→ê, oo→ô, ow→ơ, uw→ư, uow→ươ, dd→đ,
// and w after a hatted â/ô swaps the hat (ôw→ơ, âw→ă, uôw→ươ);
// s f r x j put the sắc huyền hỏi ngã nặng tone, z removes it; pressing a
// key that just made a change again undoes it ("ass" → "as", "aaa" → "aa").
// Telex tones are placed by the modern rule (hoà, thuỷ, khoẻ) and move as
// letters are added. A tone put with a tone button is placed by the same rule
// but is then locked to its letter: later letters never move it, so "Hòa" is
// typed as H o [huyền] a and "Hoà" as H o a [huyền]. Output is NFC.

export type Tone = '' | 's' | 'f' | 'r' | 'x' | 'j';

export interface ComposerState {
  text: string;
  /** The current word's tone was put with a tone button and must not move. */
  locked: boolean;
}

export type ToneStyle = 'modern' | 'old';

export interface ComposerOptions {
  /** Telex composition on (default). Off: every key types itself. */
  telex?: boolean;
  style?: ToneStyle;
}

const TONE_MARK: Record<Exclude<Tone, ''>, string> = {
  s: '\u0301',
  f: '\u0300',
  r: '\u0309',
  x: '\u0303',
  j: '\u0323',
};
const MARK_TONE: Record<string, Tone> = {
  '\u0301': 's',
  '\u0300': 'f',
  '\u0309': 'r',
  '\u0303': 'x',
  '\u0323': 'j',
};

export const TONES: Exclude<Tone, ''>[] = ['s', 'f', 'r', 'x', 'j'];
/** The 12 Vietnamese vowels (without tone). */
export const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const VOWEL_SET = new Set(VOWELS);
const HATTED = new Set(['ă', 'â', 'ê', 'ô', 'ơ', 'ư']);

interface Letter {
  base: string; // letter with hat/horn/breve, no tone, original case
  tone: Tone;
}

export function emptyState(text = ''): ComposerState {
  return { text: text.normalize('NFC'), locked: false };
}

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}

function splitChar(ch: string): Letter {
  const d = ch.normalize('NFD');
  let tone: Tone = '';
  let rest = '';
  for (const c of d) {
    const t = MARK_TONE[c];
    if (t) tone = t;
    else rest += c;
  }
  return { base: rest.normalize('NFC'), tone };
}

function joinChar(l: Letter): string {
  if (!l.tone) return l.base;
  return (l.base.normalize('NFD') + TONE_MARK[l.tone]).normalize('NFC');
}

/** Splits text into the part before the last word and the last word's letters. */
function lastWord(text: string): { head: string; word: Letter[] } {
  const chars = Array.from(text.normalize('NFC'));
  let i = chars.length;
  while (i > 0 && isLetter(chars[i - 1])) i--;
  return { head: chars.slice(0, i).join(''), word: chars.slice(i).map(splitChar) };
}

function render(head: string, word: Letter[]): string {
  return (head + word.map(joinChar).join('')).normalize('NFC');
}

const lower = (s: string) => s.toLowerCase();
const isVowel = (l: Letter) => VOWEL_SET.has(lower(l.base));

/** The vowel nucleus [start, end) of a syllable, with qu/gi handled. */
export function nucleus(word: Letter[]): [number, number] {
  const b = word.map((l) => lower(l.base));
  // The last run of vowels: a word may hold several syllables in ethnic
  // names ("Ênuôl"); a Vietnamese syllable has one run.
  let j = b.length;
  while (j > 0 && !VOWEL_SET.has(b[j - 1])) j--;
  if (j === 0) return [-1, -1];
  let i = j - 1;
  while (i > 0 && VOWEL_SET.has(b[i - 1])) i--;
  // "qu" and "gi": the u / i belongs to the consonant when a vowel follows.
  if (i > 0 && i + 1 < j && ((b[i - 1] === 'q' && b[i] === 'u') || (b[i - 1] === 'g' && b[i] === 'i'))) i++;
  return [i, j];
}

/** Index of the letter that carries the tone, by the modern or old rule. */
export function tonePosition(word: Letter[], style: ToneStyle = 'modern'): number {
  const [s, e] = nucleus(word);
  if (s < 0) return -1;
  const n = e - s;
  for (let k = e - 1; k >= s; k--) if (HATTED.has(lower(word[k].base))) return k;
  if (n === 1) return s;
  const hasFinal = e < word.length;
  if (hasFinal) return e - 1;
  if (n >= 3) return s + 1;
  const pair = lower(word[s].base) + lower(word[s + 1].base);
  if (style === 'modern' && (pair === 'oa' || pair === 'oe' || pair === 'uy')) return s + 1;
  return s;
}

function currentTone(word: Letter[]): { tone: Tone; at: number } {
  for (let k = 0; k < word.length; k++) if (word[k].tone) return { tone: word[k].tone, at: k };
  return { tone: '', at: -1 };
}

function placeTone(word: Letter[], tone: Tone, style: ToneStyle): Letter[] {
  const out = word.map((l) => ({ base: l.base, tone: '' as Tone }));
  if (!tone) return out;
  const p = tonePosition(out, style);
  if (p >= 0) out[p].tone = tone;
  return out;
}

function withCase(target: string, like: string): string {
  return like === like.toUpperCase() && like !== like.toLowerCase() ? target.toUpperCase() : target;
}

/** Re-places an unlocked tone after the word's letters changed. */
function retone(word: Letter[], locked: boolean, style: ToneStyle): Letter[] {
  if (locked) return word;
  const { tone } = currentTone(word);
  return placeTone(word, tone, style);
}

const CIRC: Record<string, string> = { a: 'â', e: 'ê', o: 'ô' };
const CIRC_FROM: Record<string, string[]> = { a: ['a', 'ă'], e: ['e'], o: ['o', 'ơ'] };
// w turns a, o, u into ă, ơ, ư; as common IMEs do, it also turns a hatted
// â, ô into ă, ơ (the hat is swapped for the horn or breve).
const HORN: Record<string, string> = { a: 'ă', o: 'ơ', u: 'ư', â: 'ă', ô: 'ơ' };

/** Types one key (a single character as typed, case kept). */
export function typeKey(state: ComposerState, key: string, opts: ComposerOptions = {}): ComposerState {
  const telex = opts.telex !== false;
  const style = opts.style ?? 'modern';
  if (!isLetter(key)) return { text: (state.text + key).normalize('NFC'), locked: false };
  const { head, word } = lastWord(state.text);
  const k = lower(key);
  const append = (w: Letter[]): ComposerState => {
    const next = [...w, splitChar(key)];
    return { text: render(head, retone(next, state.locked, style)), locked: state.locked };
  };
  if (!telex || word.length === 0) {
    if (!telex || k !== 'w') return { text: render(head, [...word, splitChar(key)]), locked: false };
  }
  const [s, e] = nucleus(word);

  // Tones.
  if (k in TONE_MARK || k === 'z') {
    if (s < 0) return append(word);
    const cur = currentTone(word);
    if (k === 'z') {
      if (!cur.tone) return append(word);
      return { text: render(head, placeTone(word, '', style)), locked: false };
    }
    if (cur.tone === k && !state.locked) {
      // Undo: drop the tone and type the key as a letter.
      const plain = placeTone(word, '', style);
      return { text: render(head, [...plain, splitChar(key)]), locked: false };
    }
    return { text: render(head, placeTone(word, k as Tone, style)), locked: false };
  }

  // đ.
  if (k === 'd' && word.length > 0) {
    const last = word[word.length - 1];
    if (lower(last.base) === 'd') {
      const w = word.slice(0, -1);
      return { text: render(head, [...w, { base: withCase('đ', last.base), tone: '' }]), locked: state.locked };
    }
    if (lower(last.base) === 'đ') {
      const w = word.slice(0, -1);
      return { text: render(head, [...w, { base: withCase('d', last.base), tone: '' }, splitChar(key)]), locked: state.locked };
    }
    return append(word);
  }

  // Circumflex: aa ee oo.
  if (k in CIRC && s >= 0) {
    for (let q = e - 1; q >= s; q--) {
      const b = lower(word[q].base);
      if (b === CIRC[k]) {
        // Undo.
        const w = word.map((l) => ({ ...l }));
        w[q].base = withCase(k, word[q].base);
        return append(w);
      }
      if (CIRC_FROM[k].includes(b)) {
        const w = word.map((l) => ({ ...l }));
        w[q].base = withCase(CIRC[k], word[q].base);
        return { text: render(head, retone(w, state.locked, style)), locked: state.locked };
      }
    }
    return append(word);
  }

  // Horn and breve: aw ow uw, uow → ươ, a lone w → ư.
  if (k === 'w') {
    if (s < 0) {
      if (word.length === 0 || !isVowel(word[word.length - 1])) {
        return { text: render(head, [...word, { base: withCase('ư', key), tone: '' }]), locked: state.locked };
      }
      return append(word);
    }
    const w = word.map((l) => ({ ...l }));
    const b = w.map((l) => lower(l.base));
    // "uo" in any half-made form (also after qu: "quo") → ươ.
    const from = s > 0 && b[s - 1] === 'u' ? s - 1 : s;
    for (let q = from; q < e - 1; q++) {
      const pair = b[q] + b[q + 1];
      if (pair === 'uo' || pair === 'ưo' || pair === 'uơ' || pair === 'uô' || pair === 'ưô') {
        w[q].base = withCase('ư', w[q].base);
        w[q + 1].base = withCase('ơ', w[q + 1].base);
        return { text: render(head, retone(w, state.locked, style)), locked: state.locked };
      }
    }
    // Undo when the nucleus already has a horn/breve.
    const back: Record<string, string> = { ă: 'a', ơ: 'o', ư: 'u' };
    if (b.slice(from, e).some((c) => back[c])) {
      for (let r = from; r < e; r++) if (back[b[r]]) w[r].base = withCase(back[b[r]], w[r].base);
      return append(w);
    }
    for (let q = e - 1; q >= s; q--) {
      if (HORN[b[q]]) {
        w[q].base = withCase(HORN[b[q]], w[q].base);
        return { text: render(head, retone(w, state.locked, style)), locked: state.locked };
      }
    }
    return append(word);
  }

  return append(word);
}

/**
 * A tone button: puts the tone on the current word by the rule and locks it
 * there ('' removes the tone). Does nothing when the word has no vowel.
 */
export function pressTone(state: ComposerState, tone: Tone, opts: ComposerOptions = {}): ComposerState {
  const style = opts.style ?? 'modern';
  const { head, word } = lastWord(state.text);
  if (nucleus(word)[0] < 0) return state;
  return { text: render(head, placeTone(word, tone, style)), locked: tone !== '' };
}

/** Deletes the last character (with its tone). */
export function backspace(state: ComposerState): ComposerState {
  const chars = Array.from(state.text.normalize('NFC'));
  chars.pop();
  const text = chars.join('');
  const { word } = lastWord(text);
  return { text, locked: state.locked && currentTone(word).tone !== '' };
}

/** Types a whole key sequence; for tests and for scanned or pasted text. */
export function typeAll(keys: string, opts: ComposerOptions = {}, start: ComposerState = emptyState()): string {
  let st = start;
  for (const k of Array.from(keys)) st = typeKey(st, k, opts);
  return st.text;
}

/** Upper-cases the first letter of each word (auto-capital in name fields). */
export function shouldCapitalise(text: string): boolean {
  return text.length === 0 || /[\s'\-]$/u.test(text);
}

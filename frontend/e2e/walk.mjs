// The citizen's way, walked as a first-time user would, counting taps. At
// every tap (each key of the on-screen keyboard is one) it checks that the
// field being typed is visible between the header and the keyboard and that
// no control is clipped by the screen, cut inside, or overlapping another;
// on each new screen, that no visible text is under 20 px.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWPORTS, SHOT_DIR, newPage, assert, shot, scannerTypes } from './lib.mjs';

// The limits of the issue, per task.
export const LIMITS = { a: 25, b: 70, c: 90 };

const QR = '001155054321|012345678|Trần Thị Lan|14031955|Nữ|Số 3 phố Hàng Bông, Phường Ba Đình, Thành phố Hà Nội|20042021';

// In the page: what is wrong with the layout now ([] when nothing).
function layoutProblems(minFont) {
  const out = [];
  const vw = window.innerWidth;
  const kb = document.querySelector('.kb');
  const kbTop = kb ? kb.getBoundingClientRect().top : window.innerHeight;
  const headBottom = document.querySelector('.top')?.getBoundingClientRect().bottom ?? 0;
  const active = kb ? document.querySelector('.input.active') : null;
  const name = (el) => (el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30) + '"';
  if (kb && active) {
    const r = active.getBoundingClientRect();
    if (r.top < headBottom - 1 || r.bottom > kbTop + 1) out.push(`the field being typed ${name(active)} is hidden (${Math.round(r.top)}–${Math.round(r.bottom)}, visible band ${Math.round(headBottom)}–${Math.round(kbTop)})`);
  }
  const controls = [...document.querySelectorAll('button, input, textarea, select, summary, [role=radio], a[href]')]
    .filter((el) => el.checkVisibility() && el.getBoundingClientRect().width > 0);
  const layer = (el) => el.closest('.kb, .top, dialog[open], .overlay') ?? document.body;
  const topLayer = document.querySelector('dialog[open], .overlay');
  const rects = controls.map((el) => ({ el, r: el.getBoundingClientRect(), layer: layer(el) }));
  for (const { el, r, layer: l } of rects) {
    if (topLayer && l !== topLayer) continue; // under a dialog: not in use
    if (r.left < -1 || r.right > vw + 1) out.push(`${name(el)} is cut off by the screen edge (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`);
    if (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA' && el.scrollWidth > el.clientWidth + 2) out.push(`${name(el)}: its text does not fit (${el.scrollWidth} > ${el.clientWidth})`);
  }
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.layer !== b.layer || (topLayer && a.layer !== topLayer)) continue;
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 2) out.push(`${name(a.el)} overlaps ${name(b.el)}`);
    }
  }
  if (minFont) {
    const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let n;
    const small = new Set();
    while ((n = tw.nextNode())) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || !el.checkVisibility()) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < minFont) small.add(`"${n.textContent.trim().slice(0, 30)}" ${px}px`);
    }
    for (const s of small) out.push(`text under ${minFont} px: ${s}`);
  }
  return out;
}

class Walk {
  constructor(page, label) {
    this.page = page;
    this.label = label;
    this.taps = 0;
    this.prefTaps = 0; // language and large text: once, not part of the task
    this.keystrokes = 0;
    this.screens = new Set();
    this.byScreen = {}; // taps per screen, by its heading
    this.shots = null;
  }
  async check() {
    const page = this.page;
    const h1 = await page.locator('main h1').first().innerText().catch(() => '');
    const fresh = !this.screens.has(h1);
    if (fresh) this.screens.add(h1);
    const probs = await page.evaluate(layoutProblems, fresh ? 20 : 0);
    if (probs.length) throw new Error(`${this.label}, tap ${this.taps} on "${h1}": ${probs.slice(0, 5).join('; ')}`);
  }
  // A control covered by the keyboard is reached by closing it first (one
  // tap on "Done"); one in view above the keyboard is tapped directly.
  async reach(loc) {
    const kb = this.page.locator('.kb');
    if (!(await kb.count()) || (await loc.evaluate((el) => !!el.closest('.kb')))) return;
    const inView = await loc.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const top = document.querySelector('.top')?.getBoundingClientRect().bottom ?? 0;
      const kbTop = document.querySelector('.kb').getBoundingClientRect().top;
      return r.top >= top && r.bottom <= kbTop;
    });
    if (!inView) await this.key('done');
  }
  async tap(loc, { pref = false } = {}) {
    await this.reach(loc);
    const h1 = await this.page.locator('main h1').first().innerText().catch(() => '');
    await loc.click();
    if (pref) this.prefTaps++;
    else {
      this.taps++;
      this.byScreen[h1] = (this.byScreen[h1] ?? 0) + 1;
    }
    await this.check();
  }
  async key(k) {
    this.keystrokes++;
    await this.tap(this.page.locator(`.kb [data-key="${k}"]`));
  }
  async shot(name) {
    if (this.shots) await shot(this.page, `walk-${name}-${this.shots}`, { fullPage: false });
  }
  async field(id) {
    await this.tap(this.page.locator('#' + id));
    await this.page.locator('.kb').waitFor();
  }
  async digits(s) {
    for (const d of s) await this.key(d);
  }
  async done() {
    if (await this.page.locator('.kb').count()) await this.key('done');
  }
  // Types text as a person who does not know Telex: letters, the hat and
  // horn keys, a tone button after the word's letters, Shift for a capital
  // the keyboard did not make by itself; a suggested word is tapped as soon
  // as the whole word is offered.
  async type(text) {
    const page = this.page;
    const words = text.normalize('NFC').split(' ');
    for (let wi = 0; wi < words.length; wi++) {
      const word = words[wi];
      let suggested = false;
      let tone = '';
      if (await page.locator(`.kb [data-word="${word}"]`).count()) {
        await this.tap(page.locator(`.kb [data-word="${word}"]`));
        continue;
      }
      for (const ch of word) {
        const d = ch.normalize('NFD');
        let base = '';
        for (const c of d) {
          const t = { '\u0301': 's', '\u0300': 'f', '\u0309': 'r', '\u0303': 'x', '\u0323': 'j' }[c];
          if (t) tone = t;
          else base += c;
        }
        base = base.normalize('NFC');
        const lower = base.toLowerCase();
        if (/[0-9'\-,./]/.test(ch)) {
          await this.key(ch);
        } else {
          const shown = await page.locator(`.kb [data-key="${lower}"]`).innerText();
          if (shown !== base) await this.tap(page.locator('.kb button[aria-pressed]').filter({ hasText: '⇧' }));
          await this.key(lower);
        }
        if (await page.locator(`.kb [data-word="${word}"]`).count()) {
          await this.tap(page.locator(`.kb [data-word="${word}"]`));
          suggested = true;
          break;
        }
      }
      if (!suggested) {
        if (tone) await this.tap(page.locator(`.kb [data-tone="${tone}"]`));
        if (wi < words.length - 1) await this.key('space');
      }
    }
    const got = await page.evaluate(() => document.querySelector('.input.active')?.value ?? '');
    assert(got.trim() === text.normalize('NFC'), `${this.label}: typed "${text}", the field has "${got}"`);
  }
  async next() {
    await this.tap(this.page.getByTestId('next'));
  }
}

// The requester typed in (tasks b and c).
async function typeRequester(w) {
  const page = w.page;
  await w.field('f-requester-full_name');
  await w.shot('kb-name');
  await w.type('Trần Thị Lan');
  await w.field('f-requester-personal_id');
  await w.shot('kb-digits');
  await w.digits('001155054321'); // closes by itself
  await w.field('f-requester-phone');
  await w.digits('0912345678'); // closes by itself
  await w.tap(page.locator('#f-requester-residence-commune'));
  await w.tap(page.locator('dialog.picker-dialog[open] .opt', { hasText: 'Phường Ba Đình' }).first());
  await w.field('f-requester-residence-street');
  await w.type('Số 3 phố Hàng Bông');
  await w.shot('kb-text');
}

// walkTask walks one task, counting taps; with { stopAtReview: true } it
// stops at the review screen and returns what it says the citizen pays.
export async function walkTask(browser, task, vpName, large, lang, shots, opts = {}) {
  const vp = VIEWPORTS[vpName];
  const page = await newPage(browser, vp);
  const w = new Walk(page, `task ${task} ${vpName}${large ? ' large' : ''} ${lang}`);
  if (shots) w.shots = `${vpName}${large ? '-large' : ''}`;
  try {
    await w.check();
    // The UI's files come compressed, and nothing is missing (no favicon 404).
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\.(js|css)$/.test(e.name)).map((e) => ({ name: e.name, enc: e.encodedBodySize, dec: e.decodedBodySize })));
    assert(assets.length >= 1 && assets.every((a) => a.enc > 0 && a.enc < a.dec), 'assets served compressed: ' + JSON.stringify(assets));
    if (lang === 'en') await w.tap(page.getByTestId('lang'), { pref: true });
    if (large) await w.tap(page.getByTestId('large'), { pref: true });
    await w.shot('01-welcome');
    await w.tap(page.getByTestId('start'));
    await w.shot('02-services');
    await w.tap(page.locator('[data-service="birth_extract_copy"]'));
    await page.locator('#h-step').waitFor();
    if (task === 'a') {
      // The scanner's listener starts with the screen: a scan at the very
      // first moment can be missed, so scan again (at most 3 times) as a
      // person would.
      for (let i = 0; ; i++) {
        await scannerTypes(page, QR);
        const ok = await page.waitForFunction(() => document.querySelector('#f-requester-personal_id')?.value === '001155054321', null, { timeout: 3000 }).then(() => true, () => false);
        if (ok) break;
        if (i === 2) throw new Error('the ID card QR did not fill the form after 3 scans');
      }
      assert((await page.locator('#f-requester-residence-street').inputValue()) === 'Số 3 phố Hàng Bông', 'the street from the card');
      await w.check();
      await w.field('f-requester-phone');
      await w.digits('0912345678');
    } else {
      await typeRequester(w);
    }
    await w.tap(page.locator(`[data-field="requester.relation"] [data-option="${task === 'c' ? 'child' : 'self'}"]`));
    assert(await page.locator('[data-field="requester.authorisation"]').count() === 0, 'no authorisation asked of a close relation');
    await w.shot('03-requester');
    await w.next();
    await page.locator('[data-field="subject.full_name"]').waitFor();
    if (task === 'c') {
      await w.field('f-subject-full_name');
      await w.type('Nguyễn Văn Hùng');
      await w.field('f-subject-birth_date');
      await w.digits('05081950'); // closes by itself
      await w.tap(page.locator('[data-field="subject.sex"] [data-option="male"]'));
      await w.field('f-register-office-q');
      for (const ch of 'dien b') await w.key(ch === ' ' ? 'space' : ch);
      await w.shot('04-office-search');
      await w.tap(page.locator('[data-testid="office-results"] [data-unit="UBND phường Điện Biên, quận Ba Đình"]'));
    } else {
      assert((await page.locator('#f-subject-full_name').inputValue()) === 'Trần Thị Lan', 'the record person is the requester');
      if (task === 'b') {
        await w.field('f-subject-birth_date');
        await w.digits('14031955');
      }
      const words = lang === 'vi' ? '14 tháng 3 năm 1955' : '14 March 1955';
      assert((await page.getByTestId('date-words').innerText()) === words, `the date read back: ${words}`);
      // The residence's commune is offered before anything is typed.
      await w.tap(page.locator('[data-testid="office-results"] [data-unit="00004"]'));
    }
    await w.shot('04-record');
    await w.next();
    await page.locator('[data-field="delivery.method"]').waitFor();
    await w.tap(page.locator(`[data-field="delivery.method"] [data-option="${task === 'b' ? 'post' : 'pickup'}"]`));
    if (task === 'b') await page.getByTestId('post-to-residence').filter({ hasText: 'Số 3 phố Hàng Bông' }).waitFor();
    await w.shot('05-delivery');
    await w.next();
    await page.getByTestId('pay-total').waitFor();
    if (opts.stopAtReview) return { payTotal: await page.getByTestId('pay-total').innerText() };
    await w.tap(page.getByTestId('waiver-no'));
    await w.tap(page.locator('[data-purpose="process_request"]'));
    await w.shot('06-review');
    await w.next();
    await page.getByTestId('receipt').waitFor({ timeout: 15000 });
    await w.shot('07-receipt');
    await w.tap(page.getByTestId('print'));
    await page.getByTestId('printed').waitFor(); // as a person waits for the paper
    await w.tap(page.getByTestId('done'));
    await page.getByTestId('start').waitFor();
    assert(page.notFound.length === 0, 'nothing missing: ' + page.notFound.join(', '));
    return { task, size: vpName, large, lang, taps: w.taps, prefTaps: w.prefTaps, keystrokes: w.keystrokes, byScreen: w.byScreen };
  } catch (e) {
    const summary = await page.getByTestId('error-summary').innerText().catch(() => '');
    throw new Error(`${w.label} after ${w.taps} taps: ${e.message.split('\n')[0]}${summary ? ' — on screen: ' + summary : ''}`);
  } finally {
    await page.context().close();
  }
}

// What runs: task (a) in every combination (3 sizes × large text on/off ×
// vi/en, screenshots of the Vietnamese ones); (b) and (c) once at each size,
// with large text and language spread over them.
export const WALKS = [
  ...['portrait', 'landscape', 'small'].flatMap((s) => [false, true].flatMap((l) => ['vi', 'en'].map((lang) => ['a', s, l, lang, lang === 'vi']))),
  ['b', 'small', true, 'vi', true],
  ['b', 'portrait', false, 'en', false],
  ['b', 'landscape', true, 'en', false],
  ['c', 'small', false, 'en', false],
  ['c', 'portrait', true, 'vi', true],
  ['c', 'landscape', false, 'vi', false],
];

export function registerWalks(test) {
  test('tap counts of the citizen\'s way, every keystroke checked for a visible field and a clean layout', async (b) => {
    const results = [];
    for (const [task, size, large, lang, shots] of WALKS) {
      const r = await walkTask(b, task, size, large, lang, shots);
      results.push(r);
      console.log(`     task ${task} ${size}${large ? ' large' : ''} ${lang}: ${r.taps} taps (+${r.prefTaps} for language/large text), ${r.keystrokes} of them keys`);
    }
    writeFileSync(join(SHOT_DIR, 'tap-counts.json'), JSON.stringify(results, null, 1) + '\n');
    const over = results.filter((r) => r.taps > LIMITS[r.task]);
    assert(over.length === 0, 'over the limit: ' + over.map((r) => `${r.task} ${r.size} ${r.lang}${r.large ? ' large' : ''}: ${r.taps} > ${LIMITS[r.task]}`).join(', '));
  });
}

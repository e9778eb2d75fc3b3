// Helpers for the e2e tests: a Chromium from Debian, taps on the on-screen
// keyboard, axe checks and screenshots.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const KIOSK_URL = process.env.KIOSK_URL || 'http://127.0.0.1:5173';
export const CITY_URL = process.env.CITY_URL || '';
export const CITY_TOKEN = process.env.CITY_TOKEN || '';
export const SHOT_DIR = resolve(process.env.SHOT_DIR || new URL('../../docs/screenshots', import.meta.url).pathname);
export const PIN = process.env.KIOSK_PIN || '123456';
mkdirSync(SHOT_DIR, { recursive: true });

export const VIEWPORTS = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
  small: { width: 1280, height: 800 },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=vi-VN'],
  });
}

export async function newPage(browser, viewport = VIEWPORTS.small, url = KIOSK_URL) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await ctx.newPage();
  page.consoleMessages = [];
  page.on('console', (m) => page.consoleMessages.push(m.text()));
  page.on('pageerror', (e) => page.consoleMessages.push('pageerror: ' + e.message));
  page.notFound = [];
  page.on('response', (r) => { if (r.status() === 404) page.notFound.push(r.url()); });
  await page.goto(url + '/');
  await page.getByTestId('start').or(page.getByText('Máy chưa sẵn sàng')).first().waitFor();
  return page;
}

export function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
}

// Axe on the page as it is, in Vietnamese and in English: zero violations.
export const axeLog = [];
export async function axe(page, name) {
  for (const lang of ['vi', 'en']) {
    await setLang(page, lang);
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    axeLog.push({ name, lang, violations: r.violations.length });
    if (r.violations.length) {
      const detail = r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`).join('\n  ');
      await setLang(page, 'vi');
      throw new Error(`axe: ${r.violations.length} violations on ${name} [${lang}]\n  ${detail}`);
    }
  }
  await setLang(page, 'vi');
}

export async function setLang(page, lang) {
  const cur = await page.evaluate(() => document.documentElement.lang);
  if (cur !== lang) {
    await page.getByTestId('lang').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }
}

export async function shot(page, name, opts = {}) {
  if (opts.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SHOT_DIR, name + '.png'), fullPage: opts.fullPage ?? false });
}

// Screen check: axe in both languages plus a screenshot.
export async function screen(page, name, opts = {}) {
  if (opts.axe !== false) await axe(page, name);
  if (name) await shot(page, name, opts);
}

const MARKS = new Set(['ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ']);
const TONE_OF = { '\u0301': 's', '\u0300': 'f', '\u0309': 'r', '\u0303': 'x', '\u0323': 'j' };

async function tapKey(page, key) {
  await page.locator(`.kb [data-key="${key}"]`).click();
}

async function setTelex(page, on) {
  const b = page.locator('.kb [data-key="telex"]');
  const pressed = (await b.getAttribute('aria-pressed')) === 'true';
  if (pressed !== on) await b.click();
}

// Types text on the on-screen keyboard with taps only: letters, the
// diacritic row and the tone buttons (Telex off), as a person who does not
// know Telex would.
export async function tapText(page, text) {
  const kb = page.locator('.kb');
  await kb.waitFor();
  const mode = await kb.getAttribute('data-mode');
  let current = await page.evaluate(() => document.querySelector('.input.active')?.value ?? '');
  if (mode === 'text' || mode === 'name') await setTelex(page, false);
  for (const ch of text.normalize('NFC')) {
    if (ch === ' ') { await tapKey(page, 'space'); current += ch; continue; }
    if (/[0-9A-Z'\-,./]/.test(ch) && mode !== 'text' && mode !== 'name') { await tapKey(page, ch); current += ch; continue; }
    if (/[0-9'\-,./]/.test(ch)) { await tapKey(page, ch); current += ch; continue; }
    const d = ch.normalize('NFD');
    let tone = '';
    let base = '';
    for (const c of d) { if (TONE_OF[c]) tone = TONE_OF[c]; else base += c; }
    base = base.normalize('NFC');
    const lower = base.toLowerCase();
    const upper = base !== lower;
    const autoCap = mode === 'name' && (current === '' || /[\s'\-]$/.test(current));
    current += ch;
    if (upper && !autoCap) await page.locator('.kb button[aria-pressed]').filter({ hasText: '⇧' }).click();
    if (!upper && autoCap) throw new Error('a lower-case letter at a word start in a name field');
    await tapKey(page, lower);
    if (tone) await page.locator(`.kb [data-tone="${tone}"]`).click();
  }
}

// Types raw keys on the keyboard (Telex on): e.g. "Nguyeenx".
export async function tapTelex(page, keys) {
  await setTelex(page, true);
  for (const k of keys) {
    if (k === ' ') { await tapKey(page, 'space'); continue; }
    const lower = k.toLowerCase();
    const current = await page.evaluate(() => document.querySelector('.input.active')?.value ?? '');
    const mode = await page.locator('.kb').getAttribute('data-mode');
    const autoCap = mode === 'name' && (current === '' || /[\s'\-]$/.test(current));
    if (k !== lower && !autoCap) await page.locator('.kb button[aria-pressed]').filter({ hasText: '⇧' }).click();
    await tapKey(page, lower);
  }
}

// Types into a field in raw mode (addresses, paths, codes): clears what is
// there, then taps each character, with Shift for a capital letter.
export async function tapRaw(page, text) {
  await page.locator('.kb[data-mode="raw"]').waitFor();
  await clearKeys(page);
  for (const ch of text) {
    if (ch === ' ') { await tapKey(page, 'space'); continue; }
    const lower = ch.toLowerCase();
    if (ch !== lower) await page.locator('.kb button[aria-pressed]').filter({ hasText: '⇧' }).click();
    await tapKey(page, lower);
  }
  const got = await page.evaluate(() => document.querySelector('.input.active')?.value ?? '');
  assert(got === text, `typed "${text}", the field has "${got}"`);
}

// The keyboard's "clear all" key (disabled when the field is empty).
export async function clearKeys(page) {
  const b = page.locator('.kb [data-key="clear"]');
  if (await b.isEnabled()) await b.click();
}

export async function tapDigits(page, digits) {
  for (const d of digits) await tapKey(page, d);
}

// Closes the keyboard, unless it closed by itself (a whole ID, phone number or date).
export async function done(page) {
  if (await page.locator('.kb').count()) await tapKey(page, 'done');
}

export async function api(facade, method, ...args) {
  return apiAt(KIOSK_URL, facade, method, ...args);
}

// A call to the kiosk at base, as the page makes it (POST /api/<Facade>/<Method>).
export async function apiAt(base, facade, method, ...args) {
  const res = await fetch(`${base}/api/${facade}/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error(`${facade}.${method}: ${res.status} ${JSON.stringify(body)}`), { body });
  return body;
}

// A call to the city's operator API (docs/openapi.yaml) with the operator
// token. json: the body to send as JSON; raw: bytes to send as they are.
// bytes: true returns the answer's bytes as they came, else its JSON.
export async function city(method, path, { json, raw, bytes = false } = {}) {
  if (!CITY_URL) throw new Error('CITY_URL is not set');
  const headers = { Authorization: `Bearer ${CITY_TOKEN}` };
  if (json !== undefined || raw !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(CITY_URL + path, { method, headers, body: raw ?? (json !== undefined ? JSON.stringify(json) : undefined), signal: AbortSignal.timeout(15000) });
  if (!res.ok) throw new Error(`city ${method} ${path}: ${res.status} ${await res.text()}`);
  return bytes ? Buffer.from(await res.arrayBuffer()) : res.json();
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

// Starts a kioskd of our own (../bin/kioskd from frontend/) on a free port
// with a fresh data folder and the given flags, and waits until it answers.
// stop() ends it by its PID (TERM, then KILL after 5 s) and removes the
// folder; it also runs if the runner exits first.
export async function startKioskd(flags = []) {
  const bin = new URL('../../bin/kioskd', import.meta.url).pathname;
  const data = tempDir('kiosk-e2e-data-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // None of our own kiosk settings leak in through KIOSK_* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KIOSK_')));
  const child = spawn(bin, ['--demo', '--data', data, '--addr', `127.0.0.1:${port}`, ...flags], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const exited = new Promise((ok) => child.once('exit', ok));
  const onExit = () => { try { process.kill(child.pid, 'SIGKILL'); } catch {} };
  process.once('exit', onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM');
      const t = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch {} }, 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const until = Date.now() + 15000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kioskd exited (${child.exitCode}): ${log}`);
      const ok = await fetch(url + '/healthz', { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > until) throw new Error(`kioskd at ${url} did not answer in 15 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, pid: child.pid, stop, log: () => log };
}

// Staff.Unlock, waiting out a PIN lockout left by an earlier test (the
// kiosk runs with --lockout 1m in e2e), at most 90 s.
export async function unlock(base = KIOSK_URL) {
  for (let i = 0; ; i++) {
    try {
      return await apiAt(base, 'Staff', 'Unlock', PIN);
    } catch (e) {
      const until = /"locked_until":"([^"]+)"/.exec(String(e.message))?.[1];
      if (!until || i > 0) throw e;
      const wait = Date.parse(until) - Date.now() + 1000;
      if (!(wait > 0 && wait < 90000)) throw e;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

export async function syncKiosk(base = KIOSK_URL) {
  const { token } = await unlock(base);
  try {
    await apiAt(base, 'Staff', 'SyncNow', token);
    for (let i = 0; i < 150; i++) {
      if (!(await apiAt(base, 'Staff', 'Progress', token)).running) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the kiosk sync did not end in 30 s');
  } finally {
    await apiAt(base, 'Staff', 'Lock', token).catch(() => {});
  }
}

// suite collects a spec's tests; run() runs them in order in one browser
// (E2E_ONLY, a regular expression, picks tests by name), closes each
// test's pages after it, prints "ok"/"FAIL" per test, then the lines
// summary() returns and "LABEL: N passed, M failed", and exits 1 if any
// failed.
export function suite(label) {
  const tests = [];
  return {
    test: (name, fn) => tests.push({ name, fn }),
    async run(summary = () => []) {
      const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
      const browser = await launch();
      let passed = 0;
      let failed = 0;
      for (const t of tests) {
        if (only && !only.test(t.name)) continue;
        const s = Date.now();
        try {
          await t.fn(browser);
          passed++;
          console.log(`ok   ${t.name} (${((Date.now() - s) / 1000).toFixed(1)} s)`);
        } catch (e) {
          failed++;
          console.log(`FAIL ${t.name}\n     ${String(e?.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
        } finally {
          for (const c of browser.contexts()) await c.close().catch(() => {});
        }
      }
      await browser.close();
      for (const line of summary()) console.log(line);
      console.log(`${label ? label + ': ' : ''}${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}

// scannerTypes is a USB scanner in keyboard mode: one trusted key event per
// character, fast, then Enter. CDP events carry any Unicode key, as the
// scanner's do.
export async function scannerTypes(page, text) {
  const cdp = await page.context().newCDPSession(page);
  const sent = [];
  for (const ch of text) {
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch }));
  }
  await Promise.all(sent);
  await page.keyboard.press('Enter');
  await cdp.detach();
}

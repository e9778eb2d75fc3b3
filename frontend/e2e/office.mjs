// End-to-end test of the city's back office (cityd /office/) with a real
// kioskd: a citizen's request goes from the kiosk to an officer of its
// commune and back, and an officer of another commune never sees it.
// Same runner conventions as run.mjs: "N passed, N failed", non-zero exit
// on a failure, axe with zero violations in both languages, screenshots.
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import { KIOSK_URL, CITY_URL, SHOT_DIR, PIN, newPage, assert, api, tapDigits, done, screen, syncKiosk, suite } from './lib.mjs';

const OFFICE = { width: 1366, height: 768 };
const DEMO = {
  admin: ['demo-admin', 'demo-admin-2026'],
  officer: ['demo-officer', 'demo-officer-2026'],
  other: ['demo-other', 'demo-other-2026'],
  viewer: ['demo-viewer', 'demo-viewer-2026'],
};
const MISSING = 'Ảnh chụp giấy khai sinh bản chính của người được cấp bản sao';
const TRACKING = 'EB123456785VN';

function draft(noticeVersion) {
  return {
    service: 'birth_extract_copy',
    requester: { full_name: 'Lê Thị Thu Hà', personal_id: '001190067890', phone: '0987654321',
      residence: { province: '01', commune: '00004', street: 'Số 8 phố Phan Đình Phùng' }, relation: 'self' },
    subject: { full_name: 'Lê Thị Thu Hà', birth_date: '1990-06-12', sex: 'female' },
    register: { office: '00004' },
    copies: 2,
    delivery: { method: 'post', address: { province: '01', commune: '00004', street: 'Số 8 phố Phan Đình Phùng' },
      recipient: 'Lê Thị Thu Hà', phone: '0987654321' },
    consent: { notice_version: noticeVersion, purposes: ['process_request'], accepted_at: new Date().toISOString() },
  };
}

async function officePage(browser) {
  const ctx = await browser.newContext({ viewport: OFFICE, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await ctx.newPage();
  page.consoleMessages = [];
  page.on('console', (m) => page.consoleMessages.push(m.text()));
  // Nothing is loaded from another site.
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(CITY_URL) && !u.startsWith('data:')) page.consoleMessages.push('foreign request: ' + u);
  });
  return page;
}

// Axe in the page's language, then in the other one through the page's own
// switch, then back; a screenshot in Vietnamese.
async function officeScreen(page, name, { fullPage = true } = {}) {
  await shotOnly(page, name, fullPage);
  await officeAxe(page, name);
  if (await page.locator('a.lang').count()) {
    const lang = await page.evaluate(() => document.documentElement.lang);
    await page.locator('a.lang').click();
    await page.waitForFunction((l) => document.documentElement.lang !== l, lang);
    await officeAxe(page, name);
    await shotOnly(page, name + '-en', fullPage);
    await page.locator('a.lang').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }
}

async function officeAxe(page, name) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  if (r.violations.length) {
    const detail = r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`).join('\n  ');
    throw new Error(`axe: ${r.violations.length} violations on ${name} [${lang}]\n  ${detail}`);
  }
}

async function shotOnly(page, name, fullPage) {
  await page.screenshot({ path: join(SHOT_DIR, name + '.png'), fullPage });
}

async function login(page, [name, password]) {
  await page.goto(CITY_URL + '/office/login');
  await page.locator('#name').fill(name);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState('load');
  assert(!page.url().endsWith('/office/login'), `signed in as ${name}: ${page.url()}`);
}

async function action(page, label, fill = {}) {
  const form = page.locator('section.actions form').filter({ has: page.getByRole('button', { name: label, exact: true }) });
  for (const [field, value] of Object.entries(fill)) await form.locator(`[name="${field}"]`).fill(value);
  await form.getByRole('button', { name: label, exact: true }).click();
  await page.waitForLoadState('load');
  const err = await page.locator('.msg.err').count();
  assert(err === 0, `${label}: ${err ? await page.locator('.msg.err').innerText() : ''}`);
}


// The citizen looks the request up on the kiosk's screen.
async function kioskLookup(browser, code, last4, name) {
  const page = await newPage(browser);
  await page.getByTestId('lookup').click();
  await page.locator('#f-lookup-code').click();
  await page.locator('.kb[data-mode="code"]').waitFor();
  for (const ch of code.replace(/-/g, '')) await page.locator(`.kb [data-key="${ch}"]`).click();
  await done(page);
  await page.getByTestId('lookup-search').click();
  await page.getByTestId('lookup-last4').waitFor();
  await page.locator('#f-lookup-last4').click();
  await page.locator('.kb').waitFor();
  await tapDigits(page, last4);
  await page.getByTestId('lookup-result').waitFor();
  const text = await page.getByTestId('lookup-result').innerText();
  if (name) await screen(page, name, { axe: true });
  await page.context().close();
  return text;
}

async function cityHas(code) {
  // The kiosk pushes on its own shortly after a submission; sync now makes sure.
  for (let i = 0; i < 5; i++) {
    const st = await api('Lookup', 'Status', { code, id_last4: '7890' });
    if (st.state === 'sent' || st.status) return;
    await syncKiosk();
  }
  throw new Error(`the kiosk did not send ${code}`);
}

const spec = suite('office');
const test = spec.test;
const state = {};

test('a citizen submits at the kiosk; the officer of the commune finds it and asks for a supplement', async (b) => {
  let st = await api('Kiosk', 'State');
  // The kiosk enrols at start-up; on a loaded machine that can take a while.
  for (let i = 0; i < 150 && !st.ready; i++) {
    await new Promise((r) => setTimeout(r, 200));
    st = await api('Kiosk', 'State');
  }
  assert(st.ready, 'the kiosk is enrolled and ready');
  const rc = await api('Requests', 'Submit', draft(st.notice_version));
  state.code = rc.code;
  await cityHas(rc.code);

  const page = await officePage(b);
  await page.goto(CITY_URL + '/office/login');
  await officeScreen(page, 'office-01-login', { fullPage: false });
  await login(page, DEMO.officer);
  await officeScreen(page, 'office-02-queue');
  await page.locator('#q').fill(rc.code);
  await page.getByRole('button', { name: 'Lọc' }).click();
  const row = page.locator('tbody tr', { hasText: rc.code });
  await row.waitFor();
  assert((await page.locator('tbody tr').count()) === 1, 'the search finds exactly this dossier');
  assert(!(await row.innerText()).includes('Lê Thị Thu Hà'), 'the list masks the name');
  await row.getByRole('link', { name: rc.code }).click();
  await page.locator('h1', { hasText: rc.code }).waitFor();
  state.dossierURL = page.url();
  await officeScreen(page, 'office-03-dossier');
  await page.getByRole('button', { name: 'Xem thông tin' }).click();
  await page.getByText('001190067890').waitFor();
  await officeScreen(page, 'office-04-dossier-personal-data');
  await page.goto(state.dossierURL);
  await action(page, 'Tiếp nhận (tính ngày hẹn trả)');
  await action(page, 'Yêu cầu bổ sung', { reason: MISSING });
  assert((await page.locator('dl.kv').first().innerText()).includes(MISSING), 'the note for the citizen is on the dossier');
  await page.goto(state.dossierURL + '/slips/02');
  assert((await page.locator('.sheet').innerText()).includes(MISSING), 'Mẫu 02 lists what is missing');
  await officeScreen(page, 'office-05-slip-02', { fullPage: true });
  await page.goto(state.dossierURL + '/slips/01');
  await page.locator('img.qr').waitFor();
  await officeScreen(page, 'office-06-slip-01', { fullPage: true });
  assert(!page.consoleMessages.some((m) => m.startsWith('foreign request')), 'nothing from another site: ' + page.consoleMessages.join('; '));
  await page.context().close();

  await syncKiosk();
  const text = await kioskLookup(b, rc.code, '7890', 'office-07-kiosk-lookup-supplement');
  assert(text.includes('Hồ sơ cần bổ sung'), `the kiosk says a supplement is needed: ${text}`);
  assert(text.includes(MISSING), `the kiosk shows what is missing: ${text}`);
});

test('an officer of another commune does not see it', async (b) => {
  assert(state.code, 'the first test made a dossier');
  const page = await officePage(b);
  await login(page, DEMO.other);
  await page.goto(`${CITY_URL}/office/queue?q=${encodeURIComponent(state.code)}`);
  assert((await page.locator('tbody').innerText()).includes('Không có hồ sơ nào'), 'the search finds nothing');
  assert(!(await page.content()).includes('Lê Thị'), 'no name');
  const res = await page.goto(state.dossierURL);
  assert(res.status() === 404, `the dossier's URL answers ${res.status()}`);
  await officeScreen(page, 'office-08-other-commune-404', { fullPage: false });
  await page.context().close();
});

test('the officer moves it to ready, hands it to the post with a tracking number, prints the bảng kê; done', async (b) => {
  assert(state.code, 'the first test made a dossier');
  const page = await officePage(b);
  await login(page, DEMO.officer);
  await page.goto(state.dossierURL);
  await action(page, 'Chuyển xử lý');
  await action(page, 'Đã xử lý xong');
  await page.goto(CITY_URL + '/office/post');
  const row = page.locator('tbody tr', { hasText: state.code });
  await row.waitFor();
  await officeScreen(page, 'office-09-post-handover');
  await row.locator('input[type=checkbox]').check();
  await row.locator('input[name^="tracking_"]').fill(TRACKING);
  await shotOnly(page, 'office-09b-post-handover-filled', true);
  await page.getByRole('button', { name: 'Xác nhận bàn giao' }).click();
  await page.locator('.sheet h1', { hasText: 'Bảng kê bàn giao' }).waitFor();
  const list = await page.locator('.sheet').first().innerText();
  assert(list.includes(TRACKING) && list.includes('Lê Thị Thu Hà') && list.includes(state.code), 'the bảng kê lists the dossier');
  await officeScreen(page, 'office-10-bang-ke', { fullPage: true });

  await syncKiosk();
  let text = await kioskLookup(b, state.code, '7890');
  assert(text.includes('bưu điện') && text.includes(TRACKING), `the kiosk shows it posted with its number: ${text}`);

  await page.goto(state.dossierURL);
  await action(page, 'Bưu chính đã phát');
  await officeScreen(page, 'office-11-dossier-done');
  await syncKiosk();
  text = await kioskLookup(b, state.code, '7890', 'office-12-kiosk-lookup-done');
  assert(text.includes('Hồ sơ đã hoàn thành'), `the kiosk says done: ${text}`);

  for (const [path, name] of [['/office/register', 'office-13-register'], ['/office/due', 'office-14-due'], ['/office/account', 'office-15-account']]) {
    await page.goto(CITY_URL + path);
    await officeScreen(page, name);
  }
  await page.goto(CITY_URL + '/office/register?print=1');
  await officeScreen(page, 'office-16-register-print');
  await page.context().close();
});

test('admin pages, the audit log and the viewer counts', async (b) => {
  const page = await officePage(b);
  await login(page, DEMO.admin);
  for (const [path, name] of [['/office/users', 'office-17-users'], ['/office/calendar', 'office-18-calendar']]) {
    await page.goto(CITY_URL + path);
    await officeScreen(page, name);
  }
  await page.goto(CITY_URL + '/office/audit?user=demo-officer');
  const log = await page.locator('tbody').innerText();
  assert(log.includes('Xem thông tin cá nhân') && log.includes('Gửi bưu chính'), 'the audit log has the view and the hand-over');
  await officeScreen(page, 'office-19-audit');
  const res = await page.goto(state.dossierURL);
  assert(res.status() === 403, `an admin opens no dossier: ${res.status()}`);
  await page.context().close();

  const v = await officePage(b);
  await login(v, DEMO.viewer);
  assert(v.url().endsWith('/office/counts'), 'a viewer lands on the counts');
  assert(!(await v.content()).includes(state.code), 'no receipt code for a viewer');
  await officeScreen(v, 'office-20-viewer-counts');
  await v.context().close();
});

await spec.run();

// End-to-end test of the city's uptake report and kiosk fleet pages
// (cityd /office/report, /office/fleet) against the e2e cityd and kioskd:
// the report's totals match the city's own list, its charts are drawn,
// the CSV and XLSX exports download and read back; a code shown as a QR
// enrols a fresh kioskd through its scanner; the fleet page marks it once
// it stops heart-beating (cityd runs with --fleet-silent-amber 3s here).
// Same runner conventions as run.mjs and office.mjs.
import { AxeBuilder } from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { CITY_URL, CITY_TOKEN, SHOT_DIR, PIN, newPage, assert, api, apiAt, city, startKioskd, tempDir, VIEWPORTS, unlock, syncKiosk, suite } from './lib.mjs';
import { walkTask } from './walk.mjs';

const OFFICE = { width: 1366, height: 900 };
const DEMO = { admin: ['demo-admin', 'demo-admin-2026'], viewer: ['demo-viewer', 'demo-viewer-2026'] };
const VIEWER_COMMUNES = ['00004', '00008'];

function draft(noticeVersion) {
  return {
    service: 'birth_extract_copy',
    requester: { full_name: 'Phạm Văn Đức', personal_id: '001090055555', phone: '0911222333',
      residence: { province: '01', commune: '00004', street: 'Số 3 phố Đội Cấn' }, relation: 'self' },
    subject: { full_name: 'Phạm Văn Đức', birth_date: '1990-02-01', sex: 'male' },
    register: { office: '00004' },
    copies: 1,
    delivery: { method: 'pickup' },
    consent: { notice_version: noticeVersion, purposes: ['process_request'], accepted_at: new Date().toISOString() },
  };
}

async function officePage(browser) {
  const ctx = await browser.newContext({ viewport: OFFICE, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
  const page = await ctx.newPage();
  page.foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(CITY_URL) && !r.url().startsWith('data:')) page.foreign.push(r.url()); });
  return page;
}

async function axeBoth(page, name) {
  for (let i = 0; i < 2; i++) {
    const lang = await page.evaluate(() => document.documentElement.lang);
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert(r.violations.length === 0, `axe on ${name} [${lang}]: ` + r.violations.map((v) => `${v.id} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`).join('; '));
    await page.screenshot({ path: join(SHOT_DIR, `${name}${lang === 'en' ? '-en' : ''}.png`), fullPage: true });
    await page.locator('a.lang').click();
    await page.waitForFunction((l) => document.documentElement.lang !== l, lang);
  }
}

async function login(page, [name, password]) {
  await page.goto(CITY_URL + '/office/login');
  await page.locator('#name').fill(name);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState('load');
  assert(!page.url().endsWith('/office/login'), `signed in as ${name}`);
}


// The month in Hà Nội, as the report's default period.
function thisMonth() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit' }).format(new Date());
}

// Dossiers the city received this month in the viewer's communes, counted
// from the operator API's list, not from the report.
async function cityCountThisMonth() {
  const month = thisMonth();
  let n = 0;
  let after = '';
  for (;;) {
    const { requests: page } = await city('GET', `/v1/operator/requests?limit=1000${after ? '&after=' + after : ''}`);
    for (const r of page) {
      const m = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit' }).format(new Date(r.received_at));
      if (m === month && VIEWER_COMMUNES.includes(r.office || r.commune)) n++;
    }
    if (page.length < 1000) return n;
    after = page[page.length - 1].city_ref;
  }
}

// The XLSX's cell, read from the file itself: its value and whether it is
// stored as a number (no t="s" / t="str").
function xlsxCell(file, sheetName, ref) {
  const files = unzipSync(new Uint8Array(readFileSync(file)));
  // The sheet's file, by its name: workbook.xml names it, its rels file
  // says where it is.
  const wb = strFromU8(files['xl/workbook.xml']);
  const rid = wb.match(new RegExp(`<sheet [^>]*name="${sheetName}"[^>]*r:id="([^"]+)"`))?.[1];
  const rels = strFromU8(files['xl/_rels/workbook.xml.rels']);
  const target = rels.match(new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`))?.[1]
    ?? rels.match(new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${rid}"`))?.[1];
  if (!target) return null;
  const xml = strFromU8(files['xl/' + target.replace(/^\/?xl\//, '')]);
  const m = xml.match(new RegExp(`<c r="${ref}"([^>]*)>(?:<f>[^<]*</f>)?<v>([^<]*)</v>`));
  if (!m) return null;
  return { value: m[2], number: !/\bt="(s|str|inlineStr)"/.test(m[1]) };
}

// A serial QR scanner stands in as a pty (Python's pty module, so no
// native Node module): the kiosk opens its other end with --scanner, and
// scan(text) sends the text and CR LF as a scanner in serial mode does.
async function fakeScanner() {
  const py = spawn('python3', ['-u', '-c', `
import os, pty, sys
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
for line in sys.stdin:
    os.write(m, line.rstrip('\\n').encode() + b'\\r\\n')
`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const path = await new Promise((ok, fail) => {
    createInterface({ input: py.stdout }).once('line', ok);
    py.once('exit', (c) => fail(new Error('the pty helper exited ' + c)));
  });
  return { path, scan: (text) => py.stdin.write(text + '\n'), stop: () => { try { process.kill(py.pid, 'SIGTERM'); } catch {} } };
}

const spec = suite('fleet');
const test = spec.test;

test('the report of this month: totals match the city, charts drawn, CSV and XLSX download and read back', async (b) => {
  const st = await api('Kiosk', 'State');
  for (let i = 0; i < 2; i++) await api('Requests', 'Submit', draft(st.notice_version));
  await syncKiosk(process.env.KIOSK_URL);
  const want = await cityCountThisMonth();
  assert(want >= 2, `the city holds this month's requests (${want})`);

  const page = await officePage(b);
  await login(page, DEMO.viewer);
  await page.goto(CITY_URL + '/office/report');
  const total = Number(await page.getByTestId('total-received').innerText());
  assert(total === want, `the report's total ${total} is the city's count ${want}`);
  const bars = await page.locator('[data-testid="chart-communes"] rect').count();
  assert(bars >= 1, `bars per commune drawn (${bars})`);
  assert(await page.locator('[data-testid="chart-trend"] rect').count() === 12, 'twelve months in the trend');
  assert(await page.locator('[data-testid="chart-mix"] rect').count() >= 1, 'the status mix drawn');
  const rows = await page.locator('[data-testid="report-table"] tbody tr').count();
  assert(rows === VIEWER_COMMUNES.length, `one row per commune of the viewer (${rows})`);
  await axeBoth(page, 'office-21-report');
  // Printed on A4: the charts are there, the form is not.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  assert(await page.locator('form.filters').isHidden(), 'the period form is not printed');
  await page.screenshot({ path: join(SHOT_DIR, 'office-22-report-print-a4.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(OFFICE);

  const dir = tempDir('report-e2e-');
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csvPath = join(dir, 'report.csv');
  await csvDl.saveAs(csvPath);
  const csv = readFileSync(csvPath, 'utf8');
  assert(csv.startsWith('\ufeff'), 'the CSV starts with a BOM');
  const totalLine = csv.split('\n').find((l) => l.startsWith(',Toàn thành phố (city total),Tất cả (all),'));
  assert(totalLine && Number(totalLine.split(',')[3]) === want, `the CSV's total row says ${want}: ${totalLine}`);

  const [xlsxDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  const xlsxPath = join(dir, 'report.xlsx');
  await xlsxDl.saveAs(xlsxPath);
  // Row 3 is the header, then the communes, then the total.
  const ref = `C${4 + VIEWER_COMMUNES.length}`;
  const cell = xlsxCell(xlsxPath, 'Xã phường', ref);
  assert(cell && cell.number && Number(cell.value) === want, `the XLSX's total ${ref} is the number ${want}: ${JSON.stringify(cell)}`);
  assert(page.foreign.length === 0, 'nothing from another site: ' + page.foreign.join(' '));
  await page.context().close();
});

test('a code shown as a QR enrols a fresh kioskd through its scanner; the fleet page marks it once it stops heart-beating', async (b) => {
  const page = await officePage(b);
  await login(page, DEMO.admin);
  await page.goto(CITY_URL + '/office/fleet');
  await page.locator('#e-commune').selectOption('00004');
  await page.locator('#e-city').fill(CITY_URL);
  await page.getByTestId('enrol-make').click();
  await page.getByTestId('enrol-qr').waitFor();
  const qr = await page.getByTestId('enrol-qr').getAttribute('data-qr-text');
  assert(qr && qr.startsWith('commune-kiosk-enrol:1:'), `the QR's text: ${qr}`);
  await axeBoth(page, 'office-23-fleet-enrol-code');

  const scanner = await fakeScanner();
  const k = await startKioskd(['--staff-pin', PIN, '--scanner', scanner.path]);
  let kioskID = '';
  try {
    const kp = await newPage(b, VIEWPORTS.small, k.url);
    await kp.getByText('Máy chưa sẵn sàng').waitFor();
    const box = await kp.getByTestId('commune').boundingBox();
    await kp.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await kp.mouse.down();
    await kp.waitForTimeout(3200);
    await kp.mouse.up();
    await kp.locator('#h-staff').waitFor();
    for (const d of PIN) await kp.locator(`[data-pin="${d}"]`).click();
    await kp.getByTestId('pin-ok').click();
    await kp.getByTestId('sync-now').waitFor();
    // The scanner port is open once the staff screen says so.
    await kp.getByTestId('scanner-state').filter({ hasText: scanner.path }).waitFor({ timeout: 20000 });
    // Staff hold the QR to the scanner: its text fills the code; they tap Enrol.
    scanner.scan(qr);
    await kp.waitForFunction(() => (document.querySelector('#s-code')?.value || '').startsWith('commune-kiosk-enrol:'), null, { timeout: 15000 });
    await kp.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await kp.locator('section.staff > p.notice').filter({ hasText: /Đã đăng ký: máy số \d+/ }).waitFor({ timeout: 20000 }).catch(async (e) => {
      const said = await kp.locator('section.staff > p.notice').allInnerTexts().catch(() => []);
      const typed = await kp.locator('#s-code').evaluate((el) => el.value ?? el.textContent).catch(() => '?');
      throw new Error(`the staff screen says ${JSON.stringify(said)}; the code field holds ${JSON.stringify(typed)} (${e.message.split('\n')[0]})`);
    });
    const stState = await apiAt(k.url, 'Kiosk', 'State');
    assert(stState.ready && stState.enrolled, `the fresh kiosk is enrolled: ${JSON.stringify(stState)}`);
    const { token } = await unlock(k.url);
    kioskID = (await apiAt(k.url, 'Staff', 'Overview', token)).identity.kiosk_id;
    await kp.context().close();
    await syncKiosk(k.url); // one heartbeat, then silence
  } finally {
    await k.stop();
    scanner.stop();
  }
  // No heartbeat for more than --fleet-silent-amber.
  await new Promise((r) => setTimeout(r, 4000));
  await page.goto(CITY_URL + '/office/fleet');
  const row = page.locator(`[data-testid="fleet-row"][data-kiosk="${kioskID}"]`);
  await row.waitFor();
  const level = await row.getAttribute('data-level');
  assert(level === 'amber' || level === 'red', `the silent kiosk ${kioskID} is marked (${level})`);
  assert((await row.innerText()).includes('Không liên lạc'), 'the alert says it in words');
  const first = await page.locator('[data-testid="fleet-row"]').first().getAttribute('data-level');
  assert(first !== 'ok', 'worst first');
  await axeBoth(page, 'office-24-fleet');
  await page.context().close();
});

test('an admin publishes a fee change on the catalogue page; after one sync the kiosk quotes the new fee and its review screen says it', async (b) => {
  const st = await api('Kiosk', 'State');
  const d = draft(st.notice_version); // one copy, picked up
  const before = await api('Requests', 'Quote', d);
  const cat = JSON.parse(readFileSync(new URL('../../kiosk/catalogue.json', import.meta.url), 'utf8'));
  const fee = cat.fees.find((f) => f.id === 'civil_status_copy');
  assert(before.total_vnd === fee.amount_vnd, `the quote before (${before.total_vnd}) is the built-in fee (${fee.amount_vnd})`);
  fee.amount_vnd += 2000;
  cat.version = `${Number(st.catalogue_version.split('.')[0]) + 1}.1.0`;

  const page = await officePage(b);
  await login(page, DEMO.admin);
  await page.goto(CITY_URL + '/office/catalogue');
  await page.locator('#c-doc').fill(JSON.stringify(cat));
  await page.getByTestId('catalogue-submit').click();
  await page.getByTestId('catalogue-published').waitFor();
  assert((await page.getByTestId('catalogue-current').innerText()).includes(cat.version), 'the page shows the new version in force');
  await axeBoth(page, 'office-25-catalogue-published');
  await page.context().close();

  await syncKiosk(process.env.KIOSK_URL);
  const after = await api('Requests', 'Quote', d);
  assert(after.catalogue_version === cat.version, `the kiosk quotes with ${after.catalogue_version}`);
  assert(after.total_vnd === fee.amount_vnd, `the kiosk's quote after one sync is the new fee: ${after.total_vnd}`);
  // And the citizen's review screen says it: one copy, picked up.
  const { payTotal } = await walkTask(b, 'a', 'landscape', false, 'vi', false, { stopAtReview: true });
  const amount = String(fee.amount_vnd).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  assert(payTotal.includes(amount), `the review screen says the new fee ${amount}: "${payTotal}"`);
});

await spec.run();

// End-to-end tests of the kiosk UI against a real kioskd (KIOSK_URL).
// A plain runner: each test gets a fresh page; the summary line is
// "N passed, N failed"; the exit code is non-zero on any failure.
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KIOSK_URL, CITY_URL, CITY_TOKEN, SHOT_DIR, PIN, VIEWPORTS, newPage, assert, screen, shot, axe,
  tapText, tapTelex, tapDigits, tapRaw, clearKeys, done, api, apiAt, city, tempDir, startKioskd, setLang, axeLog, suite, scannerTypes,
} from './lib.mjs';
import { registerWalks } from './walk.mjs';

const NAME = 'Nguyễn Thị Minh Khai';
const receipts = [];

async function tapField(page, id) {
  await page.locator('#' + id).click();
  await page.locator('.kb').waitFor();
}

async function pick(page, pickerId, label) {
  await page.locator('#' + pickerId).click();
  const dlg = page.locator('dialog.picker-dialog[open]');
  await dlg.waitFor();
  if (label) await dlg.locator('.opt', { hasText: label }).first().click();
  else await dlg.locator('.opt').first().click();
  await dlg.waitFor({ state: 'detached' });
}

// "Where was it registered": type on the search keyboard, tap the result.
async function searchOffice(page, query, name) {
  await tapField(page, 'f-register-office-q');
  for (const ch of query) await page.locator(`.kb [data-key="${ch === ' ' ? 'space' : ch}"]`).click();
  await page.locator('[data-testid="office-results"] .opt', { hasText: name }).first().click();
  await page.getByTestId('office-chosen').filter({ hasText: name }).waitFor();
}

async function fillRequester(page, { shots, orient }) {
  await tapField(page, 'f-requester-full_name');
  // Telex on the on-screen keys for the family name, buttons for the rest.
  await tapTelex(page, 'Nguyeenx ');
  await tapText(page, 'Thị Minh Khai');
  await done(page);
  await tapField(page, 'f-requester-personal_id');
  if (shots) await shot(page, `keyboard-numeric-${orient}`);
  await tapDigits(page, '001190012345');
  await done(page);
  await tapField(page, 'f-requester-phone');
  await tapDigits(page, '0912345678');
  await done(page);
  await pick(page, 'f-requester-residence-commune', 'Phường Ba Đình');
  await tapField(page, 'f-requester-residence-street');
  await tapText(page, 'Số 12 phố Điện Biên Phủ');
  if (shots) await shot(page, `keyboard-text-${orient}`);
  await done(page);
  await page.locator('[data-field="requester.relation"] [role=radio]').first().click();
}

async function citizenFlow(page, orient, shots) {
  const ax = orient === 'portrait';
  if (shots) await screen(page, `01-welcome-${orient}`, { axe: ax });
  await page.getByTestId('start').click();
  await page.locator('[data-service="birth_extract_copy"]').waitFor();
  if (shots) await screen(page, `02-services-${orient}`, { axe: ax });
  await page.locator('[data-service="birth_extract_copy"]').click();
  await page.locator('#h-step').waitFor();
  assert((await page.locator('.progress').innerText()).includes('Bước 2/6'), 'progress Bước 2/6');
  if (shots) await screen(page, `03-requester-empty-${orient}`, { axe: ax });
  await fillRequester(page, { shots, orient });
  const name = await page.locator('#f-requester-full_name').inputValue();
  assert(name === NAME, `name typed with taps: got "${name}"`);
  if (shots) await screen(page, `04-requester-filled-${orient}`, { fullPage: true, axe: ax });
  await page.getByTestId('next').click();
  await page.locator('[data-field="subject.full_name"]').waitFor();
  assert((await page.locator('.progress').innerText()).includes('Bước 3/6'), 'progress Bước 3/6');

  // "Myself": the person on the record is the requester, already filled in.
  assert((await page.locator('#f-subject-full_name').inputValue()) === NAME, 'the record person is prefilled from the requester');
  assert((await page.locator('[data-field="subject.sex"] [aria-checked="true"]').count()) === 1, 'the sex is prefilled from the ID number');
  // One date entry of eight digits, read back in words; the keyboard closes by itself.
  await tapField(page, 'f-subject-birth_date');
  await tapDigits(page, '15031990');
  await page.locator('.kb').waitFor({ state: 'detached' });
  assert((await page.getByTestId('date-words').innerText()) === '15 tháng 3 năm 1990', 'the date read back in words');
  await searchOffice(page, 'ba dinh', 'Phường Ba Đình');
  if (shots) await screen(page, `05-record-${orient}`, { fullPage: true, axe: ax });
  await page.getByTestId('next').click();
  await page.locator('[data-field="delivery.method"]').waitFor();

  await page.getByRole('button', { name: /Thêm một/ }).click();
  if (orient === 'small') {
    // By post: the delivery address appears only now.
    assert(await page.locator('[data-field="delivery.address"]').count() === 0, 'no address for pickup');
    await page.locator('[data-field="delivery.method"] [role=radio]').nth(1).click();
    // The residence is offered first; this citizen sends elsewhere.
    await page.getByTestId('post-to-residence').filter({ hasText: 'Số 12 phố Điện Biên Phủ' }).waitFor();
    await page.getByTestId('post-other-address').click();
    await pick(page, 'f-delivery-address-commune', 'Phường Ba Đình');
    await tapField(page, 'f-delivery-address-street');
    await tapText(page, 'Số 5 phố Đội Cấn');
    await done(page);
  } else {
    await page.locator('[data-field="delivery.method"] [role=radio]').first().click();
  }
  if (shots) await screen(page, `06-delivery-${orient}`, { axe: ax });
  await page.getByTestId('next').click();
  await page.locator('#h-review').waitFor();
  await page.getByTestId('pay-total').waitFor();
  // The waiver is one plain question; "yes" makes it free, "no" shows the fee.
  assert((await page.getByTestId('pay-total').innerText()).includes('16.000'), 'the fee in plain words (2 copies)');
  await page.getByTestId('waiver-yes').click();
  await page.getByTestId('pay-total').filter({ hasText: 'không phải trả' }).waitFor();
  await page.getByTestId('waiver-no').click();
  await page.getByTestId('pay-total').filter({ hasText: '16.000' }).waitFor();
  if (orient === 'small') {
    const review = await page.locator('main').innerText();
    assert(review.includes('Số 5 phố Đội Cấn'), 'the postal address is on the review');
    assert(await page.locator('dt[data-kind="postage"]').count() === 1, 'a postage line for delivery by post');
  }
  if (shots) await screen(page, `07-review-${orient}`, { fullPage: true, axe: ax });
  if (shots && ax) {
    await setLang(page, 'en');
    await shot(page, `07-review-${orient}-en`, { fullPage: true });
    await setLang(page, 'vi');
  }
  // Submitting without consent says what to do.
  await page.getByTestId('next').click();
  await page.getByTestId('error-summary').waitFor();
  await page.locator('[data-purpose="process_request"]').check();
  await page.getByTestId('next').click();
  await page.getByTestId('receipt').waitFor({ timeout: 15000 });
  const code = (await page.getByTestId('receipt-code').innerText()).trim();
  assert(/^[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}$/.test(code), `receipt code format: ${code}`);
  assert((await page.getByTestId('receipt-sent').innerText()).length > 0, 'sent/unsent line');
  if (shots) await screen(page, `08-receipt-${orient}`, { fullPage: true, axe: ax });
  receipts.push(code);
  return code;
}

async function lookup(page, code, orient, shots) {
  const ax = orient === 'portrait';
  await page.getByTestId('lookup').click();
  await page.locator('#f-lookup-code').click();
  await page.locator('.kb[data-mode="code"]').waitFor();
  for (const ch of code.replace(/-/g, '')) await page.locator(`.kb [data-key="${ch}"]`).click();
  if (shots) await screen(page, `09-lookup-keypad-${orient}`, { axe: ax });
  await done(page);
  await page.getByTestId('lookup-search').click();
  // Found; nothing more is shown until the last 4 digits of the ID number.
  await page.getByTestId('lookup-last4').waitFor();
  assert(await page.getByTestId('lookup-result').count() === 0, 'no status before the second fact');
  await tapField(page, 'f-lookup-last4');
  await tapDigits(page, '0000');
  await page.locator('#lookup-last4-err').waitFor();
  assert(await page.getByTestId('lookup-result').count() === 0, 'no status for wrong digits');
  if (shots) await screen(page, `09b-lookup-last4-wrong-${orient}`, { axe: ax });
  await tapField(page, 'f-lookup-last4');
  await tapDigits(page, '2345');
  await page.getByTestId('lookup-result').waitFor();
  const status = await page.getByTestId('lookup-status').innerText();
  if (shots) await screen(page, `10-lookup-result-${orient}`, { axe: ax });
  return status;
}

const spec = suite('');
const test = spec.test;

test('citizen requests a birth-extract copy with taps only, then looks it up (portrait)', async (b) => {
  const page = await newPage(b, VIEWPORTS.portrait);
  const code = await citizenFlow(page, 'portrait', true);
  // The one optional question after the receipt: one tap, counted for the
  // day (anonymously), and after a sync in the city's report for the commune.
  await page.getByTestId('rate-very_satisfied').click();
  await page.getByTestId('satisfaction-thanks').waitFor();
  if (CITY_URL) {
    const { token } = await api('Staff', 'Unlock', PIN);
    await api('Staff', 'SyncNow', token);
    for (let i = 0; i < 150 && (await api('Staff', 'Progress', token)).running; i++) await new Promise((r) => setTimeout(r, 200));
    await api('Staff', 'Lock', token);
    const rep = await city('GET', '/v1/operator/report');
    const ba = rep.communes.find((c) => c.commune === '00004');
    assert(ba.satisfaction.very_satisfied >= 1, `the report counts the answer: ${JSON.stringify(ba.satisfaction)}`);
  }
  // The print stylesheet: an 80 mm receipt printer and A4.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 302, height: 1100 });
  assert(await page.locator('.top').isHidden(), 'the header is not printed');
  await shot(page, 'print-80mm', { fullPage: true });
  await page.setViewportSize({ width: 794, height: 1123 });
  await shot(page, 'print-a4');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(VIEWPORTS.portrait);
  await page.getByTestId('done').click();
  // Leaving the receipt asks about the code first.
  await page.getByTestId('leave-check').waitFor();
  await shot(page, '08b-receipt-leave-portrait');
  {
    const r = await new AxeBuilder({ page }).include('[data-testid="leave-check"]').withTags(['wcag2a', 'wcag2aa']).analyze();
    assert(r.violations.length === 0, 'axe on the leave check: ' + r.violations.map((v) => v.id).join(', '));
  }
  await page.getByTestId('leave-written').click();
  await page.getByTestId('start').waitFor();
  const status = await lookup(page, code, 'portrait', true);
  assert(status.length > 0, 'lookup shows a status');
  const st = await api('Lookup', 'Status', { code, id_last4: '2345' });
  assert(st.found, 'the request is in the kiosk store');
  assert(!page.consoleMessages.some((m) => m.includes(NAME) || m.includes('001190012345')), 'no personal data in the console');
});

test('the same flow in landscape 1920×1080 and 1280×800', async (b) => {
  for (const [orient, vp] of [['landscape', VIEWPORTS.landscape], ['small', VIEWPORTS.small]]) {
    const page = await newPage(b, vp);
    const code = await citizenFlow(page, orient, orient === 'landscape');
    await page.getByTestId('done').click();
    if (orient === 'landscape' && process.env.PRINTER_DEV) {
      // "Print the receipt" prints with one tap, through Go, with no
      // dialog: a file stands in for the printer's /dev/usb/lp0.
      await page.getByTestId('leave-print').click();
      await page.getByTestId('printed').waitFor({ timeout: 15000 });
      const job = readFileSync(process.env.PRINTER_DEV);
      assert(job.subarray(0, 8).equals(Buffer.from([0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 72, 0])), 'the printer got ESC @ and a 576-dot GS v 0 raster');
      assert(job.subarray(-4).equals(Buffer.from([0x1d, 0x56, 66, 0])), 'the job ends with a cut');
      assert(job.length > 72 * 800, `a whole receipt was sent (${job.length} bytes)`);
      await page.getByTestId('done').click();
    } else {
      await page.getByTestId('leave-written').click();
    }
    const status = await lookup(page, code, orient, orient === 'landscape');
    assert(status.length > 0, 'lookup shows a status');
    await page.context().close();
  }
});

test('bad inputs show their errors next to the field and at the top', async (b) => {
  const page = await newPage(b);
  await page.getByTestId('start').click();
  await page.locator('[data-service="birth_extract_copy"]').click();
  await page.getByTestId('next').click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  const n = await page.locator('.field.has-error').count();
  assert(n >= 4, `required fields flagged (got ${n})`);
  await screen(page, '11-errors-required');
  await tapField(page, 'f-requester-full_name');
  await tapText(page, 'Trần Văn Bình');
  await done(page);
  await tapField(page, 'f-requester-personal_id');
  await tapDigits(page, '12345');
  await done(page);
  await tapField(page, 'f-requester-phone');
  await tapDigits(page, '12345');
  await done(page);
  await pick(page, 'f-requester-residence-commune');
  await tapField(page, 'f-requester-residence-street');
  await tapText(page, 'Số 1');
  await done(page);
  await page.locator('[data-field="requester.relation"] [role=radio]').first().click();
  await page.getByTestId('next').click();
  await page.locator('[data-field="requester.personal_id"].has-error').waitFor();
  const idErr = await page.locator('[data-field="requester.personal_id"] .field-errors').innerText();
  assert(idErr.length > 5, 'personal ID error text');
  assert(await page.locator('[data-field="requester.phone"] .field-errors').count() === 1, 'phone error shown');
  await screen(page, '12-errors-backend', { fullPage: true });
});

test('the ID-card QR typed by a scanner fills the requester', async (b) => {
  const page = await newPage(b);
  await page.getByTestId('start').click();
  await page.locator('[data-service="birth_extract_copy"]').click();
  await page.getByTestId('scan-hint').waitFor();
  const qr = "001190012345|012345678|Đặng Thị Thuỷ|05071985|Nữ|Số 7 ngõ 12 phố Huế, Hà Nội|20042021";
  await scannerTypes(page, qr);
  await page.waitForFunction(() => document.querySelector('#f-requester-personal_id')?.value === '001190012345');
  assert((await page.locator('#f-requester-full_name').inputValue()) === 'Đặng Thị Thuỷ', 'name from QR');
  assert((await page.locator('#f-requester-residence-street').inputValue()).startsWith('Số 7'), 'street from QR');
  await screen(page, '13-requester-scanned');
});

test('the ID-card QR from a serial scanner (a pty) fills the requester, Vietnamese letters and all', async (b) => {
  if (!process.env.SCANNER_FIFO) throw new Error('SCANNER_FIFO is not set (scripts/e2e.sh sets it)');
  const page = await newPage(b);
  await page.getByTestId('start').click();
  // The requester screen asks Go for scans; its first call only learns the
  // position, so the scan goes after it.
  const first = page.waitForResponse((r) => r.url().endsWith('/api/Scanner/Next'));
  await page.locator('[data-service="birth_extract_copy"]').click();
  await page.getByTestId('scan-hint').waitFor();
  const started = await (await first).json();
  assert(started.enabled === true, 'kioskd reads a serial scanner');
  const qr = '001190012345|012345678|Đặng Thị Thuỷ|05071985|Nữ|Số 7 ngõ 12 phố Huế, Hà Nội|20042021';
  writeFileSync(process.env.SCANNER_FIFO, qr + '\n');
  await page.waitForFunction(() => document.querySelector('#f-requester-personal_id')?.value === '001190012345', null, { timeout: 20000 });
  assert((await page.locator('#f-requester-full_name').inputValue()) === 'Đặng Thị Thuỷ', 'the name from the serial scan, with its Vietnamese letters');
});

test('idle reset leaves no personal data in the DOM, history or storage', async (b) => {
  const { token } = await api('Staff', 'Unlock', PIN);
  const before = await api('Staff', 'Settings', token);
  await api('Staff', 'SaveSettings', token, { ...before, idle_timeout_secs: 20 });
  try {
    const page = await newPage(b);
    await page.getByTestId('start').click();
    await page.locator('[data-service="birth_extract_copy"]').click();
    await tapField(page, 'f-requester-full_name');
    await tapText(page, 'Lê Văn Tám');
    await done(page);
    await tapField(page, 'f-requester-personal_id');
    await tapDigits(page, '001099887766');
    await page.getByTestId('idle-warning').waitFor({ timeout: 30000 });
    await shot(page, '14-idle-warning');
    // Axe on the dialog only, without touching the page (a touch would cancel it).
    const r = await new AxeBuilder({ page }).include('[data-testid="idle-warning"]').withTags(['wcag2a', 'wcag2aa']).analyze();
    assert(r.violations.length === 0, 'axe on the idle warning: ' + r.violations.map((v) => v.id).join(', '));
    await page.getByTestId('start').waitFor({ timeout: 30000 });
    const html = await page.content();
    assert(!html.includes('Lê Văn Tám') && !html.includes('001099887766'), 'no personal data left in the DOM');
    const left = await page.evaluate(() => ({ ls: localStorage.length, ss: sessionStorage.length, url: location.href, h: history.length, state: history.state }));
    assert(left.ls === 0 && left.ss === 0, 'no storage');
    assert(!left.url.includes('?') && !left.url.includes('#') && left.state == null, 'no data in the URL or history');
    assert(!page.consoleMessages.some((m) => m.includes('Lê Văn Tám') || m.includes('001099887766')), 'no personal data in the console');
  } finally {
    const { token: t2 } = await api('Staff', 'Unlock', PIN);
    await api('Staff', 'SaveSettings', t2, before);
    await api('Staff', 'Lock', t2).catch(() => {});
  }
});

test('counter services show the documents to bring; large text; not-ready message', async (b) => {
  const page = await newPage(b);
  await page.getByTestId('large').click();
  await screen(page, '15-welcome-large-text');
  await page.getByTestId('large').click();
  await page.getByTestId('start').click();
  await page.getByTestId('other-services').click();
  await page.locator('[data-service="death_registration"]').click();
  await page.locator('#h-counter').waitFor();
  await screen(page, '16-counter-service');
  // A kiosk that is not enrolled says so in plain words and offers no form
  // (the one test that stubs a call: the e2e kiosk is enrolled).
  const p2 = await (await b.newContext({ viewport: VIEWPORTS.small, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })).newPage();
  await p2.route('**/api/Kiosk/State', async (route) => {
    const res = await route.fetch();
    const st = await res.json();
    await route.fulfill({ response: res, json: { ...st, ready: false, enrolled: false } });
  });
  await p2.goto(KIOSK_URL + '/');
  await p2.getByText('Máy chưa sẵn sàng').waitFor();
  assert(await p2.getByTestId('start').count() === 0, 'no form when not ready');
  await screen(p2, '21-welcome-not-ready');
});

test('a status set at the city shows in the lookup after "sync now"', async (b) => {
  if (!CITY_URL) throw new Error('CITY_URL is not set');
  const page = await newPage(b);
  const code = receipts[0] ?? (await (async () => { const p = await newPage(b); return citizenFlow(p, 'x', false); })());
  await staffIn(page);
  await page.getByTestId('sync-now').click();
  await page.getByTestId('sync-now').and(page.locator(':not([disabled])')).waitFor({ timeout: 30000 });
  await screen(page, '17-staff-overview', { fullPage: true });
  await cityStatus(code, 'ready');
  await page.getByTestId('sync-now').click();
  await page.waitForTimeout(500);
  await page.getByTestId('sync-now').and(page.locator(':not([disabled])')).waitFor({ timeout: 30000 });
  await page.getByTestId('staff-lock').click();
  await page.getByTestId('start').waitFor();
  // The citizen holds the receipt's QR to the scanner on the lookup screen.
  await page.getByTestId('lookup').click();
  await page.locator('#h-lookup').waitFor();
  await scannerTypes(page, code);
  await tapField(page, 'f-lookup-last4');
  await tapDigits(page, '2345');
  await page.getByTestId('lookup-result').waitFor();
  const status = await page.getByTestId('lookup-status').innerText();
  const st = await api('Lookup', 'Status', { code, id_last4: '2345' });
  assert(st.status === 'ready', `kiosk got the status (${JSON.stringify(st)})`);
  assert(status.length > 0 && status === (st.status_text?.vi || status), `lookup shows it: ${status}`);
  await screen(page, '18-lookup-city-status');
});

test('staff: USB export, the city imports the bundle, its receipt imported twice; idle timeout in settings', async (b) => {
  // A USB drive: a folder under the kiosk's --usb-roots, listed in its
  // --usb-mounts table, as the automounter would mount it.
  if (!process.env.USB_MEDIA || !process.env.USB_MOUNTS) throw new Error('USB_MEDIA and USB_MOUNTS are not set');
  const usb = join(process.env.USB_MEDIA, 'KIOSK-USB');
  mkdirSync(usb, { recursive: true });
  writeFileSync(process.env.USB_MOUNTS, `/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 ${usb} vfat rw,nosuid 0 0\n`);
  const receiptFile = join(usb, 'receipt.json');
  const { token } = await api('Staff', 'Unlock', PIN);
  const before = await api('Staff', 'Settings', token);
  try {
    const page = await newPage(b);
    await staffIn(page);
    // The drive is offered by its name; no path is typed.
    const drive = page.locator('[data-drive="KIOSK-USB"]');
    await drive.waitFor();
    const st = await api('Kiosk', 'State');
    const rc = await api('Requests', 'Submit', usbDraft(st.notice_version));
    await drive.getByTestId('usb-export').click();
    const [, count, path] = await staffSays(page, /^Đã xuất (\d+) hồ sơ vào (.+)\.$/);
    assert(Number(count) >= 1, `the export counts the new request (${count})`);
    const files = readdirSync(usb).filter((f) => /^bundle-.*\.json$/.test(f));
    assert(files.length === 1 && path === join(usb, files[0]), `one bundle file in the folder: ${files} (screen: ${path})`);

    // The city imports the bundle, moves the request on, and gives back
    // its receipt file for this kiosk.
    const bundle = readFileSync(path);
    const kioskID = JSON.parse(bundle.toString('utf8')).payload.kiosk_id;
    const pushed = await city('POST', '/v1/operator/import', { raw: bundle });
    const mine = (pushed.results ?? []).find((r) => r.request_id === rc.request_id);
    assert(mine && ['accepted', 'duplicate'].includes(mine.outcome), `the city took the request: ${JSON.stringify(mine)}`);
    await cityStatus(rc.code, 'processing');
    writeFileSync(receiptFile, await city('GET', `/v1/operator/kiosks/${encodeURIComponent(kioskID)}/receipt`, { bytes: true }));

    await page.getByTestId('usb-refresh').click();
    const importBtn = drive.locator('[data-file="receipt.json"]');
    await importBtn.click();
    const [, acks, statuses] = await staffSays(page, /^Đã nhập (\d+) xác nhận và (\d+) trạng thái\.$/);
    assert(Number(acks) >= 1 && Number(statuses) >= 1, `the receipt applied acks and statuses (${acks}, ${statuses})`);
    const after = await api('Lookup', 'Status', { code: rc.code, id_last4: '4321' });
    assert(after.status === 'processing', `the kiosk has the city's status: ${JSON.stringify(after)}`);
    const queued = await page.getByTestId('count-queued').innerText();
    // The same file again changes nothing: no request leaves the queue, no status is applied.
    await importBtn.click();
    await staffSays(page, /^Đã nhập 0 xác nhận và 0 trạng thái\.$/);
    assert((await page.getByTestId('count-queued').innerText()) === queued, 'the queue did not change');
    assert(JSON.stringify(await api('Lookup', 'Status', { code: rc.code, id_last4: '4321' })) === JSON.stringify(after), 'the status did not change');
    await screen(page, '22-staff-usb-imported', { fullPage: true });

    // Settings: the idle timeout on the numeric pad, saved, in Kiosk.State.
    const secs = before.idle_timeout_secs === 600 ? '300' : '600';
    await tapField(page, 's-idle');
    await clearKeys(page);
    await tapDigits(page, secs);
    await done(page);
    await page.getByRole('button', { name: 'Lưu cài đặt', exact: true }).click();
    await staffSays(page, /^Đã lưu\.$/);
    const res = await fetch(`${KIOSK_URL}/api/Kiosk/State`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
    const state = await res.json();
    assert(res.ok && state.idle_timeout_secs === Number(secs), `Kiosk.State has the new idle timeout: ${state.idle_timeout_secs}`);
    assert((await page.locator('#s-idle').inputValue()) === secs, 'the form shows the saved value');
  } finally {
    rmSync(usb, { recursive: true, force: true });
    writeFileSync(process.env.USB_MOUNTS, '');
    const { token: t2 } = await api('Staff', 'Unlock', PIN);
    await api('Staff', 'SaveSettings', t2, before);
    await api('Staff', 'Lock', t2).catch(() => {});
  }
});

test('a kiosk that is not enrolled enrols from the staff screen with a code from the city', async (b) => {
  const k = await startKioskd(['--staff-pin', PIN]);
  try {
    const page = await newPage(b, VIEWPORTS.small, k.url);
    await page.getByText('Máy chưa sẵn sàng').waitFor();
    assert(await page.getByTestId('start').count() === 0, 'no form when not enrolled');
    assert((await apiAt(k.url, 'Kiosk', 'State')).ready === false, 'Kiosk.State says not ready');
    const { code } = await city('POST', '/v1/operator/enrol-codes', { json: { commune: '00004', commune_name: 'Phường Ba Đình' } });
    await staffIn(page);
    await tapField(page, 's-city');
    await tapRaw(page, CITY_URL);
    await done(page);
    await tapField(page, 's-code');
    await tapRaw(page, code);
    await done(page);
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await staffSays(page, /^Đã đăng ký: máy số (\d+)\.$/, 20000);
    const st = await apiAt(k.url, 'Kiosk', 'State');
    assert(st.ready && st.enrolled && st.commune_name === 'Phường Ba Đình', `Kiosk.State after enrolment: ${JSON.stringify(st)}`);
    await page.locator('dd', { hasText: CITY_URL }).waitFor();
    await screen(page, '23-staff-enrolled', { fullPage: true });
    // Locked again, the welcome offers the services.
    await page.getByTestId('staff-lock').click();
    await page.getByTestId('start').waitFor();
    assert(await page.getByText('Máy chưa sẵn sàng').count() === 0, 'the not-ready message is gone');
  } finally {
    await k.stop();
  }
});

registerWalks(test);

// Last: the lockout persists (--lockout 1m) and would refuse the PIN above.
test('the staff PIN locks out after 5 failures', async (b) => {
  const page = await newPage(b);
  await staffOpen(page);
  await screen(page, '19-staff-pin');
  let msg = '';
  for (let i = 0; i < 5; i++) {
    for (const d of '000000') await page.locator(`[data-pin="${d}"]`).click();
    await page.getByTestId('pin-ok').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="pin-msg"]')?.dataset.n !== String(n), i).catch(() => {});
    await page.waitForTimeout(200);
    msg = await page.getByTestId('pin-msg').innerText();
  }
  // Even the right PIN is refused while locked.
  for (const d of PIN) await page.locator(`[data-pin="${d}"]`).click();
  await page.getByTestId('pin-ok').click();
  await page.waitForTimeout(300);
  msg = await page.getByTestId('pin-msg').innerText();
  assert(/khoá|khóa|Locked/i.test(msg), `lockout message: ${msg}`);
  await screen(page, '20-staff-locked');
});

async function staffOpen(page) {
  const box = await page.getByTestId('commune').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(3200);
  await page.mouse.up();
  await page.locator('#h-staff').waitFor();
}
async function staffIn(page) {
  await staffOpen(page);
  for (const d of PIN) await page.locator(`[data-pin="${d}"]`).click();
  await page.getByTestId('pin-ok').click();
  await page.getByTestId('sync-now').waitFor();
}

// Waits for the staff screen's message to match re and returns the match.
async function staffSays(page, re, timeout = 15000) {
  const note = page.locator('section.staff > p.notice');
  await note.filter({ hasText: re }).waitFor({ timeout }).catch(async (e) => {
    const now = await note.allInnerTexts().catch(() => []);
    throw new Error(`staff message ${re}: got ${JSON.stringify(now)} (${e.message.split('\n')[0]})`);
  });
  return (await note.innerText()).trim().match(re);
}

// A valid request as the form would send it, for the USB test.
function usbDraft(noticeVersion) {
  return {
    service: 'birth_extract_copy',
    requester: { full_name: 'Trần Thị Lan', personal_id: '001185054321', phone: '0912345678',
      residence: { province: '01', commune: '00004', street: 'Số 3 phố Hàng Bông' }, relation: 'self' },
    subject: { full_name: 'Trần Thị Lan', birth_date: '1985-03-14', sex: 'female' },
    register: { office: '00004' },
    copies: 1,
    delivery: { method: 'pickup' },
    consent: { notice_version: noticeVersion, purposes: ['process_request'], accepted_at: new Date().toISOString() },
  };
}

// Sets a request's status through the city's operator API
// (POST /v1/operator/requests/{request_id}/status).
async function cityStatus(code, status) {
  const h = { Authorization: `Bearer ${CITY_TOKEN}`, 'Content-Type': 'application/json' };
  const list = await (await fetch(`${CITY_URL}/v1/operator/requests?limit=1000`, { headers: h })).json();
  const req = (list.requests ?? []).find((r) => r.code === code);
  if (!req) throw new Error(`the city has no request ${code}`);
  for (const s of status === 'ready' ? ['processing', 'ready'] : [status]) {
    const res = await fetch(`${CITY_URL}/v1/operator/requests/${encodeURIComponent(req.request_id)}/status`, { method: 'POST', headers: h, body: JSON.stringify({ status: s }) });
    if (!res.ok) throw new Error(`city status ${s}: ${res.status} ${await res.text()}`);
  }
}

const t0 = Date.now();
await spec.run(() => [
  `axe: ${axeLog.length} checks (${axeLog.filter((a) => a.violations === 0).length} with zero violations); screenshots in ${SHOT_DIR}`,
  `e2e against ${KIOSK_URL} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
]);

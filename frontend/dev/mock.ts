// A tiny in-memory stand-in for kioskd's /api, for `npm run dev` only. It is
// wired in by vite.dev.config.ts and never bundled into dist/ nor used by the
// e2e tests (they run against a real kioskd).
import { readFileSync } from 'node:fs';
import type { Connect } from 'vite';

const root = new URL('../../kiosk/', import.meta.url);
const catalogue = JSON.parse(readFileSync(new URL('catalogue.json', root), 'utf8'));
const units = JSON.parse(readFileSync(new URL('units.json', root), 'utf8'));
const provinces = units.provinces.map(([code, name, kind]: string[]) => ({ code, name, kind }));
const former = units.former_hanoi.map(([code, name, district, now]: string[]) => ({ code, name, district, new_codes: [now], now_part_of: [units.communes.find((c: string[]) => c[0] === now)?.[1] ?? now], office_text: 'UBND ' + name.replace(/^(Phường|Xã|Thị trấn) /, (k: string) => k.toLowerCase()) + ', ' + district.replace(/^(Quận|Huyện|Thị xã|Thành phố) /, (k: string) => k.toLowerCase()) }));
const communes = units.communes.map(([code, name, kind, province_code]: string[]) => ({ code, name, kind, province_code }));

const text = (vi: string, en: string) => ({ vi, en });
const requests = new Map<string, any>();
let seq = 0;
let failures = 0;
let settings = { sync_spec: '@every 5m', idle_timeout_secs: 90, city_url: 'http://127.0.0.1:8080' };

function problem(field: string, vi: string, en: string) {
  return { field, code: 'format', severity: 'error', message: text(vi, en) };
}
function validate(d: any, step: string) {
  const ps: any[] = [];
  if (!step || step === 'requester') {
    if (d.requester?.personal_id && !/^\d{12}$/.test(d.requester.personal_id))
      ps.push(problem('requester.personal_id', 'Số định danh cá nhân phải có đúng 12 chữ số.', 'The personal ID number must have exactly 12 digits.'));
    if (d.requester?.phone && !/^0\d{9}$/.test(d.requester.phone))
      ps.push(problem('requester.phone', 'Số điện thoại di động có 10 chữ số, bắt đầu bằng 0.', 'A mobile number has 10 digits and starts with 0.'));
  }
  return ps;
}
function quote(d: any) {
  const n = Number(d.copies) || 1;
  return { lines: [{ label: text('Phí cấp bản sao trích lục', 'Extract copy fee'), amount_vnd: 8000 * n, note: text(`${n} bản × 8.000 đồng`, `${n} × 8,000 VND`) }], total_vnd: 8000 * n, waiver: null, postage: d.delivery?.method === 'post' ? catalogue.postage.text : null };
}
function code() {
  const a = '23456789ACDEFHKMNPRTVXY';
  const s = Array.from({ length: 9 }, (_, i) => a[(seq * 7 + i * 5) % a.length]).join('');
  return `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6)}`;
}

const methods: Record<string, (...a: any[]) => any> = {
  'Kiosk.State': () => ({ ready: true, enrolled: true, demo: true, commune_name: 'UBND Phường Ba Đình', commune: '00004', online: false, unsent: requests.size, idle_timeout_secs: settings.idle_timeout_secs, version: 'dev', catalogue_version: catalogue.version, notice_version: catalogue.notice_version }),
  'Requests.Catalogue': () => catalogue,
  'Requests.Provinces': () => provinces,
  'Requests.FormerUnits': (p: string) => (p === '01' ? former : []),
  'Requests.Communes': (p: string) => communes.filter((c: any) => c.province_code === p),
  'Requests.Validate': (d: any, step: string) => validate(d, step),
  'Requests.Quote': (d: any) => quote(d),
  'Requests.Submit': (d: any) => {
    const ps = validate(d, '');
    if (ps.length) throw { status: 422, error: { code: 'validation', message: text('Một số thông tin chưa đúng.', 'Some information is not right.'), problems: ps } };
    seq++;
    const svc = catalogue.services.find((s: any) => s.id === d.service);
    const r = { code: code(), request_id: 'r' + seq, service: d.service, service_name: svc?.name, copies: d.copies, quote: quote(d), delivery_method: d.delivery?.method, expected_date: '2026-12-01', created_at: new Date().toISOString(), notice_version: catalogue.notice_version, commune_name: 'UBND Phường Ba Đình', sent: false, id_last4: String(d.requester?.personal_id ?? '').slice(-4) };
    requests.set(r.code, r);
    return r;
  },
  'Lookup.Status': (q: { code: string; id_last4?: string }) => {
    const r = requests.get(q.code);
    if (!r) return { found: false, code: q.code };
    if (!q.id_last4) return { found: true, code: q.code, need_id_last4: true };
    if (q.id_last4 !== r.id_last4) return { found: true, code: q.code, need_id_last4: true, id_last4_wrong: true };
    return { found: true, code: q.code, service_name: r.service_name, state: 'queued', status_text: text('', ''), created_at: r.created_at };
  },
  'Staff.Unlock': (pin: string) => {
    if (pin === '123456') { failures = 0; return { token: 'tok' }; }
    failures++;
    if (failures >= 5) throw { status: 423, error: { code: 'locked', message: text('Đã khoá.', 'Locked.'), detail: { locked_until: new Date(Date.now() + 300000).toISOString() } } };
    throw { status: 401, error: { code: 'unauthorized', message: text('Sai mã PIN.', 'Wrong PIN.'), detail: { attempts_left: 5 - failures } } };
  },
  'Staff.Overview': () => ({ counts: { queued: requests.size, sent: 0, quarantined: 1 }, last_sync: { at: new Date().toISOString(), ok: false, error: text('Không kết nối được với máy chủ thành phố.', 'Could not reach the city server.'), pushed: 0, accepted: 0, duplicates: 0, rejected: 0, statuses: 0 }, running: false, progress: { batch: 0, batches: 0, sent: 0 }, alarms: [], identity: { kiosk_id: 'k1', number: 7, commune_name: 'UBND Phường Ba Đình', city_url: settings.city_url, enrolled_at: new Date().toISOString() }, settings }),
  'Staff.Quarantine': () => [{ request_id: 'q1', code: 'K7M-4HX-R9P', service: 'birth_extract_copy', outcome: 'rejected', reason: 'payload too large', at: new Date().toISOString() }],
  'Staff.SyncNow': () => null,
  'Staff.Progress': () => ({ running: false, progress: { batch: 1, batches: 1, sent: 0 } }),
  'Staff.Requeue': () => null,
  'Staff.ExportUSB': (_t: string, dir: string) => ({ path: dir + '/export.json', count: requests.size }),
  'Staff.ImportUSB': () => ({ acks: 0, statuses: 0 }),
  'Staff.Enrol': () => ({ number: 7 }),
  'Staff.ImportProvisioning': () => ({ number: 7 }),
  'Staff.Settings': () => settings,
  'Staff.SaveSettings': (_t: string, s: any) => (settings = { ...settings, ...s }),
  'Staff.Reprint': (_t: string, c: string) => { const r = requests.get(c); if (!r) throw { status: 404, error: { code: 'not_found', message: text('Không tìm thấy.', 'Not found.') } }; return r; },
  'Staff.Lock': () => null,
};

export function mockApi(): Connect.NextHandleFunction {
  return (req, res, next) => {
    const m = /^\/api\/(\w+)\/(\w+)$/.exec(req.url ?? '');
    if (!m || req.method !== 'POST') return next();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      const fn = methods[`${m[1]}.${m[2]}`];
      try {
        if (!fn) throw { status: 404, error: { code: 'not_found', message: text('Không có chức năng này.', 'No such function.') } };
        res.end(JSON.stringify(fn(...JSON.parse(body || '[]')) ?? null));
      } catch (e: any) {
        res.statusCode = e?.status ?? 500;
        res.end(JSON.stringify({ error: e?.error ?? { code: 'internal' } }));
      }
    });
  };
}

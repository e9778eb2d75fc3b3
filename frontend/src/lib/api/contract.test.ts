// The TypeScript side of the contract with Go. Go's TestAPIContract writes
// testdata/*.json: each facade type with representative values, and
// methods.json, the facade methods with their argument and result types.
//
// Here each golden has an example typed with its TypeScript type: a full
// golden (every field set) an example of Full<T>, which the compiler holds
// to every member of T, optional ones included; a minimal golden (X.case)
// an example of plain T, so a member TS calls required that Go leaves out
// does not compile. svelte-check checks the examples against the types;
// the test below checks each example's shape (keys, JSON kinds, nesting)
// against its golden. A field added, removed, renamed or retyped on one
// side only fails one of the two.
import { describe, expect, test } from 'vitest';
import { api, type Wire, type WireName } from './index';

/** T with every optional member required, all the way down. */
type Full<T> = T extends readonly (infer E)[]
  ? Full<E>[]
  : T extends object
    ? { [K in keyof T]-?: Full<Exclude<T[K], undefined>> }
    : T;

const text = { vi: 'x', en: 'x' };
const message: Full<Wire['Error']['message']> = { key: 'x', params: { free_mb: 'x', floor_mb: 'x' } };
const at = '2026-11-28T03:04:05Z';

const quote: Full<Wire['Quote']> = {
  service: 'x', catalogue_version: 'x', date: 'x',
  lines: [{ kind: 'fee', label: text, amount_vnd: 1, amount: text, note: text }],
  total_vnd: 1, total: text,
  waiver: { id: 'x', applied: true, condition: text, basis: text, field: 'x' },
  postage_on_delivery: true, fee_at_counter: true,
};
const problem: Full<Wire['Problem[]'][number]> = { field: 'x', code: 'x', severity: 'error', message: text };
const progress: Full<Wire['SyncProgressView']['progress']> = { phase: 'x', batch: 1, batches: 1, sent: 1, total: 1 };
const lastSync: Full<Wire['StaffOverview']['last_sync']> = { at, ok: true, error: message, pushed: 1, accepted: 1, duplicates: 1, rejected: 1, statuses: 1 };
const identity: Full<Wire['Identity']> = { kiosk_id: 'x', number: 1, commune_name: 'x', city_url: 'x', enrolled_at: at };
const settings: Full<Wire['Settings']> = { sync_spec: 'x', idle_timeout_secs: 1, city_url: 'x' };
const address = { province: 'x', commune: 'x', street: 'x' };

const full: { [K in Exclude<WireName, 'string' | 'number' | 'void'>]: Full<Wire[K]> } = {
  KioskState: {
    ready: true, not_ready: 'disk_full', enrolled: true, demo: true, commune_name: 'x', commune: 'x', online: true,
    last_sync_at: at, unsent: 1, idle_timeout_secs: 1, version: 'x', catalogue_version: 'x', notice_version: 'x',
  },
  Catalogue: {
    version: 'x', notice_version: 'x', notice: text,
    purposes: [{ id: 'x', label: text, required: true }],
    services: [{
      id: 'x', procedure: 'x', level: 1, form: 'x', event: 'x', name: text, summary: text, processing: text,
      processing_days: 1, fee: 'x', documents: text,
      steps: [{ id: 'x', title: text, fields: [{ id: 'x', kind: 'select', label: text, help: text, required: true, options: 'x', default: 'x' }] }],
    }],
    fees: [{ id: 'x', amount_vnd: 1, per: 'copy', basis: text, valid_from: 'x', valid_to: 'x' }],
    waivers: [{ id: 'x', fee: 'x', valid_from: 'x', valid_to: 'x', condition: text, basis: text, field: 'x' }],
    postage: { tariff_vnd: 1, text },
    // A record's keys are data: the example uses the golden's key.
    option_lists: { relations: [{ id: 'x', label: text, close: true }] },
    holidays: ['x'],
    office_hours: { open: 'x', close: 'x' },
  },
  'Unit[]': [{ code: 'x', name: 'x', province_code: 'x', kind: 'x' }],
  'FormerUnit[]': [{ code: 'x', name: 'x', district: 'x', now_part_of: ['x'], new_codes: ['x'], office_text: 'x' }],
  Request: {
    service: 'x',
    requester: { full_name: 'x', personal_id: 'x', phone: 'x', residence: address, relation: 'x', authorisation: 'x', birth_date: 'x', sex: 'x' },
    subject: { full_name: 'x', birth_date: 'x', sex: 'x', ethnicity: 'x', nationality: 'x', personal_id: 'x', spouse_name: 'x' },
    event: 'x',
    register: { office: 'x', office_text: 'x', date: 'x', number: 'x', book: 'x' },
    copies: 1,
    delivery: { method: 'x', address, recipient: 'x', phone: 'x' },
    consent: { notice_version: 'x', purposes: ['x'], accepted_at: at },
    purpose: 'x',
    extra: { digital_citizen: 'true' },
    catalogue_version: 'x',
    quoted_vnd: 1,
  },
  'Problem[]': [problem],
  Quote: quote,
  Receipt: {
    code: 'x', request_id: 'x', service: 'x', service_name: text, copies: 1, quote, delivery_method: 'x', expected_date: 'x',
    created_at: at, notice_version: 'x', purposes: ['x'], commune_name: 'x', sent: true, terms_unknown: true, note: message,
  },
  LookupQuery: { code: 'x', id_last4: 'x' },
  StatusView: {
    found: true, code: 'x', need_id_last4: true, id_last4_wrong: true, ask_staff: true, source: 'city', offline: true,
    service_name: text, state: 'sent', status: 'x', status_text: message, status_note: 'x', status_changed_at: at, created_at: at, received_at: at,
  },
  UnlockResult: { token: 'x' },
  StaffOverview: {
    counts: { queued: 1, sent: 1, quarantined: 1, oldest_unsent: at },
    last_sync: lastSync, running: true, progress, alarms: [message], identity, settings,
  },
  SyncProgressView: { running: true, progress, last: lastSync },
  'QuarantineItem[]': [{ request_id: 'x', code: 'x', service: 'x', outcome: 'rejected', reason: 'x', at }],
  'USBDrive[]': [{ path: 'x', label: 'x', files: ['x'] }],
  USBResult: { path: 'x', count: 1, acks: 1, statuses: 1 },
  Identity: identity,
  Settings: settings,
  PrintResult: { printed: true, kind: 'escpos' },
  PrinterStatus: {
    kind: 'escpos', target: 'x', state: 'offline',
    last_error: { state: 'offline', code: 'not_found', target: 'x', at }, last_job_at: at, jobs: 1,
  },
  ScannerStatus: { enabled: true, setting: 'x', port: 'x', error: 'x' },
  ScanBatch: { enabled: true, scans: [{ seq: 1, text: 'x' }], last: 1 },
  Error: {
    code: 'validation', message, problems: [problem],
    detail: { attempts_left: 1, locked_until: at, printer_state: 'offline' },
  },
};

// The common cases in which Go leaves members out.
const minimal: Record<string, unknown> = {
  'KioskState.unenrolled': {
    ready: false, not_ready: 'not_enrolled', enrolled: false, demo: false, commune_name: '', online: false, unsent: 0,
    idle_timeout_secs: 1, version: 'x', catalogue_version: 'x', notice_version: 'x',
  } satisfies Wire['KioskState'],
  'StatusView.need_last4': {
    found: true, code: 'x', need_id_last4: true, service_name: text, state: '', status_text: { key: '' },
  } satisfies Wire['StatusView'],
  'StatusView.city_offline': {
    found: false, code: 'x', source: 'city', offline: true, service_name: text, state: '', status_text: { key: 'x' },
  } satisfies Wire['StatusView'],
  'StaffOverview.unenrolled': {
    counts: { queued: 0, sent: 0, quarantined: 0 },
    last_sync: { ok: false, pushed: 0, accepted: 0, duplicates: 0, rejected: 0, statuses: 0 },
    running: false, progress, alarms: [{ key: 'x' }], identity: null, settings,
  } satisfies Wire['StaffOverview'],
  'PrinterStatus.new': { kind: 'pdf', target: 'x', state: 'unknown', jobs: 0 } satisfies Wire['PrinterStatus'],
  'Error.plain': { code: 'locked', message: { key: 'x', params: { until: 'x' } } } satisfies Wire['Error'],
};

/** The JSON kind of v, with the keys of objects and the first element of arrays. */
function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  }
  return typeof v;
}

const goldens = import.meta.glob('./testdata/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
const golden = (name: string) => goldens[`./testdata/${name}.json`];
const examples: Record<string, unknown> = { ...full, ...minimal };

describe('each golden Go wrote has the shape of its TypeScript type', () => {
  const names = Object.keys(goldens).map((p) => p.slice('./testdata/'.length, -'.json'.length)).filter((n) => n !== 'methods');
  test('every golden has an example here, and every example a golden', () => {
    expect(names.length).toBeGreaterThan(20);
    expect(Object.keys(examples).sort()).toEqual([...names].sort());
  });
  for (const name of names) {
    test(name, () => {
      expect(shape(examples[name]), `${name}: the TS type (example) vs the golden Go wrote`).toEqual(shape(golden(name)));
    });
  }
  test('the shape check sees a missing, an extra and a retyped member', () => {
    const g = golden('Settings') as Record<string, unknown>;
    expect(shape({ ...settings, city_url: undefined })).not.toEqual(shape(g));
    expect(shape({ ...settings, extra: 'x' })).not.toEqual(shape(g));
    expect(shape({ ...settings, idle_timeout_secs: '90' })).not.toEqual(shape(g));
  });
});

describe('the api module has exactly the facade methods Go binds', () => {
  type Sig = { args: string[]; result: string };
  const goMethods = golden('methods') as Record<string, Sig>;
  const ours: Record<string, Sig> = {};
  for (const group of Object.values(api)) {
    for (const m of Object.values(group)) {
      ours[`${m.facade}.${m.method}`] = { args: [...m.args], result: m.result };
    }
  }
  test('same methods', () => {
    expect(Object.keys(ours).sort()).toEqual(Object.keys(goMethods).sort());
  });
  for (const [name, sig] of Object.entries(goMethods)) {
    test(name, () => {
      expect(ours[name], `${name}: arguments and result`).toEqual(sig);
    });
  }
  test('every type a method names has a golden', () => {
    const named = new Set(Object.values(goMethods).flatMap((s) => [...s.args, s.result]));
    for (const n of named) {
      if (n === 'string' || n === 'number' || n === 'void') continue;
      expect(golden(n), n).toBeDefined();
    }
  });
});

// The page's state. Everything a citizen types lives here and nowhere else
// (no URL, no history entry, no storage, no logs); resetSession() drops it.
import { api, BackendError, type Message, type Text } from './api';
import { vi, format, messageWords, type Key, type Lang } from './i18n/index';
import { en } from './i18n/en';
import { emptyDraft } from './draft';
import type { UnitEntry } from './unitsearch';
import type { Catalogue, FormerUnit, KioskState, Problem, Receipt, Service, StatusView, Unit } from './api';
import type { Draft } from './draft';

export type Screen = 'welcome' | 'services' | 'counter' | 'step' | 'review' | 'receipt' | 'lookup' | 'staff';

export interface KbTarget {
  id: string; // DOM id of the field being typed into
  mode: 'text' | 'name' | 'digits' | 'code' | 'raw' | 'search'; // raw: staff fields; search: letters only, no tones
  get: () => string;
  set: (v: string) => void;
  max?: number;
  label?: string; // the field's label, shown above the keys with the text
  view?: string; // DOM id of the element to keep in view (default: id)
}

export const ui = $state({
  lang: 'vi' as Lang,
  large: false,
  screen: 'welcome' as Screen,
  serviceId: '',
  stepIdx: 0,
  problems: [] as Problem[],
  notice: '' as string, // a plain message at the top of the screen
  noticeKind: 'info' as 'info' | 'error',
  busy: false,
  receipt: null as Receipt | null,
  lookupCode: '',
  lookup: null as StatusView | null,
  lookupError: '',
  idleLeft: -1, // seconds left in the idle warning; -1 when not warning
  dateParts: {} as Record<string, string>, // the digits typed in a date entry (ddmmyyyy)
  consent: {} as Record<string, boolean>,
  copied: {} as Record<string, string>, // subject fields prefilled from the requester
  otherAddress: false, // by post to an address other than the residence
  staffToken: '',
});

export const kioskInfo = $state({
  state: null as KioskState | null,
  catalogue: null as Catalogue | null,
  provinces: [] as Unit[],
  communes: {} as Record<string, Unit[]>,
  former: {} as Record<string, FormerUnit[]>,
  loadError: '',
});

export const form = $state({ draft: emptyDraft() as Draft });

export const kb = $state({
  target: null as KbTarget | null,
  shift: false,
  telex: true,
  locked: false,
});

const catalogues = { vi, en };

/** UI text in the current language. */
export function t(key: Key, params?: Record<string, string | number>): string {
  return format(catalogues[ui.lang][key] ?? vi[key], params);
}

/** Catalogue or backend text in the current language. */
export function tx(text: Text | undefined | null): string {
  if (!text) return '';
  return (ui.lang === 'en' ? text.en || text.vi : text.vi || text.en) ?? '';
}

/**
 * A message from Go in the current language: its own words when it brings
 * them (Message.text), else the catalogue's msg_<key> with its params; ''
 * for a key the catalogues lack.
 */
export function msgText(m: Message | undefined | null): string {
  return messageWords(m, catalogues[ui.lang], ui.lang);
}

export function errorText(e: unknown): string {
  if (e instanceof BackendError) {
    const said = msgText(e.msg);
    if (said) return said;
    const k = ('err_' + e.code) as Key;
    if (k in vi) return t(k);
  }
  return t('err_internal');
}

export function service(): Service | undefined {
  return kioskInfo.catalogue?.services.find((s) => s.id === ui.serviceId);
}

/** Clears every trace of the citizen's session and shows the welcome screen. */
export function resetSession(): void {
  kb.target = null;
  kb.shift = false;
  kb.locked = false;
  kb.telex = true;
  form.draft = emptyDraft();
  ui.screen = 'welcome';
  ui.serviceId = '';
  ui.stepIdx = 0;
  ui.problems = [];
  ui.notice = '';
  ui.busy = false;
  ui.receipt = null;
  ui.lookupCode = '';
  ui.lookup = null;
  ui.lookupError = '';
  ui.idleLeft = -1;
  ui.dateParts = {};
  ui.consent = {};
  ui.copied = {};
  ui.otherAddress = false;
  ui.lang = 'vi';
  ui.large = false;
  if (ui.staffToken) {
    const token = ui.staffToken;
    ui.staffToken = '';
    api.staff.lock(token).catch(() => {});
  }
  try {
    history.replaceState(null, '', location.pathname);
  } catch {
    /* not in a browser */
  }
  refreshState();
}

export async function refreshState(): Promise<void> {
  try {
    kioskInfo.state = await api.kiosk.state();
    kioskInfo.loadError = '';
  } catch (e) {
    kioskInfo.loadError = errorText(e);
  }
}

export async function loadAll(): Promise<void> {
  await refreshState();
  try {
    kioskInfo.catalogue = await api.requests.catalogue();
    kioskInfo.provinces = await api.requests.provinces();
  } catch (e) {
    kioskInfo.loadError = errorText(e);
  }
}

export async function communesOf(province: string): Promise<Unit[]> {
  if (!province) return [];
  if (!kioskInfo.communes[province]) {
    kioskInfo.communes[province] = await api.requests.communes(province);
  }
  return kioskInfo.communes[province];
}

/** The former commune-level units of a province (before 1 July 2025). */
export async function formerUnitsOf(province: string): Promise<FormerUnit[]> {
  if (!province) return [];
  if (!kioskInfo.former[province]) {
    kioskInfo.former[province] = (await api.requests.formerUnits(province)) ?? [];
  }
  return kioskInfo.former[province];
}

/** A province's current and former units, for searching and matching. */
export async function unitEntries(province: string): Promise<UnitEntry[]> {
  const [cs, fs] = await Promise.all([communesOf(province), formerUnitsOf(province)]);
  return [
    ...cs.map((c): UnitEntry => ({ key: 'c:' + c.code, kind: 'current', name: c.name, code: c.code })),
    ...fs.map((f, i): UnitEntry => ({ key: `f:${i}`, kind: 'former', name: f.name, district: f.district, nowPartOf: f.now_part_of, newCodes: f.new_codes, officeText: f.office_text })),
  ];
}

export function go(screen: Screen): void {
  kb.target = null;
  ui.problems = [];
  ui.notice = '';
  ui.screen = screen;
  if (typeof window !== 'undefined') window.scrollTo?.(0, 0);
}

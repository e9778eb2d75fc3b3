// The JSON shapes of the calls between the UI and Go: each interface is a
// Go DTO of package app (or a domain type a facade returns), named as in
// the goldens of testdata/ that Go's TestAPIContract writes. contract.test.ts
// holds these types to the goldens, so follow any change of a DTO here.
//
// An optional member (?) is one Go leaves out (omitempty/omitzero): times
// never arrive as Go's zero time 0001-01-01, they are absent.

/** A text in Vietnamese and English (kiosk.Text). */
export interface Text {
  vi: string;
  en: string;
}

/**
 * A sentence for people, by key (app.Message): the UI words it from its
 * catalogues, entry msg_<key> with the params filled in. The keys and
 * their params are listed in docs/messages.md.
 */
export interface Message {
  key: string;
  params?: Record<string, string>;
}

/** A validation problem of one field (kiosk.Problem); its words are the domain's catalogue. */
export interface Problem {
  field: string;
  code: string;
  severity: 'error' | 'warning';
  message: Text;
}

/**
 * The one shape of an error from Go (app.Error): over HTTP the body's
 * "error" member, through the Wails bindings the rejection itself.
 * `code` is one of ErrorCode; `problems` come with "validation", `detail`
 * with "unauthorized" (a wrong PIN), "locked" and a failed print.
 */
export interface ErrorBody {
  code: ErrorCode;
  message: Message;
  problems?: Problem[];
  detail?: ErrorDetail;
}

/** app's error codes (errors.go), plus 'offline' when the page cannot reach Go. */
export type ErrorCode =
  | 'validation' | 'not_ready' | 'disk_full' | 'not_found' | 'unauthorized' | 'locked' | 'bad_input'
  | 'unavailable' | 'internal' | 'too_large' | 'enrol_code_typo' | 'enrol_mismatch' | 'insecure_city'
  | 'offline';

export interface ErrorDetail {
  /** unauthorized (wrong PIN): tries left before the lockout */
  attempts_left?: number;
  /** locked: when it opens again */
  locked_until?: string;
  /** a failed print: the printer's state */
  printer_state?: PrinterState;
}

// --- The kiosk and its catalogue -------------------------------------------

export interface KioskState {
  ready: boolean;
  /** why not ready: 'not_enrolled' or 'disk_full' */
  not_ready?: 'not_enrolled' | 'disk_full';
  enrolled: boolean;
  demo: boolean;
  commune_name: string;
  commune?: string;
  online: boolean;
  last_sync_at?: string;
  unsent: number;
  idle_timeout_secs: number;
  version: string;
  catalogue_version: string;
  notice_version: string;
}

export interface Option { id: string; label: Text; close?: boolean }
export interface Field {
  id: string;
  kind: 'text' | 'name' | 'personal_id' | 'phone' | 'date' | 'select' | 'number' | 'address' | 'office' | 'checkbox' | 'textarea';
  label: Text;
  help?: Text;
  required: boolean;
  /** the option list, for select */
  options?: string;
  default?: string;
}
export interface Step { id: string; title: Text; fields: Field[] }
export interface Service {
  id: string;
  procedure: string;
  level: number;
  form: 'extract_copy' | 'marital_status' | 'counter' | string;
  event?: string;
  name: Text;
  summary: Text;
  processing: Text;
  processing_days: number;
  /** the fee rule's ID */
  fee: string;
  documents?: Text;
  steps?: Step[];
}
export interface Purpose { id: string; label: Text; required: boolean }
export interface FeeRule {
  id: string;
  amount_vnd: number;
  per: 'copy' | 'request' | 'counter' | string;
  basis: Text;
  valid_from: string;
  valid_to: string;
}
export interface Waiver {
  id: string;
  fee: string;
  valid_from: string;
  valid_to: string;
  condition: Text;
  basis?: Text;
  field: string;
}
export interface Catalogue {
  version: string;
  notice_version: string;
  notice: Text;
  purposes: Purpose[];
  services: Service[];
  fees: FeeRule[];
  waivers: Waiver[];
  postage: { tariff_vnd: number; text: Text };
  option_lists: Record<string, Option[]>;
  holidays?: string[];
  office_hours?: { open: string; close: string };
}
export interface Unit { code: string; name: string; province_code: string; kind: string }
/** A commune-level unit before 1 July 2025 (app.FormerUnitView). */
export interface FormerUnit { code?: string; name: string; district: string; now_part_of: string[]; new_codes: string[]; office_text: string }

// --- The citizen's request ---------------------------------------------------

export interface Address { province: string; commune: string; street: string }
/** The request draft (kiosk.Request), as the form fills it in. */
export interface Request {
  service: string;
  requester: {
    full_name: string;
    personal_id: string;
    phone: string;
    residence: Address;
    relation: string;
    authorisation?: string;
    birth_date?: string;
    sex?: string;
  };
  subject: {
    full_name: string;
    birth_date: string;
    sex: string;
    ethnicity: string;
    nationality: string;
    personal_id?: string;
    spouse_name?: string;
  };
  event: string;
  register: { office?: string; office_text?: string; date?: string; number?: string; book?: string };
  copies: number;
  delivery: { method: string; address: Address; recipient?: string; phone?: string };
  /** accepted_at is stamped by Go's clock at submission */
  consent: { notice_version: string; purposes: string[]; accepted_at: string };
  purpose?: string;
  extra?: Record<string, string>;
  catalogue_version?: string;
  quoted_vnd?: number;
}
export interface QuoteLine { kind: 'fee' | 'waiver' | 'postage' | string; label: Text; amount_vnd: number; amount: Text; note?: Text }
export interface Quote {
  service: string;
  catalogue_version: string;
  date: string;
  lines: QuoteLine[];
  total_vnd: number;
  /** total_vnd written out */
  total: Text;
  waiver?: { id: string; applied: boolean; condition: Text; basis?: Text; field: string };
  postage_on_delivery?: boolean;
  fee_at_counter?: boolean;
}
export interface Receipt {
  code: string;
  request_id: string;
  service: string;
  service_name: Text;
  copies: number;
  quote: Quote;
  delivery_method: string;
  /** YYYY-MM-DD in Asia/Ho_Chi_Minh */
  expected_date: string;
  created_at: string;
  notice_version: string;
  /** purpose IDs the citizen accepted */
  purposes: string[];
  commune_name: string;
  sent: boolean;
  /** a reprint of an older record: notice, purposes and waiver unknown */
  terms_unknown?: boolean;
  note?: Message;
}
export interface LookupQuery { code: string; id_last4?: string }
export interface StatusView {
  found: boolean;
  code: string;
  need_id_last4?: boolean;
  id_last4_wrong?: boolean;
  ask_staff?: boolean;
  source?: 'city';
  offline?: boolean;
  service_name: Text;
  /** '' when not found */
  state: 'queued' | 'sent' | 'quarantined' | '';
  status?: string;
  status_text: Message;
  status_note?: string;
  status_changed_at?: string;
  created_at?: string;
  received_at?: string;
}

// --- Printing and the scanner ------------------------------------------------

export type PrinterKind = 'escpos' | 'pdf' | 'none';
/** device/printer's states; the staff screen names each (staff_printer_<state>). */
export type PrinterState = 'ready' | 'no_paper' | 'offline' | 'error' | 'none' | 'unknown';
export interface PrintResult { printed: boolean; kind: PrinterKind }
export interface PrinterStatus {
  kind: PrinterKind;
  target: string;
  state: PrinterState;
  last_error?: PrinterProblem;
  last_job_at?: string;
  jobs: number;
}
/** A printing failure (printer.Problem): the UI words it as msg_printer_<code>, {target} from target. */
export interface PrinterProblem {
  state: PrinterState;
  code: 'not_found' | 'no_permission' | 'no_paper' | 'offline' | 'send_failed' | 'no_cups' | 'queue_refused' | 'no_such_printer' | 'busy' | 'failed';
  target?: string;
  at: string;
}
export interface ScannerStatus {
  /** a serial scanner is configured */
  enabled: boolean;
  /** the configured port or "auto" */
  setting: string;
  /** the port open now; '' when not open */
  port: string;
  error?: string;
}
export interface ScanBatch { enabled: boolean; scans: { seq: number; text: string }[]; last: number }

// --- The staff screen ----------------------------------------------------------

export interface UnlockResult { token: string }
export interface QueueCounts { queued: number; sent: number; quarantined: number; oldest_unsent?: string }
export interface SyncResult {
  /** absent until the first sync ends */
  at?: string;
  ok: boolean;
  /** why it failed; absent when it did not */
  error?: Message;
  pushed: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  statuses: number;
}
export interface SyncProgress { phase: string; batch: number; batches: number; sent: number; total: number }
export interface Identity { kiosk_id: string; number: number; commune_name: string; city_url: string; enrolled_at: string }
export interface Settings { sync_spec: string; idle_timeout_secs: number; city_url: string }
export interface StaffOverview {
  counts: QueueCounts;
  last_sync: SyncResult;
  running: boolean;
  progress: SyncProgress;
  alarms: Message[];
  /** null until the kiosk is enrolled */
  identity: Identity | null;
  settings: Settings;
}
export interface SyncProgressView { running: boolean; progress: SyncProgress; last: SyncResult }
export interface QuarantineItem {
  request_id: string;
  code: string;
  service: string;
  outcome: 'rejected' | 'conflict' | string;
  reason: string;
  at: string;
}
export interface USBDrive { path: string; label: string; files: string[] }
export interface USBResult { path?: string; count: number; acks: number; statuses: number }

// The one way to reach the Go side: every facade method of package app, typed.
//
//   const ov = await api.staff.overview(token); // Promise<StaffOverview>
//
// Each method names its Go facade and method and the wire names of its
// argument and result types (Wire below). contract.test.ts checks the list
// against testdata/methods.json, which Go's TestAPIContract writes from the
// bound facades, and each wire type against its golden JSON. A call rejects
// with a BackendError (the one error shape, ErrorBody).
import { call } from './transport';
import type * as T from './types';

export * from './types';
export { BackendError } from './transport';

/** The wire name of each type a facade takes or returns, as in the goldens. */
export interface Wire {
  string: string;
  number: number;
  void: void;
  KioskState: T.KioskState;
  Catalogue: T.Catalogue;
  'Unit[]': T.Unit[];
  'FormerUnit[]': T.FormerUnit[];
  Request: T.Request;
  'Problem[]': T.Problem[];
  Quote: T.Quote;
  Receipt: T.Receipt;
  LookupQuery: T.LookupQuery;
  StatusView: T.StatusView;
  UnlockResult: T.UnlockResult;
  StaffOverview: T.StaffOverview;
  SyncProgressView: T.SyncProgressView;
  'QuarantineItem[]': T.QuarantineItem[];
  'USBDrive[]': T.USBDrive[];
  USBResult: T.USBResult;
  Identity: T.Identity;
  Settings: T.Settings;
  PrintResult: T.PrintResult;
  PrinterStatus: T.PrinterStatus;
  ScannerStatus: T.ScannerStatus;
  ScanBatch: T.ScanBatch;
  Error: T.ErrorBody;
}
export type WireName = keyof Wire;

type Args<A extends readonly WireName[]> = { -readonly [I in keyof A]: Wire[A[I]] };

/** A typed facade method, with what the contract test reads of it. */
export type Method<A extends readonly WireName[], R extends WireName> = ((...args: Args<A>) => Promise<Wire[R]>) & {
  readonly facade: string;
  readonly method: string;
  readonly args: A;
  readonly result: R;
};

function method<const A extends readonly WireName[], R extends WireName>(facade: string, name: string, args: A, result: R): Method<A, R> {
  const f = (...a: Args<A>) => call(facade, name, a) as Promise<Wire[R]>;
  return Object.assign(f, { facade, method: name, args, result });
}

export const api = {
  kiosk: {
    state: method('Kiosk', 'State', [], 'KioskState'),
  },
  requests: {
    catalogue: method('Requests', 'Catalogue', [], 'Catalogue'),
    provinces: method('Requests', 'Provinces', [], 'Unit[]'),
    /** (province code) */
    communes: method('Requests', 'Communes', ['string'], 'Unit[]'),
    /** (province code) */
    formerUnits: method('Requests', 'FormerUnits', ['string'], 'FormerUnit[]'),
    /** (draft, step ID or '' for all) */
    validate: method('Requests', 'Validate', ['Request', 'string'], 'Problem[]'),
    quote: method('Requests', 'Quote', ['Request'], 'Quote'),
    submit: method('Requests', 'Submit', ['Request'], 'Receipt'),
    /** (answer: very_satisfied, satisfied, neutral, not_satisfied) */
    rate: method('Requests', 'Rate', ['string'], 'void'),
  },
  lookup: {
    status: method('Lookup', 'Status', ['LookupQuery'], 'StatusView'),
  },
  printing: {
    /** (receipt code) */
    print: method('Printing', 'Print', ['string'], 'PrintResult'),
    /** (token) */
    status: method('Printing', 'Status', ['string'], 'PrinterStatus'),
    /** (token) */
    testPage: method('Printing', 'TestPage', ['string'], 'PrintResult'),
  },
  scanner: {
    /** (after: the last seq seen, or -1; wait in ms) */
    next: method('Scanner', 'Next', ['number', 'number'], 'ScanBatch'),
    /** (token) */
    status: method('Scanner', 'Status', ['string'], 'ScannerStatus'),
  },
  // Every staff method but unlock takes the session token first.
  staff: {
    /** (PIN) */
    unlock: method('Staff', 'Unlock', ['string'], 'UnlockResult'),
    lock: method('Staff', 'Lock', ['string'], 'void'),
    overview: method('Staff', 'Overview', ['string'], 'StaffOverview'),
    progress: method('Staff', 'Progress', ['string'], 'SyncProgressView'),
    syncNow: method('Staff', 'SyncNow', ['string'], 'void'),
    quarantine: method('Staff', 'Quarantine', ['string'], 'QuarantineItem[]'),
    /** (token, request ID) */
    requeue: method('Staff', 'Requeue', ['string', 'string'], 'void'),
    usbDrives: method('Staff', 'USBDrives', ['string'], 'USBDrive[]'),
    /** (token, the drive's folder) */
    exportUSB: method('Staff', 'ExportUSB', ['string', 'string'], 'USBResult'),
    /** (token, the receipt file's path) */
    importUSB: method('Staff', 'ImportUSB', ['string', 'string'], 'USBResult'),
    /** (token, city URL, enrolment code or the QR's text) */
    enrol: method('Staff', 'Enrol', ['string', 'string', 'string'], 'Identity'),
    /** (token, file path, enrolment code) */
    importProvisioning: method('Staff', 'ImportProvisioning', ['string', 'string', 'string'], 'Identity'),
    settings: method('Staff', 'Settings', ['string'], 'Settings'),
    saveSettings: method('Staff', 'SaveSettings', ['string', 'Settings'], 'Settings'),
    /** (token, receipt code) */
    reprint: method('Staff', 'Reprint', ['string', 'string'], 'Receipt'),
  },
};

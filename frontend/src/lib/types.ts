// JSON shapes of the backend contract (see backend.ts).
import type { Problem, Text } from './backend';
export type { Problem, Text };

export interface Option { id: string; label: Text; close?: boolean }
export interface Field {
  id: string;
  kind: 'text' | 'name' | 'personal_id' | 'phone' | 'date' | 'select' | 'number' | 'address' | 'office' | 'checkbox' | 'textarea';
  label: Text;
  help?: Text;
  required?: boolean;
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
  fee: string;
  documents: Text;
  steps?: Step[];
}
export interface Purpose { id: string; label: Text; required: boolean }
export interface Catalogue {
  version: string;
  notice_version: string;
  notice?: Text;
  purposes?: Purpose[];
  services: Service[];
  option_lists: Record<string, Option[]>;
  postage?: { tariff_vnd: number; text: Text };
}
export interface KioskState {
  ready: boolean;
  /** why not ready: 'not_enrolled' or 'disk_full' */
  not_ready?: string;
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
export interface FormerUnit { code?: string; name: string; district: string; now_part_of: string[]; new_codes: string[]; office_text: string }
export interface Unit { code: string; name: string; province_code?: string; kind: string }
export interface Quote {
  lines: { kind?: 'fee' | 'waiver' | 'postage' | string; label: Text; amount_vnd: number; amount?: Text; note?: Text }[];
  total_vnd: number;
  total?: Text; // total_vnd written out
  waiver?: { applied: boolean; condition: Text; valid_to?: string } | null;
  postage?: Text | null;
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
  expected_date: string;
  created_at: string;
  notice_version: string;
  /** purpose IDs the citizen accepted */
  purposes?: string[];
  commune_name?: string;
  sent: boolean;
  /** a reprint of an older record: notice, purposes and waiver unknown */
  terms_unknown?: boolean;
  note?: Text;
}
export interface StatusView {
  found: boolean;
  code: string;
  need_id_last4?: boolean;
  id_last4_wrong?: boolean;
  ask_staff?: boolean;
  source?: 'city';
  offline?: boolean;
  service_name?: Text;
  state?: 'queued' | 'sent' | 'quarantined';
  status?: string;
  status_text: Text;
  status_note?: string;
  status_changed_at?: string;
  created_at?: string;
  received_at?: string;
}
export type Draft = Record<string, any>;

// Parser for the QR code on the chip-based citizen ID card (CCCD / thẻ căn
// cước): "ID|old ID|full name|ddmmyyyy|sex|address|ddmmyyyy" where the last
// date is the issue date. The old (9-digit CMND) number may be empty or left
// out entirely. The 12-digit personal ID is checked strictly. Never throws.

export interface CccdData {
  personal_id: string;
  old_id: string;
  full_name: string;
  birth_date: string; // YYYY-MM-DD
  sex: 'male' | 'female' | '';
  address: string;
  issued: string; // YYYY-MM-DD or ''
}

export type CccdResult = { ok: true; data: CccdData } | { ok: false; reason: 'fields' | 'id' | 'name' | 'date' };

function ddmmyyyy(s: string): string | null {
  if (!/^\d{8}$/.test(s)) return null;
  const d = Number(s.slice(0, 2));
  const m = Number(s.slice(2, 4));
  const y = Number(s.slice(4, 8));
  if (m < 1 || m > 12 || d < 1 || y < 1900) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${s.slice(4, 8)}-${s.slice(2, 4)}-${s.slice(0, 2)}`;
}

function sexOf(s: string): 'male' | 'female' | '' {
  const v = s.normalize('NFC').trim().toLowerCase();
  if (v === 'nam' || v === 'male') return 'male';
  if (v === 'nữ' || v === 'nu' || v === 'female') return 'female';
  return '';
}

export function parseCccdQr(raw: unknown): CccdResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'fields' };
  // Ð/ð (Icelandic eth) read as the Vietnamese Đ/đ, as the kiosk stores
  // them (kiosk.FoldEth): they look alike and break name matching.
  const text = raw.normalize('NFC').replace(/\u00D0/gu, '\u0110').replace(/\u00F0/gu, '\u0111').replace(/[\r\n]+$/u, '').trim();
  let parts = text.split('|').map((p) => p.trim());
  if (parts.length === 6) parts = [parts[0], '', ...parts.slice(1)];
  if (parts.length !== 7) return { ok: false, reason: 'fields' };
  const [id, oldId, name, birth, sex, address, issued] = parts;
  if (!/^\d{12}$/.test(id)) return { ok: false, reason: 'id' };
  const fullName = name.replace(/\s+/gu, ' ').trim();
  if (!fullName || /\d/u.test(fullName)) return { ok: false, reason: 'name' };
  const birthDate = ddmmyyyy(birth);
  if (!birthDate) return { ok: false, reason: 'date' };
  return {
    ok: true,
    data: {
      personal_id: id,
      old_id: /^\d{9}$/.test(oldId) ? oldId : '',
      full_name: fullName,
      birth_date: birthDate,
      sex: sexOf(sex),
      address: address.replace(/\s+/gu, ' ').trim(),
      issued: ddmmyyyy(issued) ?? '',
    },
  };
}

/** A quick test for "this looks like an ID-card QR", before parsing. */
export function looksLikeCccd(s: string): boolean {
  return /^\d{12}\|/.test(s) && s.split('|').length >= 6;
}

// When a typed value is complete, so the keyboard can close by itself.

/** A 12-digit personal ID number. */
export function personalIdComplete(s: string): boolean {
  return /^\d{12}$/.test(s);
}

/**
 * A whole Vietnamese phone number: a mobile number has 10 digits and starts
 * 03, 05, 07, 08 or 09; a landline has 11 and starts 02 (Hà Nội 024).
 */
export function phoneComplete(s: string): boolean {
  return /^0[35789]\d{8}$/.test(s) || /^02\d{9}$/.test(s);
}

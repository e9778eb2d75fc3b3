// A USB QR scanner in keyboard mode types like a keyboard, fast, and ends
// with Enter. This collects such bursts (keys less than maxGapMs apart) and
// hands over the text. Keyboard mode cannot type Vietnamese letters on
// Linux; a scanner in serial mode can, and the kiosk reads it in Go: its
// scans come through Scanner.Next (a long poll) to the same onScan.
import { api, type ScanBatch } from './api';

export type { ScanBatch };

export interface ScannerOptions {
  maxGapMs?: number;
  minLength?: number;
  onScan: (text: string) => void;
  now?: () => number;
  /** Also take scans of a serial scanner (default: in a page, yes). */
  serial?: boolean;
  /** Catch keyboard-mode bursts (default yes; no where a real keyboard types). */
  keyboard?: boolean;
  /** The call for serial scans (tests replace it). */
  next?: (after: number, waitMs: number) => Promise<ScanBatch>;
}

const retryMs = 3000;

/** Hands each serial scan made while alive() to onScan, never older ones. */
async function pollSerial(opts: ScannerOptions, alive: () => boolean): Promise<void> {
  const next = opts.next ?? api.scanner.next;
  let after = -1;
  while (alive()) {
    let batch: ScanBatch;
    try {
      batch = await next(after, after < 0 ? 0 : 20000);
    } catch {
      await new Promise((r) => setTimeout(r, retryMs));
      continue;
    }
    if (!batch.enabled || !alive()) return;
    if (after >= 0) for (const s of batch.scans) opts.onScan(s.text.normalize('NFC'));
    after = batch.last;
  }
}

export function listenScanner(opts: ScannerOptions): () => void {
  const gap = opts.maxGapMs ?? 250;
  const min = opts.minLength ?? 9;
  const now = opts.now ?? (() => performance.now());
  let buf = '';
  let lastAt = -Infinity;
  const onKey = (e: KeyboardEvent) => {
    const at = now();
    if (at - lastAt > gap) buf = '';
    lastAt = at;
    if (e.key === 'Enter') {
      const text = buf;
      buf = '';
      if (text.length >= min) {
        e.preventDefault();
        opts.onScan(text.normalize('NFC'));
      }
      return;
    }
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      buf += e.key;
      e.preventDefault();
    }
  };
  const keys = opts.keyboard ?? true;
  if (keys) window.addEventListener('keydown', onKey, true);
  let alive = true;
  if (opts.serial ?? typeof document !== 'undefined') void pollSerial(opts, () => alive);
  return () => {
    alive = false;
    if (keys) window.removeEventListener('keydown', onKey, true);
  };
}

// A USB QR scanner types like a keyboard, fast, and ends with Enter. This
// collects such bursts (keys less than maxGapMs apart) and hands over the text.
export interface ScannerOptions {
  maxGapMs?: number;
  minLength?: number;
  onScan: (text: string) => void;
  now?: () => number;
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
  window.addEventListener('keydown', onKey, true);
  return () => window.removeEventListener('keydown', onKey, true);
}

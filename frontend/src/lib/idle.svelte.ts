// Idle timeout: after the configured seconds without a touch or key the page
// warns with a countdown, then clears the session (resetSession).
import { ui, kioskInfo, resetSession } from './store.svelte';

let last = Date.now();

export function touched(): void {
  last = Date.now();
  if (ui.idleLeft >= 0) ui.idleLeft = -1;
}

function timeoutSecs(): number {
  const s = kioskInfo.state?.idle_timeout_secs;
  return s && s > 0 ? s : 90;
}

/** The warning shows for this many seconds before the reset. */
export function warnSecs(timeout: number): number {
  return Math.max(3, Math.min(20, Math.floor(timeout / 3)));
}

function inUse(): boolean {
  return ui.screen !== 'welcome' || ui.lang !== 'vi' || ui.large;
}

export function startIdle(): () => void {
  const evs = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
  for (const e of evs) window.addEventListener(e, touched, { capture: true, passive: true });
  const timer = setInterval(() => {
    if (!inUse()) {
      last = Date.now();
      return;
    }
    const total = timeoutSecs();
    const idle = (Date.now() - last) / 1000;
    const warn = warnSecs(total);
    if (idle >= total) {
      resetSession();
      last = Date.now();
    } else if (idle >= total - warn) {
      ui.idleLeft = Math.ceil(total - idle);
    }
  }, 250);
  return () => {
    clearInterval(timer);
    for (const e of evs) window.removeEventListener(e, touched, { capture: true });
  };
}

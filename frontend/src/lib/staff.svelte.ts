// The staff screen's session: what it shows (loaded with load(), after
// unlocking and after each action) and the actions its panels run. One
// instance per opening of the screen; the panels in screens/staff/ share it.
import { api, BackendError, type PrinterStatus, type QuarantineItem, type Receipt, type ScannerStatus, type Settings, type StaffOverview, type SyncProgressView, type USBDrive } from './api';
import { ui, t, errorText, refreshState } from './store.svelte';

const pollMs = 500;

export class StaffSession {
  overview = $state<StaffOverview | null>(null);
  progress = $state<SyncProgressView | null>(null);
  quarantine = $state<QuarantineItem[]>([]);
  drives = $state<USBDrive[]>([]);
  printer = $state<PrinterStatus | null>(null);
  scanner = $state<ScannerStatus | null>(null);
  reprinted = $state<Receipt | null>(null);
  /** The settings being edited (saved with save()). */
  settings = $state<Settings>({ sync_spec: '', idle_timeout_secs: 90, city_url: '' });
  /** The idle timeout as typed, and the city's address to enrol with. */
  idleText = $state('90');
  cityURL = $state('');
  /** The answer to the last action; error: it failed. */
  msg = $state('');
  msgErr = $state(false);

  running = $derived(this.progress?.running ?? this.overview?.running ?? false);
  bar = $derived(this.progress?.progress ?? this.overview?.progress);

  #polling: ReturnType<typeof setInterval> | null = null;

  get token(): string {
    return ui.staffToken;
  }

  say(text: string, err = false): void {
    this.msg = text;
    this.msgErr = err;
  }

  /** Shows a failure; an ended session goes back to the PIN. */
  fail(e: unknown): void {
    if (e instanceof BackendError && e.code === 'unauthorized') {
      ui.staffToken = '';
      this.overview = null;
    }
    this.say(errorText(e), true);
  }

  /** Loads everything the screen shows. */
  async load(): Promise<void> {
    try {
      const ov = await api.staff.overview(this.token);
      this.overview = ov;
      this.settings = { ...ov.settings };
      this.idleText = String(ov.settings.idle_timeout_secs ?? 90);
      this.cityURL = ov.settings.city_url || ov.identity?.city_url || '';
      this.quarantine = (await api.staff.quarantine(this.token)) ?? [];
      await this.findDrives();
      this.printer = await api.printing.status(this.token);
      this.scanner = await api.scanner.status(this.token);
      if (ov.running) this.poll();
    } catch (e) {
      this.fail(e);
    }
  }

  async findDrives(): Promise<void> {
    try {
      this.drives = (await api.staff.usbDrives(this.token)) ?? [];
    } catch (e) {
      this.fail(e);
    }
  }

  /** Runs an action, says its answer (or "done") and loads again. */
  async act(f: () => Promise<string | void>): Promise<void> {
    this.say('');
    try {
      const text = await f();
      this.say(text || t('staff_done'));
      await this.load();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Follows a running sync until it ends. */
  poll(): void {
    if (this.#polling) return;
    this.#polling = setInterval(async () => {
      try {
        this.progress = await api.staff.progress(this.token);
        if (!this.progress.running) {
          this.stop();
          await this.load();
          refreshState();
        }
      } catch (e) {
        this.stop();
        this.fail(e);
      }
    }, pollMs);
  }

  /** Stops following the sync (the screen closes). */
  stop(): void {
    if (this.#polling) clearInterval(this.#polling);
    this.#polling = null;
  }

  syncNow = () =>
    this.act(async () => {
      await api.staff.syncNow(this.token);
      this.progress = { running: true, progress: { phase: '', batch: 0, batches: 0, sent: 0, total: 0 }, last: this.overview!.last_sync };
      this.poll();
      return ' ';
    });
  requeue = (id: string) =>
    this.act(async () => {
      await api.staff.requeue(this.token, id);
      return t('staff_requeued');
    });
  exportUSB = (dir: string) =>
    this.act(async () => {
      const r = await api.staff.exportUSB(this.token, dir);
      return t('staff_usb_exported', { count: r.count, path: r.path ?? '' });
    });
  importUSB = (file: string) =>
    this.act(async () => {
      const r = await api.staff.importUSB(this.token, file);
      return t('staff_usb_imported', { acks: r.acks, statuses: r.statuses });
    });
  enrol = (code: string) =>
    this.act(async () => {
      const r = await api.staff.enrol(this.token, this.cityURL, code);
      refreshState();
      return t('staff_enrolled', { n: r.number });
    });
  provision = (file: string, code: string) =>
    this.act(async () => {
      const r = await api.staff.importProvisioning(this.token, file, code);
      refreshState();
      return t('staff_enrolled', { n: r.number });
    });
  save = () =>
    this.act(async () => {
      this.settings = await api.staff.saveSettings(this.token, { ...this.settings, idle_timeout_secs: Number(this.idleText) || 0 });
      refreshState();
      return t('staff_saved');
    });
  testPage = () =>
    this.act(async () => {
      try {
        await api.printing.testPage(this.token);
        return t('staff_printer_tested');
      } finally {
        this.printer = await api.printing.status(this.token);
      }
    });
  reprint = (code: string) =>
    this.act(async () => {
      this.reprinted = await api.staff.reprint(this.token, code);
      return ' ';
    });
}

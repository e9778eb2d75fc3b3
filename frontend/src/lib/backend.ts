// The one way to reach the Go side. In the Wails window the bound facades are
// at window.go.app.<Facade>.<Method>; in a browser (kioskd) the same methods
// are at POST /api/<Facade>/<Method> with a JSON array of arguments.

export interface Text {
  vi: string;
  en: string;
}

export interface Problem {
  field: string;
  code: string;
  severity: 'error' | 'warning';
  message: Text;
}

export interface BackendErrorBody {
  code: string;
  message?: Text;
  problems?: Problem[];
  [k: string]: unknown;
}

/** An error the backend returned, with its code and problems. */
export class BackendError extends Error {
  readonly code: string;
  readonly text: Text | undefined;
  readonly problems: Problem[];
  readonly body: BackendErrorBody;
  constructor(body: BackendErrorBody) {
    super(body.message?.en || body.code);
    this.code = body.code || 'internal';
    this.text = body.message;
    this.problems = body.problems ?? [];
    this.body = body;
  }
}

type Bound = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

function wailsApp(): Bound | undefined {
  const w = globalThis as unknown as { go?: { app?: Bound } };
  return w.go?.app;
}

function fromObject(o: unknown): BackendError | null {
  if (!o || typeof o !== 'object') return null;
  const body = 'error' in o && o.error && typeof o.error === 'object' ? o.error : o;
  if (typeof (body as BackendErrorBody).code === 'string') return new BackendError(body as BackendErrorBody);
  return null;
}

function toError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  // Wails' ErrorFormatter may hand over the error object itself.
  const direct = fromObject(e);
  if (direct) return direct;
  if (typeof e === 'string') {
    try {
      const parsed = JSON.parse(e);
      if (parsed && typeof parsed === 'object') {
        const body = 'error' in parsed && typeof parsed.error === 'object' ? parsed.error : parsed;
        if (body && typeof body.code === 'string') return new BackendError(body as BackendErrorBody);
      }
    } catch {
      /* not JSON */
    }
  }
  return new BackendError({ code: 'internal' });
}

/** Calls Facade.Method(args...) and resolves with its JSON result. */
export async function call<T = unknown>(facade: string, method: string, ...args: unknown[]): Promise<T> {
  const app = wailsApp();
  if (app) {
    const fn = app[facade]?.[method];
    if (typeof fn !== 'function') throw new BackendError({ code: 'internal' });
    try {
      return (await fn(...args)) as T;
    } catch (e) {
      throw toError(e);
    }
  }
  let res: Response;
  try {
    res = await fetch(`/api/${facade}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
      cache: 'no-store',
    });
  } catch {
    throw new BackendError({ code: 'offline' });
  }
  const body = await res.text();
  if (!res.ok) throw toError(body);
  return (body ? JSON.parse(body) : null) as T;
}

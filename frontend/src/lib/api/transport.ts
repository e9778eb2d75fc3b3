// The transport under the typed API (index.ts); nothing else calls it. In the
// Wails window the bound facades are at window.go.app.<Facade>.<Method>; in a
// browser (kioskd) the same methods are at POST /api/<Facade>/<Method> with a
// JSON array of arguments. Both reject with the one error shape, ErrorBody.
import type { ErrorBody, ErrorCode, ErrorDetail, Message, Problem } from './types';

/** An error from Go, or 'offline' when Go could not be reached. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  /** What to tell people (words from the catalogues). */
  readonly msg: Message | undefined;
  readonly problems: Problem[];
  readonly detail: ErrorDetail;
  constructor(body: Partial<ErrorBody> & { code: ErrorCode }) {
    super(body.message?.key || body.code);
    this.code = body.code || 'internal';
    this.msg = body.message;
    this.problems = body.problems ?? [];
    this.detail = body.detail ?? {};
  }
}

type Bound = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

function wailsApp(): Bound | undefined {
  const w = globalThis as unknown as { go?: { app?: Bound } };
  return w.go?.app;
}

/** The error body in o: the object itself (Wails) or its "error" member (HTTP). */
function fromObject(o: unknown): BackendError | null {
  if (!o || typeof o !== 'object') return null;
  const body = 'error' in o && o.error && typeof o.error === 'object' ? o.error : o;
  if (typeof (body as ErrorBody).code === 'string') return new BackendError(body as ErrorBody);
  return null;
}

function toError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  // Wails' ErrorFormatter may hand over the error object itself.
  const direct = fromObject(e);
  if (direct) return direct;
  if (typeof e === 'string') {
    try {
      const parsed = fromObject(JSON.parse(e));
      if (parsed) return parsed;
    } catch {
      /* not JSON */
    }
  }
  return new BackendError({ code: 'internal' });
}

/** Calls Facade.Method(args...) and resolves with its JSON result. */
export async function call(facade: string, method: string, args: unknown[]): Promise<unknown> {
  const app = wailsApp();
  if (app) {
    const fn = app[facade]?.[method];
    if (typeof fn !== 'function') throw new BackendError({ code: 'internal' });
    try {
      return await fn(...args);
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
  return body ? JSON.parse(body) : null;
}

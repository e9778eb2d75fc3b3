import { afterEach, describe, expect, test, vi } from 'vitest';
import { call, BackendError } from './transport';
import { api } from './index';

/** A call that should have failed. */
const unexpected = (): never => {
  throw new Error('the call resolved');
};

afterEach(() => {
  delete (globalThis as any).go;
  vi.unstubAllGlobals();
});

describe('Wails transport', () => {
  test('calls the bound method with the arguments', async () => {
    const state = vi.fn(async (a: number, b: string) => ({ a, b }));
    (globalThis as any).go = { app: { Kiosk: { State: state } } };
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    await expect(call('Kiosk', 'State', [1, 'x'])).resolves.toEqual({ a: 1, b: 'x' });
    expect(state).toHaveBeenCalledWith(1, 'x');
    expect(fetchSpy).not.toHaveBeenCalled();
  });
  test('a rejection with a JSON error becomes a BackendError', async () => {
    const err = { code: 'validation', message: { key: 'validation' }, problems: [{ field: 'requester.phone', code: 'format', severity: 'error', message: { vi: 'a', en: 'b' } }] };
    (globalThis as any).go = { app: { Requests: { Submit: async () => Promise.reject(JSON.stringify(err)) } } };
    const e = await call('Requests', 'Submit', [{}]).then(unexpected, (x: BackendError) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe('validation');
    expect(e.problems[0].field).toBe('requester.phone');
  });
  test('a rejection with the error object itself', async () => {
    (globalThis as any).go = { app: { Staff: { Unlock: async () => Promise.reject({ code: 'locked', message: { key: 'staff_locked', params: { until: '15:04' } }, detail: { locked_until: 'x' } }) } } };
    const e = await call('Staff', 'Unlock', ['1']).then(unexpected, (x: BackendError) => x);
    expect(e.code).toBe('locked');
    expect(e.detail.locked_until).toBe('x');
  });
  test('a non-JSON rejection is internal', async () => {
    (globalThis as any).go = { app: { Kiosk: { State: async () => Promise.reject('boom') } } };
    const e = await call('Kiosk', 'State', []).then(unexpected, (x: BackendError) => x);
    expect(e.code).toBe('internal');
  });
  test('a missing method is internal', async () => {
    (globalThis as any).go = { app: {} };
    const e = await call('Kiosk', 'Nope', []).then(unexpected, (x: BackendError) => x);
    expect(e.code).toBe('internal');
  });
});

describe('HTTP transport', () => {
  test('POSTs the JSON array of arguments', async () => {
    const f = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ found: true }), { status: 200 }));
    vi.stubGlobal('fetch', f);
    await expect(call('Lookup', 'Status', ['K7M-4HX-R9P'])).resolves.toEqual({ found: true });
    expect(f.mock.calls[0][0]).toBe('/api/Lookup/Status');
    expect(f.mock.calls[0][1].method).toBe('POST');
    expect(JSON.parse(f.mock.calls[0][1].body as string)).toEqual(['K7M-4HX-R9P']);
  });
  test('a non-2xx with {error} becomes a BackendError', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'unauthorized', message: { key: 'pin_wrong' }, detail: { attempts_left: 3 } } }), { status: 401 }));
    const e = await call('Staff', 'Unlock', ['000000']).then(unexpected, (x: BackendError) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe('unauthorized');
    expect(e.detail.attempts_left).toBe(3);
    expect(e.msg).toEqual({ key: 'pin_wrong' });
  });
  test('a network failure is offline', async () => {
    vi.stubGlobal('fetch', async () => { throw new TypeError('failed'); });
    const e = await call('Kiosk', 'State', []).then(unexpected, (x: BackendError) => x);
    expect(e.code).toBe('offline');
  });
  test('a non-JSON error body is internal', async () => {
    vi.stubGlobal('fetch', async () => new Response('bad gateway', { status: 502 }));
    const e = await call('Kiosk', 'State', []).then(unexpected, (x: BackendError) => x);
    expect(e.code).toBe('internal');
  });
});

describe('the typed api', () => {
  test('a method posts its arguments to its facade and method', async () => {
    const f = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ token: 'abc' }), { status: 200 }));
    vi.stubGlobal('fetch', f);
    await expect(api.staff.unlock('2468')).resolves.toEqual({ token: 'abc' });
    expect(f.mock.calls[0][0]).toBe('/api/Staff/Unlock');
    expect(JSON.parse(f.mock.calls[0][1].body as string)).toEqual(['2468']);
  });
  test('the staff token goes first', async () => {
    const requeue = vi.fn(async () => null);
    (globalThis as any).go = { app: { Staff: { Requeue: requeue } } };
    await api.staff.requeue('tok', 'req-1');
    expect(requeue).toHaveBeenCalledWith('tok', 'req-1');
  });
});

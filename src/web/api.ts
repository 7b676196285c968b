import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Problem } from '../contract/common';
import type { SessionResponse } from '../contract/auth';
import type { Person } from '../contract/people';
import type { Jurisdiction } from '../contract/jurisdictions';
import type { auditEntry, dashboardSchema, outboxMessage } from '../contract/admin';

export type { SessionResponse, Person, Jurisdiction, Problem };
export type SessionUser = NonNullable<SessionResponse['user']>;
export type AuditEntry = z.infer<typeof auditEntry>;
export type OutboxMessage = z.infer<typeof outboxMessage>;
export type Dashboard = z.infer<typeof dashboardSchema>;
export interface PageInfo {
  page: number;
  pageSize: number;
  total: number;
}
export interface Paged<T> {
  items: T[];
  page: PageInfo;
}

/** An error answer from the server (application/problem+json) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** Field messages keyed by field name, for showing next to form fields. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) {
      const key = e.field.replace(/^(body|query|params)\./, '');
      if (!(key in out)) out[key] = e.message;
    }
    return out;
  }

  /** True when the problem type names this code, e.g. `invalid_token`. */
  is(code: string): boolean {
    const type = (this.problem?.type ?? '').replace(/_/g, '-');
    const wanted = code.replace(/_/g, '-');
    return type === wanted || type.endsWith(`/${wanted}`) || type.endsWith(`#${wanted}`);
  }
}

let csrfToken: string | null = null;
let sessionLoaded = false;
let unauthorizedHandler: (() => void) | null = null;
let ended = false;

/** True after the server ended a session the app thought was active (until the next sign-in). */
export function sessionEnded(value?: boolean): boolean {
  if (value !== undefined) ended = value;
  return ended;
}

/** Called when the server says the session is gone (401) on an ordinary request. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

interface RequestOptions {
  /** Do not treat 401 as "session expired" (sign-in answers 401 for a wrong password). */
  allow401?: boolean;
  /** Answer the body as a Blob (a PDF) when the request succeeds. */
  blob?: boolean;
}

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    if (!sessionLoaded) await fetchSession();
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null, 'We could not reach the server. Check your connection and try again.');
  }
  if (response.ok && options.blob) return (await response.blob()) as T;
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown =
    response.status === 204 || !type.includes('json') ? null : await response.json().catch(() => null);
  if (response.ok) return payload as T;

  const problem = isProblem(payload) ? payload : null;
  const message = problem?.detail || problem?.title || `The server answered ${response.status}.`;
  const error = new ApiError(response.status, problem, message);
  if (response.status === 401 && !options.allow401) unauthorizedHandler?.();
  throw error;
}

/** Send a change; when the CSRF token has gone stale, fetch a fresh one and try once more. */
async function change<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
  try {
    return await send<T>(method, path, body, options);
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.status === 403 &&
      /csrf/i.test(`${error.problem?.type} ${error.problem?.detail}`)
    ) {
      await fetchSession();
      return send<T>(method, path, body, options);
    }
    throw error;
  }
}

export const api = {
  get: <T>(path: string) => send<T>('GET', path),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    change<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown) => change<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => change<T>('PUT', path, body),
  /** A change whose answer is a file (a PDF preview). */
  postForFile: (path: string, body: unknown) => change<Blob>('POST', path, body, { blob: true }),
  delete: <T>(path: string) => change<T>('DELETE', path),
};

/** Build `?a=1&b=2`, leaving out empty values. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ---- Session -------------------------------------------------------------

export const sessionKey = ['session'] as const;

export async function fetchSession(): Promise<SessionResponse> {
  const session = await send<SessionResponse>('GET', '/api/session');
  return rememberSession(session);
}

export function rememberSession(session: SessionResponse): SessionResponse {
  csrfToken = session.csrfToken;
  sessionLoaded = true;
  return session;
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity, retry: 1 });
}

// ---- Shared look-ups -----------------------------------------------------

/** Every county of a state (Texas has 254, more than one page), by default the organization's state (ORG_STATE). */
export function useCounties(stateCode?: string) {
  const session = useSession();
  const state = stateCode ?? session.data?.organization.state ?? 'KS';
  return useQuery({
    queryKey: ['jurisdictions', 'counties', state],
    queryFn: async () => {
      const items: Jurisdiction[] = [];
      for (let page = 1; ; page++) {
        const data = await api.get<Paged<Jurisdiction>>(
          `/api/jurisdictions${qs({ state, kind: 'county', pageSize: 200, page })}`,
        );
        items.push(...data.items);
        if (items.length >= data.page.total || data.items.length === 0) return items;
      }
    },
    staleTime: Infinity,
    enabled: !!session.data,
  });
}

export function useStates() {
  return useQuery({
    queryKey: ['jurisdictions', 'states'],
    queryFn: () => api.get<Paged<Jurisdiction>>(`/api/jurisdictions${qs({ kind: 'state', pageSize: 200 })}`),
    staleTime: Infinity,
    select: (data) => [...data.items].sort((a, b) => a.name.localeCompare(b.name)),
  });
}

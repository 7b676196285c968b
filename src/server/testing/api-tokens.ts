import type { Database } from '../db/database.js';
import type { TestApp } from './harness.js';

/** A training provider, optionally giving these courses. */
export async function buildProvider(db: Database, name: string, courseIds: string[] = []): Promise<string> {
  const { id } = await db.insertInto('provider').values({ name }).returning('id').executeTakeFirstOrThrow();
  if (courseIds.length)
    await db.updateTable('course').set({ provider_id: id }).where('id', 'in', courseIds).execute();
  return id;
}

/** Calls the API with an API token (`Authorization: Bearer …`), as an integration does. */
export function withToken(t: TestApp, secret: string) {
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${secret}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    let json: unknown = null;
    try {
      json = r.json();
    } catch {
      json = null;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    return { status: r.statusCode, json: json as any, headers: r.headers, body: r.body };
  };
}

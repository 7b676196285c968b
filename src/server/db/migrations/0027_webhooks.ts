import { sql, type Kysely } from 'kysely';

// Forward-only. Webhooks (issue 17, item 6; ADR 0021): administrators register endpoints for
// events; a change writes one delivery per subscribed endpoint in its own transaction (the outbox);
// pg-boss sends them, retrying with backoff; every attempt is kept for the delivery log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoint (
      id uuid primary key default gen_random_uuid(),
      url text not null check (url ~ '^https?://'),
      description text not null default '',
      events text[] not null check (cardinality(events) > 0),
      -- The signing secret, sealed with SECRETS_KEY (secrets.ts); shown once when made or rotated.
      secret text not null,
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      created_by uuid references user_account (id),
      updated_at timestamptz not null default now()
    );

    create table webhook_delivery (
      -- Sent as CivicCert-Delivery: the receiver's idempotency key, the same on every attempt.
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references webhook_endpoint (id) on delete cascade,
      event_id uuid not null,
      event_type text not null,
      -- The exact bytes signed and sent, so every attempt sends the same body.
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      -- Set when a pg-boss job was made for the pending delivery; null: the dispatcher makes one.
      queued_at timestamptz,
      last_attempt_at timestamptz,
      delivered_at timestamptz
    );
    create index webhook_delivery_to_queue on webhook_delivery (created_at) where queued_at is null and status = 'pending';
    create index webhook_delivery_endpoint_created on webhook_delivery (endpoint_id, created_at desc);
    create index webhook_delivery_created on webhook_delivery (created_at desc);

    create table webhook_attempt (
      id bigint generated always as identity primary key,
      delivery_id uuid not null references webhook_delivery (id) on delete cascade,
      attempted_at timestamptz not null,
      trigger text not null check (trigger in ('automatic', 'resend')),
      status_code integer,
      error text,
      duration_ms integer not null,
      ok boolean not null
    );
    create index webhook_attempt_delivery on webhook_attempt (delivery_id, id);
  `.execute(db);
}

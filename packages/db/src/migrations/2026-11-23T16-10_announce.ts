import { sql, type Kysely } from 'kysely';

/**
 * Preparing and announcing tours (F-TOUR-5, F-TOUR-6): the organisation's language for messages to
 * customers, opt-outs of notices on accounts and contacts, the equipment under preventive maintenance,
 * and the log of every message sent (what makes sending idempotent).
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table orgs add column locale text not null default 'fr' check (locale in ('fr', 'en'))`.execute(db);
  // an opted-out account (or contact) gets no presence notice; appointment confirmations are service messages
  await sql`alter table accounts add column notices_opt_out boolean not null default false`.execute(db);
  await sql`alter table contacts add column notices_opt_out boolean not null default false`.execute(db);

  await sql`
    create table equipment (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      account_id uuid not null,
      name text not null check (length(name) between 1 and 200),
      serial text not null default '',
      next_maintenance_on date,
      maintenance_minutes integer not null default 60 check (maintenance_minutes between 5 and 720),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id),
      foreign key (org_id, account_id) references accounts(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index equipment_org_due_idx on equipment (org_id, next_maintenance_on)`.execute(db);
  await sql`create index equipment_org_account_idx on equipment (org_id, account_id)`.execute(db);

  await sql`
    create table sent_messages (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      kind text not null check (kind in ('appointment', 'presence')),
      channel text not null check (channel in ('email', 'sms')),
      tour_id uuid,
      date date,
      account_id uuid,
      recipient text not null,
      subject text not null default '',
      message_id text,
      transport text not null,
      sent_by uuid,
      sent_at timestamptz not null default date_trunc('milliseconds', now()),
      foreign key (org_id, tour_id) references tours(org_id, id) on delete cascade,
      foreign key (org_id, account_id) references accounts(org_id, id) on delete cascade,
      foreign key (org_id, sent_by) references users(org_id, id) on delete set null (sent_by)
    )`.execute(db);
  await sql`create index sent_messages_tour_idx on sent_messages (org_id, tour_id, date, kind)`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table sent_messages, equipment`.execute(db);
  await sql`alter table contacts drop column notices_opt_out`.execute(db);
  await sql`alter table accounts drop column notices_opt_out`.execute(db);
  await sql`alter table orgs drop column locale`.execute(db);
};

// Shared set-up of the scope-* integration tests: a registry with tenants in every state,
// each provisioned-ish tenant's schema holding a marker row with its own slug (and the
// migration ledger every provisioned schema has), and a decoy marker in public that a
// leaked or missing search path would read.

import type { TestDatabase } from '@internal/test-harness'
import { quoteIdentifier, slugToSchemaName, type TenantStatus } from '@kysely-tenant/core'
import { type Generated, Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { registryMigrations } from '../src/registry/registry-migrations.js'
import type { TenantStatusSource } from '../src/scope/tenant-status-source.js'

/** The tables of a tenant schema in these tests, plus the shared `plans`. */
export interface ScopeTestDatabase {
  marker: { value: string }
  entries: { id: Generated<number>; slug: string }
  plans: { id: number; name: string }
}

export const PUBLIC_MARKER = 'PUBLIC'

/** Creates the registry, `public.marker`, `public.plans` and one schema per tenant. */
export async function setUpTenants(
  pool: pg.Pool,
  tenants: ReadonlyArray<{ slug: string; status: TenantStatus }>,
): Promise<void> {
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  for (const migration of Object.values(registryMigrations())) await migration.up(admin)
  await pool.query(`
    create table if not exists public.marker (value text not null);
    insert into public.marker values ('${PUBLIC_MARKER}');
    create table if not exists public.plans (id int primary key, name text not null);
    insert into public.plans values (1, 'basic') on conflict do nothing`)
  for (const { slug, status } of tenants) {
    const schema = slugToSchemaName(slug)
    await pool.query(
      'insert into public.tenants (slug, name, schema_name, status) values ($1, $1, $2, $3)',
      [slug, schema, status],
    )
    if (status === 'active') continue // not provisioned: no schema yet
    const q = quoteIdentifier(schema)
    await pool.query(`
      create schema ${q};
      create table ${q}.marker (value text not null);
      create table ${q}.entries (id serial primary key, slug text not null);
      create table ${q}.kysely_tenant_migration (name text primary key)`)
    await pool.query(`insert into ${q}.marker values ($1)`, [slug])
  }
}

/** A status source reading the registry table with plain node-postgres, counting lookups. */
export function tableStatusSource(pool: pg.Pool): TenantStatusSource & { lookups: number } {
  const source = {
    lookups: 0,
    async lookup(slug: string) {
      source.lookups++
      const { rows } = await pool.query<{ status: TenantStatus; schema_name: string }>(
        'select status, schema_name from public.tenants where slug = $1',
        [slug],
      )
      const row = rows[0]
      return row && { status: row.status, schemaName: row.schema_name }
    },
  }
  return source
}

/** Changes a tenant the way the service does: the update and the NOTIFY in one transaction. */
export async function setStatus(pool: pg.Pool, slug: string, status: TenantStatus): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('begin')
    await client.query('update public.tenants set status = $2 where slug = $1', [slug, status])
    await client.query("select pg_notify('kysely_tenant_change', $1)", [slug])
    await client.query('commit')
  } finally {
    client.release()
  }
}

/** The server's default search_path, as a fresh session sees it. */
export async function defaultSearchPath(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ reset_val: string }>(
    "select reset_val from pg_settings where name = 'search_path'",
  )
  return rows[0]?.reset_val ?? ''
}

const APP_NAME = 'kysely-tenant-scope-test'

/**
 * `database.pool(options)` tagged with an application name, so `appSessionsEnded` can wait
 * for its sessions to be gone: `pool.end()` resolves before its sockets have closed, and
 * the `drop database ... with (force)` of `afterAll` would then terminate those backends
 * under the closing clients, which node-postgres reports as unhandled errors.
 */
export function quietPool(database: TestDatabase, options: pg.PoolConfig = {}): pg.Pool {
  return database.pool({ application_name: APP_NAME, ...options })
}

/** Resolves once no session of a `quietPool` is left on the server (after `destroy()`). */
export async function appSessionsEnded(admin: pg.Pool): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await admin.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1',
      [APP_NAME],
    )
    if (rows[0]?.n === 0) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error('the sessions of a destroyed TenantKysely are still open after 5 s')
}

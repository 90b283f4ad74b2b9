// Shared set-up of the scope-* integration tests: a registry with tenants in every state,
// each provisioned-ish tenant's schema holding a marker row with its own slug, and a decoy
// marker in public that a leaked or missing search path would read.
import { quoteIdentifier, slugToSchemaName, type TenantStatus } from '@kysely-tenant/core'
import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { registryMigrations } from '../src/registry/registry-migrations.js'
import type { TenantStatusSource } from '../src/scope/tenant-status-source.js'

/** The tables of a tenant schema in these tests, plus the shared `plans`. */
export interface ScopeTestDatabase {
  marker: { value: string }
  entries: { id: number; slug: string }
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
      create table ${q}.entries (id serial primary key, slug text not null)`)
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

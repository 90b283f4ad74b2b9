import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { type Kysely, PostgresDialect, sql } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TenantKysely } from '../src/scope/tenant-kysely.js'
import {
  defaultSearchPath,
  PUBLIC_MARKER,
  type ScopeTestDatabase,
  setUpTenants,
  tableStatusSource,
} from './scope-fixture.js'

const schemaOf = (slug: string) => `tenant_${slug.replace('-', '_')}`

describe('raw sql through a scoped instance outside a transaction', () => {
  let database: TestDatabase
  let pool: pg.Pool
  let db: TenantKysely<ScopeTestDatabase>
  const statements: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    const admin = database.pool({ max: 2 })
    await setUpTenants(admin, [
      { slug: 'raw-a', status: 'provisioned' },
      { slug: 'raw-b', status: 'provisioned' },
      { slug: 'raw-off', status: 'suspended' },
      { slug: 'raw-gone', status: 'provisioned' },
    ])
    await admin.query('create table public.notes (body text)')
    pool = database.pool({ max: 1 }) // one connection: a leaked search path would show
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (text: unknown, ...rest: unknown[]) => unknown
      ;(client as unknown as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
        statements.push(typeof text === 'string' ? text : (text as { text: string }).text)
        return query(text, ...rest)
      }
    })
    db = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool }),
      statusSource: tableStatusSource(admin),
    })
  })
  afterAll(async () => {
    await db.destroy()
    await database.drop()
  })

  it('reads the tenant table, not public, and wraps the query in a scoped transaction', async () => {
    for (const slug of ['raw-a', 'raw-b', 'raw-a']) {
      statements.length = 0
      const { rows } = await sql<{ value: string }>`select value from marker`.execute(
        db.withTenant(slug),
      )
      expect(rows).toEqual([{ value: slug }])
      expect(statements).toEqual([
        `begin; set local search_path to "${schemaOf(slug)}", "public"; lock table "${schemaOf(slug)}"."kysely_tenant_migration" in access share mode`,
        'select value from marker',
        'commit',
      ])
    }
    // The one pooled connection went back with the server's default search path.
    const { rows } = await sql<{ search_path: string }>`show search_path`.execute(db)
    expect(rows[0]?.search_path).toBe(await defaultSearchPath(pool))
    expect((await sql<{ value: string }>`select value from marker`.execute(db)).rows).toEqual([
      { value: PUBLIC_MARKER },
    ])
  })

  it('rolls back a failing raw query and leaves the connection clean', async () => {
    const scoped = db.withTenant('raw-a')
    await expect(
      sql`insert into entries (slug) values ('x'); select * from no_such_table`.execute(scoped),
    ).rejects.toThrow(/no_such_table/)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from entries`.execute(
      scoped,
    )
    expect(rows).toEqual([{ n: 0 }])
    expect((await sql<{ value: string }>`select value from marker`.execute(db)).rows).toEqual([
      { value: PUBLIC_MARKER },
    ])
  })

  it('keeps builders outside a transaction to one round trip', async () => {
    statements.length = 0
    const rows = await db.withTenant('raw-b').selectFrom('marker').select('value').execute()
    expect(rows).toEqual([{ value: 'raw-b' }])
    expect(statements).toEqual(['select "value" from "tenant_raw_b"."marker"'])
  })

  it('refuses a suspended tenant before the raw query is sent', async () => {
    statements.length = 0
    await expect(sql`select value from marker`.execute(db.withTenant('raw-off'))).rejects.toThrow(
      expect.objectContaining({ code: 'TENANT_SUSPENDED' }),
    )
    expect(statements).toEqual([])
  })

  it('refuses a tenant whose schema vanished while it was cached as provisioned', async () => {
    // Cached as provisioned, then the schema is dropped behind this process's back (a purge
    // seen by another process only, or a manual drop): PostgreSQL would skip the missing
    // schema in the search path and run the tenant's SQL in public.
    await db.withTenant('raw-gone', (trx) => sql`select 1`.execute(trx))
    await database.pool({ max: 1 }).query('drop schema tenant_raw_gone cascade')
    const write = sql`insert into notes values ('tenant data')`
    await expect(db.withTenant('raw-gone', (trx) => write.execute(trx))).rejects.toThrow(
      expect.objectContaining({ code: 'TENANT_NOT_PROVISIONED' }),
    )
    await expect(write.execute(db.withTenant('raw-gone'))).rejects.toThrow(
      expect.objectContaining({ code: 'TENANT_NOT_PROVISIONED' }),
    )
    // Nothing reached public, and the one pooled connection is usable and unscoped.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from notes`.execute(db)
    expect(rows).toEqual([{ n: 0 }])
    const path = await sql<{ search_path: string }>`show search_path`.execute(db)
    expect(path.rows[0]?.search_path).toBe(await defaultSearchPath(pool))
  })

  it('reads a schema-qualified shared table from its schema, in or out of a transaction', async () => {
    const admin = database.pool({ max: 1 })
    await admin.query(`
      create schema shared;
      create table shared.plans (id int, name text); insert into shared.plans values (1, 'SHARED');
      insert into public.plans values (2, 'PUBLIC-DECOY')`)
    const withShared = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool: database.pool({ max: 2 }) }),
      statusSource: tableStatusSource(admin),
      tenancy: { sharedSchemas: ['shared', 'public'] },
      sharedTables: ['shared.plans'],
    })
    const plans = (scoped: Kysely<ScopeTestDatabase>) =>
      scoped.selectFrom('plans').select('name').execute()
    expect(await plans(withShared.withTenant('raw-a'))).toEqual([{ name: 'SHARED' }])
    expect(await withShared.withTenant('raw-a', plans)).toEqual([{ name: 'SHARED' }])
    await withShared.destroy()
  })

  it('checkTenant answers from the cache without a connection', async () => {
    await expect(db.checkTenant('raw-a')).resolves.toBeUndefined()
    await expect(db.checkTenant('raw-off')).rejects.toThrow(
      expect.objectContaining({ code: 'TENANT_SUSPENDED' }),
    )
    await expect(db.checkTenant('nobody')).rejects.toThrow(
      expect.objectContaining({ code: 'TENANT_NOT_FOUND' }),
    )
    await expect(db.checkTenant('Bad_Slug')).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_SLUG' }),
    )
  })
})

import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { type IsolationLevel, PostgresDialect, sql } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TenantKysely } from '../src/scope/tenant-kysely.js'
import {
  appSessionsEnded,
  PUBLIC_MARKER,
  quietPool,
  type ScopeTestDatabase,
  setUpTenants,
  tableStatusSource,
} from './scope-fixture.js'

describe('withTenant transactions on a real PostgreSQL', () => {
  let database: TestDatabase
  let admin: pg.Pool
  let db: TenantKysely<ScopeTestDatabase>
  // Every query the app pool's clients send: one entry per round trip.
  const sent: Array<{ sql: string; parameters: number }> = []

  beforeAll(async () => {
    database = await createTestDatabase()
    admin = database.pool({ max: 2 })
    await setUpTenants(admin, [
      { slug: 'acme', status: 'provisioned' },
      { slug: 'globex', status: 'provisioned' },
    ])
    const app = quietPool(database, { max: 3 })
    app.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown
      client.query = ((...args: unknown[]) => {
        const [text, values] = args
        if (typeof text === 'string') {
          sent.push({ sql: text, parameters: Array.isArray(values) ? values.length : 0 })
        }
        return query(...args)
      }) as typeof client.query
    })
    db = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool: app }),
      statusSource: tableStatusSource(admin),
      sharedTables: ['plans'],
    })
  })
  afterAll(async () => {
    await db.destroy()
    await appSessionsEnded(admin)
    await database.drop()
  })
  beforeEach(async () => {
    // Warm the status cache, so the counts below are the transaction's own.
    await db.withTenant('acme').selectFrom('marker').selectAll().execute()
    await db.withTenant('globex').selectFrom('marker').selectAll().execute()
    sent.length = 0
  })

  it('costs exactly 3 round trips for one query: begin + scope, the query, commit', async () => {
    const row = await db.withTenant('acme', (trx) =>
      trx.selectFrom('marker').select('value').executeTakeFirstOrThrow(),
    )
    expect(row).toEqual({ value: 'acme' })
    expect(sent).toEqual([
      // No parameters: node-postgres sends it with the simple protocol, both statements at once.
      {
        sql: `begin; set local search_path to "tenant_acme", "public"; lock table "tenant_acme"."kysely_tenant_migration" in access share mode`,
        parameters: 0,
      },
      { sql: 'select "value" from "tenant_acme"."marker"', parameters: 0 },
      { sql: 'commit', parameters: 0 },
    ])
  })

  it('puts raw sql CREATE TABLE, INSERT, SELECT and nextval in the tenant schema, never public', async () => {
    const result = await db.withTenant('acme', async (trx) => {
      await sql`create table things (id serial primary key, name text not null)`.execute(trx)
      await sql`insert into things (name) values ('widget')`.execute(trx)
      const next = await sql<{ n: string }>`select nextval('things_id_seq') as n`.execute(trx)
      const things = await sql<{ name: string }>`select name from things`.execute(trx)
      const marker = await sql<{ value: string }>`select value from marker`.execute(trx)
      return { next: next.rows[0]?.n, things: things.rows, marker: marker.rows }
    })
    expect(result).toEqual({ next: '2', things: [{ name: 'widget' }], marker: [{ value: 'acme' }] })
    const { rows } = await admin.query(`select to_regclass('tenant_acme.things')::text as tenant,
      to_regclass('tenant_acme.things_id_seq')::text as seq, to_regclass('public.things')::text as pub,
      to_regclass('public.things_id_seq')::text as pub_seq`)
    expect(rows).toEqual([
      { tenant: 'tenant_acme.things', seq: 'tenant_acme.things_id_seq', pub: null, pub_seq: null },
    ])
  })

  it.each<IsolationLevel>([
    'read uncommitted',
    'read committed',
    'repeatable read',
    'serializable',
  ])('keeps isolation level %s and the scope in one begin', async (level) => {
    const rows = await db
      .withTenant('globex')
      .transaction()
      .setIsolationLevel(level)
      .execute(async (trx) => {
        const { rows } = await sql<{
          level: string
          schemas: string[]
        }>`select current_setting('transaction_isolation') as level, current_schemas(false)::text[] as schemas`.execute(
          trx,
        )
        return rows
      })
    expect(rows).toEqual([{ level, schemas: ['tenant_globex', 'public'] }])
    expect(sent[0]).toEqual({
      sql: `start transaction isolation level ${level}; set local search_path to "tenant_globex", "public"; lock table "tenant_globex"."kysely_tenant_migration" in access share mode`,
      parameters: 0,
    })
  })

  it('keeps read only transactions read only, and scoped', async () => {
    const scoped = db.withTenant('acme').transaction().setAccessMode('read only')
    const marker = await scoped.execute((trx) =>
      sql<{ value: string }>`select value from marker`.execute(trx),
    )
    expect(marker.rows).toEqual([{ value: 'acme' }])
    await expect(
      scoped.execute((trx) => trx.insertInto('entries').values({ slug: 'nope' }).execute()),
    ).rejects.toThrow(/read-only transaction/)
    const serializable = await db
      .withTenant('acme')
      .transaction()
      .setIsolationLevel('serializable')
      .setAccessMode('read only')
      .execute((trx) =>
        sql<{ ro: string }>`select current_setting('transaction_read_only') as ro`.execute(trx),
      )
    expect(serializable.rows).toEqual([{ ro: 'on' }])
  })

  it('keeps startTransaction and savepoints working inside the scope', async () => {
    const trx = await db.withTenant('acme').startTransaction().execute()
    await sql`insert into entries (slug) values ('kept')`.execute(trx)
    const sp = await trx.savepoint('before_failure').execute()
    await sql`insert into entries (slug) values ('dropped')`.execute(sp)
    await expect(sql`select 1 / 0`.execute(sp)).rejects.toThrow(/division by zero/)
    await sp.rollbackToSavepoint('before_failure').execute()
    const after = await sql<{
      schemas: string[]
    }>`select current_schemas(false)::text[] as schemas`.execute(trx)
    expect(after.rows).toEqual([{ schemas: ['tenant_acme', 'public'] }])
    await trx.commit().execute()
    const { rows } = await admin.query(
      "select slug from tenant_acme.entries where slug in ('kept', 'dropped') order by slug",
    )
    expect(rows).toEqual([{ slug: 'kept' }])
  })

  it('scopes a transaction begun on a reserved connection, and reverts it at commit', async () => {
    const seen = await db
      .withTenant('globex')
      .connection()
      .execute(async (conn) => {
        const inside = await conn
          .transaction()
          .execute((trx) => sql<{ s: string }>`select current_schema() as s`.execute(trx))
        // A builder query (a raw one outside a transaction would be scoped on its own).
        const afterwards = await conn
          .selectNoFrom(sql<string>`current_schema()`.as('s'))
          .executeTakeFirst()
        return [inside.rows[0]?.s, afterwards?.s]
      })
    expect(seen).toEqual(['tenant_globex', 'public'])
  })

  it('leaves declared shared tables unqualified and qualifies the rest', async () => {
    const query = db
      .withTenant('acme')
      .selectFrom('entries')
      .innerJoin('plans', 'plans.id', 'entries.id')
      .select(['entries.slug', 'plans.name'])
    expect(query.compile().sql).toBe(
      'select "tenant_acme"."entries"."slug", "plans"."name" from "tenant_acme"."entries" inner join "plans" on "plans"."id" = "tenant_acme"."entries"."id"',
    )
    await expect(query.execute()).resolves.toEqual(expect.any(Array))
  })

  it('rolls the callback transaction back when the callback throws, and rethrows', async () => {
    const failure = new Error('boom')
    await expect(
      db.withTenant('acme', async (trx) => {
        await trx.insertInto('entries').values({ slug: 'rolled-back' }).execute()
        throw failure
      }),
    ).rejects.toBe(failure)
    const { rows } = await admin.query(
      "select count(*)::int as n from tenant_acme.entries where slug = 'rolled-back'",
    )
    expect(rows).toEqual([{ n: 0 }])
  })

  it('leaves the shared pool open when a scoped instance is destroyed', async () => {
    await db.withTenant('globex').destroy()
    await expect(
      db.withTenant('globex').selectFrom('marker').select('value').execute(),
    ).resolves.toEqual([{ value: 'globex' }])
    await expect(db.selectFrom('marker').select('value').execute()).resolves.toEqual([
      { value: PUBLIC_MARKER },
    ])
  })

  it('ends the shared pool on destroy() even when only scoped instances ran queries', async () => {
    const pool = quietPool(database, { max: 1 })
    const own = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool }),
      statusSource: tableStatusSource(admin),
    })
    await own.withTenant('acme').selectFrom('marker').selectAll().execute()
    await own.destroy()
    expect(pool.ending).toBe(true)
    await expect(
      own.withTenant('acme').selectFrom('marker').selectAll().execute(),
    ).rejects.toThrow()
  })
})

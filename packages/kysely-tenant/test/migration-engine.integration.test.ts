import { isTenantError, type TenantError } from '@kysely-tenant/core'
import { sql, type Transaction } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ApplyTenantMigrationsOptions,
  applyTenantMigrations,
} from '../src/migration/apply-tenant-migrations.js'
import { migrationDigest } from '../src/migration/migration-digest.js'
import { revertTenantMigrations } from '../src/migration/revert-tenant-migrations.js'
import type { TenantMigration } from '../src/migration/tenant-migration.js'
import {
  createMigrationTestDatabase,
  createTableMigration,
  ledgerOf,
  type MigrationTestDatabase,
  seedTenants,
  tablesOf,
} from './migration-test-setup.js'

describe('applyTenantMigrations on a real PostgreSQL', () => {
  let t: MigrationTestDatabase
  beforeAll(async () => {
    t = await createMigrationTestDatabase()
  })
  afterAll(() => t.close())

  const options = (schemaName: string, migrations: Record<string, TenantMigration>) =>
    ({ schemaName, migrations, controlSchema: 'public', sharedSchemas: ['public'] }) as const
  const apply = (o: ApplyTenantMigrationsOptions) =>
    t.db.transaction().execute((trx) => applyTenantMigrations(trx, o))
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('expected a TenantError'),
      (error: unknown) => {
        expect(isTenantError(error)).toBe(true)
        return error as TenantError
      },
    )
  const registryRow = (schemaName: string) =>
    t.db
      .selectFrom('tenants')
      .select(['migration_head', 'migration_digest'])
      .where('schema_name', '=', schemaName)
      .executeTakeFirstOrThrow()

  it('lands raw sql (table, type, function) in the tenant schema and never in public', async () => {
    const [schema] = (await seedTenants(t.db, ['raw-sql'])) as [string]
    const rawSql: TenantMigration = {
      async up(db) {
        await sql`create type mood as enum ('happy', 'sad')`.execute(db)
        await sql`create table notes (id int primary key, feeling mood not null)`.execute(db)
        await sql`create function note_count() returns bigint language sql as 'select count(*) from notes'`.execute(
          db,
        )
        await sql`insert into notes values (1, 'happy')`.execute(db)
      },
    }
    const result = await apply(
      options(schema, { '001_builders': createTableMigration('orders'), '002_raw': rawSql }),
    )
    expect(result).toEqual({ from: null, to: '002_raw', applied: ['001_builders', '002_raw'] })
    expect(await tablesOf(t.db, schema)).toEqual(['kysely_tenant_migration', 'notes', 'orders'])
    expect(await tablesOf(t.db, 'public')).toEqual(['tenants'])
    const { rows } = await sql<{ nspname: string; kind: string }>`
      select n.nspname, 'type' as kind from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typname = 'mood'
      union all
      select n.nspname, 'function' from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.proname = 'note_count'`.execute(
      t.db,
    )
    expect(rows).toEqual([
      { nspname: schema, kind: 'type' },
      { nspname: schema, kind: 'function' },
    ])
    expect(await ledgerOf(t.db, schema)).toEqual(['001_builders', '002_raw'])
    expect(await registryRow(schema)).toEqual({
      migration_head: '002_raw',
      migration_digest: migrationDigest(['001_builders', '002_raw']),
    })
  })

  it('sets search_path for the transaction only, so the pooled connection goes back clean', async () => {
    const [schema] = (await seedTenants(t.db, ['local-path'])) as [string]
    const seen = await t.db.connection().execute(async (conn) => {
      const inside = await conn.transaction().execute(async (trx) => {
        await applyTenantMigrations(trx, options(schema, {}))
        return (await sql<{ p: string }>`select current_setting('search_path') as p`.execute(trx))
          .rows[0]?.p
      })
      const after = (
        await sql<{ p: string }>`select current_setting('search_path') as p`.execute(conn)
      ).rows[0]?.p
      return { inside, after }
    })
    expect(seen).toEqual({ inside: `"${schema}", "public"`, after: '"$user", public' })
  })

  it('resumes: a second run applies only the new migration and records its position', async () => {
    const [schema] = (await seedTenants(t.db, ['resume'])) as [string]
    await apply(options(schema, { '001_a': createTableMigration('a') }))
    const result = await apply(
      options(schema, { '001_a': createTableMigration('a'), '002_b': createTableMigration('b') }),
    )
    expect(result).toEqual({ from: '001_a', to: '002_b', applied: ['002_b'] })
    const again = await apply(
      options(schema, { '001_a': createTableMigration('a'), '002_b': createTableMigration('b') }),
    )
    expect(again).toEqual({ from: '002_b', to: '002_b', applied: [] })
  })

  it('reports a failing migration by name with PostgreSQL code and detail, leaving the schema unchanged', async () => {
    const [schema] = (await seedTenants(t.db, ['fails'])) as [string]
    await apply(options(schema, { '001_a': createTableMigration('a') }))
    const broken: TenantMigration = {
      async up(db) {
        await sql`insert into a values (1), (1)`.execute(db)
      },
    }
    const error = await failure(
      apply(
        options(schema, {
          '001_a': createTableMigration('a'),
          '002_b': createTableMigration('b'),
          '003_broken': broken,
        }),
      ),
    )
    expect(error.code).toBe('MIGRATION_FAILED')
    expect(error.message).toContain('"003_broken"')
    expect(error.details).toMatchObject({
      migration: '003_broken',
      schemaName: schema,
      code: '23505',
    })
    expect((error.details as { detail: string }).detail).toContain('already exists')
    expect(await tablesOf(t.db, schema)).toEqual(['a', 'kysely_tenant_migration'])
    expect(await ledgerOf(t.db, schema)).toEqual(['001_a'])
    expect((await registryRow(schema)).migration_head).toBe('001_a')
  })

  it('refuses a pending migration that sorts before an applied one, unless allowed', async () => {
    const [schema] = (await seedTenants(t.db, ['order'])) as [string]
    await apply(options(schema, { '002_b': createTableMigration('b') }))
    const both = { '001_a': createTableMigration('a'), '002_b': createTableMigration('b') }
    expect((await failure(apply(options(schema, both)))).code).toBe('MIGRATION_ORDER')
    expect(await tablesOf(t.db, schema)).toEqual(['b', 'kysely_tenant_migration'])
    const result = await apply({ ...options(schema, both), allowUnorderedMigrations: true })
    expect(result).toEqual({ from: '002_b', to: '001_a', applied: ['001_a'] })
    expect(await ledgerOf(t.db, schema)).toEqual(['002_b', '001_a'])
    // The digest sorts names, so this tenant now counts as at latest like any other.
    expect((await registryRow(schema)).migration_digest).toBe(migrationDigest(['001_a', '002_b']))
  })

  it('refuses to run when an applied migration file is gone', async () => {
    const [schema] = (await seedTenants(t.db, ['missing'])) as [string]
    await apply(options(schema, { '001_a': createTableMigration('a') }))
    const error = await failure(apply(options(schema, { '002_b': createTableMigration('b') })))
    expect(error.code).toBe('MIGRATION_MISSING')
    expect(error.message).toContain('"001_a"')
    expect(await tablesOf(t.db, schema)).toEqual(['a', 'kysely_tenant_migration'])
  })

  it('createSchema refuses an existing schema and never drops it', async () => {
    await sql`create schema "tenant_taken"`.execute(t.db)
    await sql`create table "tenant_taken"."precious" (id int)`.execute(t.db)
    const error = await t.db
      .transaction()
      .execute((trx) =>
        applyTenantMigrations(trx, { ...options('tenant_taken', {}), createSchema: true }),
      )
      .catch((e: { code?: string }) => e)
    expect(error).toMatchObject({ code: '42P06' })
    expect(await tablesOf(t.db, 'tenant_taken')).toEqual(['precious'])
  })

  it('serializes two transactions on one schema: each migration runs once', async () => {
    const [schema] = (await seedTenants(t.db, ['race'])) as [string]
    let runs = 0
    const slow: TenantMigration = {
      async up(db) {
        runs++
        await sql`select pg_sleep(0.2)`.execute(db)
        await db.schema.createTable('slow').addColumn('id', 'integer').execute()
      },
    }
    const results = await Promise.all([
      apply(options(schema, { '001_slow': slow })),
      apply(options(schema, { '001_slow': slow })),
    ])
    expect(runs).toBe(1)
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 1])
  })

  it('reverts the last migration, or every one after a named migration', async () => {
    const [schema] = (await seedTenants(t.db, ['down'])) as [string]
    const all = {
      '001_a': createTableMigration('a'),
      '002_b': createTableMigration('b'),
      '003_c': createTableMigration('c'),
    }
    await apply(options(schema, all))
    const revert = (to?: string) =>
      t.db.transaction().execute((trx: Transaction<any>) =>
        revertTenantMigrations(trx, {
          ...options(schema, all),
          ...(to === undefined ? {} : { to }),
        }),
      )
    expect(await revert()).toEqual({ from: '003_c', to: '002_b', reverted: ['003_c'] })
    expect(await revert('001_a')).toEqual({ from: '002_b', to: '001_a', reverted: ['002_b'] })
    expect(await tablesOf(t.db, schema)).toEqual(['a', 'kysely_tenant_migration'])
    expect(await registryRow(schema)).toEqual({
      migration_head: '001_a',
      migration_digest: migrationDigest(['001_a']),
    })
    expect((await failure(revert('003_c'))).code).toBe('MIGRATION_MISSING')
  })
})

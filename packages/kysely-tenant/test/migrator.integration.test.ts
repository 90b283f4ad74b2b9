import { Kysely, PostgresDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrationDigest } from '../src/migration/migration-digest.js'
import type { TenantMigration } from '../src/migration/tenant-migration.js'
import { TenantMigrator } from '../src/migration/tenant-migrator.js'
import {
  createMigrationTestDatabase,
  createRegistry,
  createTableMigration,
  ledgerOf,
  type MigrationTestDatabase,
  seedTenants,
  slugs,
  tablesOf,
} from './migration-test-setup.js'

const provider = (migrations: Record<string, TenantMigration>) => ({
  getMigrations: async () => migrations,
})

describe('TenantMigrator on a real PostgreSQL', () => {
  let t: MigrationTestDatabase
  beforeAll(async () => {
    t = await createMigrationTestDatabase(10)
  })
  afterAll(() => t.close())

  // Each test keeps its registry in a control schema of its own (`ctl_<prefix>`).
  let control = 'public'
  const useRegistry = async (prefix: string) => {
    control = `ctl_${prefix}`
    await createRegistry(t.db, control)
  }
  const seed = (names: readonly string[], status?: Parameters<typeof seedTenants>[2]) =>
    seedTenants(t.db, names, status, control)
  const migrator = (migrations: Record<string, TenantMigration>, extra = {}) =>
    new TenantMigrator({
      db: t.db,
      provider: provider(migrations),
      poolSize: 10,
      tenancy: { controlSchema: control },
      ...extra,
    })
  const digests = (prefix: string) =>
    t.db
      .withSchema(control)
      .selectFrom('tenants')
      .select(['slug', 'status', 'migration_head', 'migration_digest'])
      .where('slug', 'like', `${prefix}-%`)
      .orderBy('slug')
      .execute()

  it('leaves alone a tenant deleted after the run read its targets', async () => {
    await useRegistry('gone')
    const [first, second] = await seed(['gone-a', 'gone-b'])
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let entered = () => {}
    const firstRunning = new Promise<void>((resolve) => {
      entered = resolve
    })
    const gated: TenantMigration = {
      async up(db) {
        const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db)
        if (rows[0]?.s === first) {
          entered()
          await gate // gone-b is deleted while gone-a migrates
        }
        await sql`create table gated (id int)`.execute(db)
      },
    }
    const run = migrator({ '001_gated': gated }, { concurrency: 1 }).migrateToLatest()
    await firstRunning
    await t.db
      .withSchema(control)
      .updateTable('tenants')
      .set({ status: 'deleted' })
      .where('slug', '=', 'gone-b')
      .execute()
    release()
    const { results } = await run
    expect(results.map((r) => [r.tenant, r.applied, r.error?.code])).toEqual([
      ['gone-a', ['001_gated'], undefined],
      ['gone-b', [], undefined],
    ])
    expect(await tablesOf(t.db, second as string)).not.toContain('gated')
    expect(await ledgerOf(t.db, second as string)).toEqual([])
  })

  it('migrates 200 tenants in parallel, skips active and deleted ones, and a re-run opens none', async () => {
    await useRegistry('many')
    await seed(slugs('many', 200))
    await seed(slugs('many-sus', 2), 'suspended')
    await seed(slugs('many-new', 3), 'active')
    await seed(slugs('many-del', 2), 'deleted')
    let inFlight = 0
    let maxInFlight = 0
    const slow: TenantMigration = {
      async up(db) {
        maxInFlight = Math.max(maxInFlight, ++inFlight)
        await sql`select pg_sleep(0.01)`.execute(db)
        await sql`create table audit (id bigint primary key, note text)`.execute(db)
        inFlight--
      },
    }
    const migrations = { '001_orders': createTableMigration('orders'), '002_audit': slow }
    const run = await migrator(migrations).migrateToLatest()
    expect(run.summary).toMatchObject({
      tenants: 202,
      upToDate: 0,
      migrated: 202,
      failed: 0,
      notRun: 0,
    })
    expect(maxInFlight).toBe(9) // poolSize 10 - 1
    const rows = await digests('many')
    const latest = migrationDigest(Object.keys(migrations))
    for (const row of rows) {
      const migrated = row.status === 'provisioned' || row.status === 'suspended'
      expect(row.migration_digest === latest).toBe(migrated)
    }
    // Every ledger is inside its tenant's schema; active tenants got no schema at all.
    const { rows: ledgers } = await sql<{ n: number }>`
      select count(*)::int as n from pg_tables
      where tablename = 'kysely_tenant_migration' and schemaname like 'tenant_many_%'`.execute(t.db)
    expect(ledgers[0]?.n).toBe(204) // 200 + 2 suspended + 2 deleted (schemas kept, not migrated)
    const { rows: active } = await sql<{ n: number }>`
      select count(*)::int as n from pg_namespace where nspname like 'tenant_many_new_%'`.execute(
      t.db,
    )
    expect(active[0]?.n).toBe(0)
    expect(await tablesOf(t.db, 'tenant_many_del_0')).toEqual(['kysely_tenant_migration'])
    const again = await migrator(migrations).migrateToLatest()
    expect(again.results).toEqual([])
    expect(again.summary).toMatchObject({ tenants: 202, upToDate: 202, migrated: 0 })
  })

  it('fails one tenant of 50 with its error, migrates the 49 others, and a fixed re-run completes it', async () => {
    await useRegistry('fifty')
    const schemas = await seed(slugs('fifty', 50))
    const v1 = { '001_items': createTableMigration('items') }
    await migrator(v1).migrateToLatest()
    await sql`insert into ${sql.id(schemas[17] as string, 'items')} values (1), (2)`.execute(t.db)
    const unique = (fixed: boolean): TenantMigration => ({
      async up(db) {
        if (fixed) await sql`delete from items`.execute(db)
        await sql`alter table items add column sku text not null default 'same'`.execute(db)
        await sql`create unique index items_sku_key on items (sku)`.execute(db)
      },
    })
    const broken = await migrator({ ...v1, '002_sku': unique(false) }).migrateToLatest()
    expect(broken.summary).toMatchObject({ tenants: 50, migrated: 49, failed: 1 })
    const failed = broken.results.filter((r) => r.error)
    expect(failed).toEqual([
      expect.objectContaining({
        tenant: 'fifty-17',
        from: '001_items',
        to: '001_items',
        applied: [],
      }),
    ])
    expect(failed[0]?.error).toMatchObject({
      code: 'MIGRATION_FAILED',
      migration: '002_sku',
      pgCode: '23505',
      detail: expect.stringContaining('is duplicated'),
    })
    expect(await ledgerOf(t.db, schemas[17] as string)).toEqual(['001_items'])
    const { rows } = await sql`select column_name from information_schema.columns
      where table_schema = ${schemas[17]} and table_name = 'items' and column_name = 'sku'`.execute(
      t.db,
    )
    expect(rows).toEqual([])
    const fixed = await migrator({ ...v1, '002_sku': unique(true) }).migrateToLatest()
    expect(fixed.summary).toMatchObject({ tenants: 50, upToDate: 49, migrated: 1, failed: 0 })
    expect(await ledgerOf(t.db, schemas[17] as string)).toEqual(['001_items', '002_sku'])
  })

  it('applies each migration exactly once per tenant when two runners race', async () => {
    await useRegistry('race')
    await seed(slugs('race', 30))
    const logged = (name: string): TenantMigration => ({
      async up(db) {
        await sql`create table if not exists run_log (name text)`.execute(db)
        await sql`insert into run_log values (${name})`.execute(db)
        await sql`select pg_sleep(0.005)`.execute(db)
      },
    })
    const migrations = { '001_a': logged('001_a'), '002_b': logged('002_b') }
    // A second runner on a pool of its own, as another deploy process would be.
    const otherDb = new Kysely<any>({
      dialect: new PostgresDialect({ pool: t.database.pool({ max: 6 }) }),
    })
    try {
      const second = new TenantMigrator({
        db: otherDb,
        provider: provider(migrations),
        concurrency: 5,
        tenancy: { controlSchema: control },
      })
      const [a, b] = await Promise.all([
        migrator(migrations).migrateToLatest(),
        second.migrateToLatest(),
      ])
      expect(a.summary.failed + b.summary.failed).toBe(0)
      const { rows } = await sql<{ n: number; d: number }>`
        select count(*)::int as n, count(distinct (schema_name, name))::int as d from (
          ${sql.join(
            slugs('race', 30).map(
              (s) =>
                sql`select ${s} as schema_name, name from ${sql.id(`tenant_${s.replace('-', '_')}`, 'run_log')}`,
            ),
            sql` union all `,
          )}
        ) x`.execute(t.db)
      expect(rows[0]).toEqual({ n: 60, d: 60 })
    } finally {
      await otherDb.destroy()
    }
  })

  it('refuses out-of-order and missing migrations per tenant, and plan() reports them', async () => {
    await useRegistry('safe')
    const [ordered, missing, fine] = await seed(['safe-order', 'safe-missing', 'safe-fine'])
    await migrator({ '002_b': createTableMigration('b') }).migrateToLatest({ tenant: 'safe-order' })
    await migrator({ '000_gone': createTableMigration('gone') }).migrateToLatest({
      tenant: 'safe-missing',
    })
    const now = { '001_a': createTableMigration('a'), '002_b': createTableMigration('b') }
    const plan = (await migrator(now).plan()).filter((s) => s.tenant.startsWith('safe-'))
    expect(plan.map((s) => [s.tenant, s.pending, s.error?.code])).toEqual([
      ['safe-fine', ['001_a', '002_b'], undefined],
      ['safe-missing', [], 'MIGRATION_MISSING'],
      ['safe-order', [], 'MIGRATION_ORDER'],
    ])
    const run = await migrator(now).migrateToLatest()
    const byTenant = Object.fromEntries(run.results.map((r) => [r.tenant, r.error?.code ?? 'ok']))
    expect(byTenant).toMatchObject({
      'safe-fine': 'ok',
      'safe-missing': 'MIGRATION_MISSING',
      'safe-order': 'MIGRATION_ORDER',
    })
    expect(await tablesOf(t.db, ordered as string)).toEqual(['b', 'kysely_tenant_migration'])
    expect(await tablesOf(t.db, missing as string)).toEqual(['gone', 'kysely_tenant_migration'])
    expect(await tablesOf(t.db, fine as string)).toEqual(['a', 'b', 'kysely_tenant_migration'])
  })

  it('targets one tenant, limits canary runs, stops on failFast, and refuses an active tenant', async () => {
    await useRegistry('canary')
    await seed(slugs('canary', 6))
    await seed(['canary-active'], 'active')
    const m = { '001_a': createTableMigration('a') }
    const one = await migrator(m).migrateToLatest({ tenant: 'canary-3' })
    expect(one.results.map((r) => r.tenant)).toEqual(['canary-3'])
    await expect(migrator(m).migrateToLatest({ tenant: 'canary-active' })).rejects.toMatchObject({
      code: 'TENANT_NOT_PROVISIONED',
    })
    expect(await tablesOf(t.db, 'tenant_canary_active')).toEqual([])
    const limited = await migrator(m).migrateToLatest({ limit: 2 })
    expect(limited.results).toHaveLength(2)
    const boom: TenantMigration = { up: () => Promise.reject(new Error('boom')) }
    const fast = await migrator({ ...m, '002_boom': boom }, { concurrency: 1 }).migrateToLatest({
      failFast: true,
    })
    expect(fast.summary.failed).toBe(1)
    expect(fast.summary.notRun).toBe(fast.summary.tenants - fast.summary.upToDate - 1)
  })

  it('migrates down one step for every tenant, or to a named migration for one', async () => {
    await useRegistry('down')
    await seed(slugs('down', 3))
    const m = {
      '001_a': createTableMigration('a'),
      '002_b': createTableMigration('b'),
      '003_c': createTableMigration('c'),
    }
    await migrator(m).migrateToLatest()
    const down = await migrator(m).migrateDown()
    const mine = down.results.filter((r) => r.tenant.startsWith('down-'))
    expect(mine.map((r) => [r.from, r.to, r.reverted])).toEqual(
      Array(3).fill(['003_c', '002_b', ['003_c']]),
    )
    await migrator(m).migrateDown({ tenant: 'down-1', to: '001_a' })
    expect(await tablesOf(t.db, 'tenant_down_1')).toEqual(['a', 'kysely_tenant_migration'])
    const plan = await migrator(m).plan({ tenant: 'down-1' })
    expect(plan[0]?.pending).toEqual(['002_b', '003_c'])
  })
})

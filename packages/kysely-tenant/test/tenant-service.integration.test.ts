import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { TenantError, type TenantStatus } from '@kysely-tenant/core'
import { type Kysely, Kysely as KyselyClass, PostgresDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lockTenantMigrations } from '../src/migration/migration-lock.js'
import type { TenantMigration } from '../src/migration/tenant-migration.js'
import { migrateTenantRegistry } from '../src/registry/migrate-tenant-registry.js'
import type { Tenant } from '../src/registry/tenant-record.js'
import type { TenantEventName } from '../src/service/tenant-events.js'
import { TenantService } from '../src/service/tenant-service.js'

const MIGRATIONS: Record<string, TenantMigration> = {
  '001_orders': {
    async up(db) {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('note', 'text')
        .execute()
    },
  },
  '002_order_index': {
    async up(db) {
      await db.schema.createIndex('orders_note_idx').on('orders').column('note').execute()
    },
  },
}

describe('TenantService on a real PostgreSQL', () => {
  let database: TestDatabase
  let db: Kysely<any>
  let tenants: TenantService
  const events: [TenantEventName, string][] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    db = new KyselyClass<any>({
      dialect: new PostgresDialect({ pool: database.pool({ max: 25 }) }),
    })
    await migrateTenantRegistry(db)
    tenants = new TenantService(db, { migrations: { getMigrations: async () => MIGRATIONS } })
    tenants.events.on('*', (tenant, event) => events.push([event, tenant.slug]))
  })
  afterAll(async () => {
    await db.destroy()
    await database.drop()
  })

  const schemaExists = async (name: string) =>
    (await sql`select 1 from pg_namespace where nspname = ${name}`.execute(db)).rows.length === 1
  const snapshot = async () => ({
    tenants: (await sql`select slug, status from tenants order by slug`.execute(db)).rows,
    schemas: (await sql`select nspname from pg_namespace order by nspname`.execute(db)).rows,
  })
  const code = async (promise: Promise<unknown>) => {
    try {
      await promise
    } catch (error) {
      expect(error).toBeInstanceOf(TenantError)
      return (error as TenantError).code
    }
    throw new Error('expected a TenantError')
  }

  it('creates an active tenant with its derived schema name and no schema yet', async () => {
    const tenant = await tenants.create({
      name: ' ACME Corp ',
      slug: 'acme-corp',
      settings: { plan: 'pro' },
    })
    expect(tenant).toMatchObject({
      slug: 'acme-corp',
      name: 'ACME Corp',
      schemaName: 'tenant_acme_corp',
      status: 'active',
      settings: { plan: 'pro' },
      provisionedAt: null,
    })
    expect(await schemaExists('tenant_acme_corp')).toBe(false)
    expect(await tenants.get('acme-corp')).toEqual(tenant)
    expect(events).toContainEqual(['created', 'acme-corp'])
  })

  it('provisions in one transaction: schema, every migration, ledger, status', async () => {
    const tenant = await tenants.provision('acme-corp')
    expect(tenant.status).toBe('provisioned')
    expect(tenant.provisionedAt).toBeInstanceOf(Date)
    expect(tenant.migrationHead).toBe('002_order_index')
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'tenant_acme_corp' order by table_name`.execute(db)
    expect(tables.rows.map((r) => r.table_name)).toContain('orders')
    expect(tables.rows.map((r) => r.table_name)).toContain('kysely_tenant_migration')
    const ledger = await sql<{ name: string }>`
      select name from tenant_acme_corp.kysely_tenant_migration order by name`.execute(db)
    expect(ledger.rows.map((r) => r.name)).toEqual(['001_orders', '002_order_index'])
  })

  it('treats provisioning a provisioned tenant as a no-op success', async () => {
    const before = await tenants.get('acme-corp')
    expect(await tenants.provision('acme-corp')).toEqual(before)
  })

  it('walks every legal transition and stamps the times', async () => {
    await tenants.create({ name: 'Walk', slug: 'walk' })
    await tenants.provision('walk')
    const suspended = await tenants.suspend('walk')
    expect(suspended).toMatchObject({ status: 'suspended', suspendedAt: expect.any(Date) })
    const activated = await tenants.activate('walk')
    expect(activated).toMatchObject({ status: 'provisioned', suspendedAt: null })
    await tenants.suspend('walk')
    const deleted = await tenants.delete('walk')
    expect(deleted).toMatchObject({ status: 'deleted', deletedAt: expect.any(Date) })
    expect(await schemaExists('tenant_walk')).toBe(true) // soft delete keeps the data
    await tenants.purge('walk', { confirm: 'walk' })
    expect(await schemaExists('tenant_walk')).toBe(false)
    expect(await code(tenants.get('walk'))).toBe('TENANT_NOT_FOUND')
    for (const event of ['provisioned', 'suspended', 'activated', 'deleted', 'purged'] as const) {
      expect(events).toContainEqual([event, 'walk'])
    }
    // active -> deleted and provisioned -> deleted
    await tenants.create({ name: 'A', slug: 'del-active' })
    expect((await tenants.delete('del-active')).status).toBe('deleted')
    await tenants.create({ name: 'P', slug: 'del-prov' })
    await tenants.provision('del-prov')
    expect((await tenants.delete('del-prov')).status).toBe('deleted')
  })

  const ILLEGAL: [TenantStatus, 'suspend' | 'activate' | 'delete' | 'purge'][] = [
    ['active', 'suspend'],
    ['active', 'activate'],
    ['active', 'purge'],
    ['provisioned', 'activate'],
    ['provisioned', 'purge'],
    ['suspended', 'suspend'],
    ['suspended', 'purge'],
    ['deleted', 'suspend'],
    ['deleted', 'activate'],
    ['deleted', 'delete'],
  ]
  it.each(ILLEGAL)('refuses to %2$s a %1$s tenant, naming both states', async (status, action) => {
    const slug = `illegal-${status}-${action}`
    await tenants.create({ name: 'X', slug })
    if (status !== 'active' && status !== 'deleted') await tenants.provision(slug)
    if (status === 'suspended') await tenants.suspend(slug)
    if (status === 'deleted') await tenants.delete(slug)
    const attempt =
      action === 'purge' ? tenants.purge(slug, { confirm: slug }) : tenants[action](slug)
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        code: 'INVALID_TRANSITION',
        message: expect.stringContaining(`cannot ${action} tenant "${slug}": it is ${status}`),
      }),
    )
    expect((await tenants.get(slug)).status).toBe(status)
  })

  it('refuses provisioning a suspended or deleted tenant', async () => {
    await tenants.create({ name: 'X', slug: 'prov-deleted' })
    await tenants.delete('prov-deleted')
    expect(await code(tenants.provision('prov-deleted'))).toBe('INVALID_TRANSITION')
    expect(await schemaExists('tenant_prov_deleted')).toBe(false)
  })

  it('asks for an explicit confirmation before purging', async () => {
    await tenants.create({ name: 'X', slug: 'keep-me' })
    await tenants.delete('keep-me')
    expect(await code(tenants.purge('keep-me', { confirm: 'keep-m' }))).toBe(
      'CONFIRMATION_REQUIRED',
    )
    expect(await code(tenants.purge('keep-me', undefined as never))).toBe('CONFIRMATION_REQUIRED')
    expect((await tenants.get('keep-me')).status).toBe('deleted')
  })

  it('leaves no trace when a migration fails halfway through provisioning', async () => {
    const failing = new TenantService(db, {
      migrations: {
        getMigrations: async () => ({
          ...MIGRATIONS,
          '003_broken': {
            async up(db) {
              await db.schema.createTable('invoices').addColumn('id', 'integer').execute()
              await sql`select * from no_such_table`.execute(db)
            },
          },
        }),
      },
    })
    await failing.create({ name: 'Half', slug: 'half' })
    const before = await snapshot()
    const error = await failing.provision('half').then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as TenantError,
    )
    expect(error).toBeInstanceOf(TenantError)
    expect(error.code).toBe('MIGRATION_FAILED')
    expect(error.message).toContain('003_broken')
    expect(error.details).toMatchObject({ code: '42P01' })
    expect(await snapshot()).toEqual(before)
    expect(await schemaExists('tenant_half')).toBe(false)
    expect((await failing.get('half')).status).toBe('active')
  })

  it('20 concurrent provision() calls leave exactly one schema and no error', async () => {
    await tenants.create({ name: 'Race', slug: 'race' })
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => tenants.provision('race')),
    )
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    expect(results.every((r) => r.status === 'fulfilled' && r.value.status === 'provisioned')).toBe(
      true,
    )
    const ledger = await sql`select name from tenant_race.kysely_tenant_migration`.execute(db)
    expect(ledger.rows).toHaveLength(2)
  })

  it('20 concurrent create() of one slug: one row, 19 SLUG_TAKEN', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => tenants.create({ name: `Twin ${i}`, slug: 'twin' })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const codes = results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as TenantError).code] : [],
    )
    expect(codes).toEqual(Array(19).fill('SLUG_TAKEN'))
    const rows = await sql`select 1 from tenants where slug = 'twin'`.execute(db)
    expect(rows.rows).toHaveLength(1)
  })

  it('keeps a deleted slug taken, and gives a tenant created after purge an empty schema', async () => {
    await tenants.create({ name: 'Old', slug: 'reborn' })
    await tenants.provision('reborn')
    await sql`insert into tenant_reborn.orders (note) values ('old secret')`.execute(db)
    await tenants.delete('reborn')
    expect(await code(tenants.create({ name: 'New', slug: 'reborn' }))).toBe('SLUG_TAKEN')
    await tenants.purge('reborn', { confirm: 'reborn' })
    expect(await schemaExists('tenant_reborn')).toBe(false)
    const reborn = await tenants.create({ name: 'New', slug: 'reborn' })
    expect(reborn.status).toBe('active')
    await tenants.provision('reborn')
    const orders = await sql`select * from tenant_reborn.orders`.execute(db)
    expect(orders.rows).toEqual([])
  })

  it('purging a tenant that was never provisioned drops no schema, not even one of its name', async () => {
    await sql`create schema tenant_billing`.execute(db)
    await sql`create table tenant_billing.invoices (id int)`.execute(db)
    await sql`insert into tenant_billing.invoices values (1)`.execute(db)
    await tenants.create({ name: 'Billing', slug: 'billing' })
    await tenants.delete('billing')
    await tenants.purge('billing', { confirm: 'billing' })
    expect(await code(tenants.get('billing'))).toBe('TENANT_NOT_FOUND')
    const kept = await sql`select id from tenant_billing.invoices`.execute(db)
    expect(kept.rows).toEqual([{ id: 1 }])
    // And provisioning never adopts it: a new tenant of that slug is refused its schema.
    await tenants.create({ name: 'Billing', slug: 'billing' })
    await expect(tenants.provision('billing')).rejects.toThrow(/already exists/)
    expect((await tenants.get('billing')).status).toBe('active')
  })

  it('refuses a slug whose schema would be a shared schema', async () => {
    const shared = new TenantService(db, { sharedSchemas: ['public', 'tenant_common'] })
    const error = await shared.create({ name: 'X', slug: 'common' }).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as TenantError,
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain('tenant_common')
    expect(await code(tenants.get('common'))).toBe('TENANT_NOT_FOUND')
  })

  it('provisions with the migrations that exist now, not those of its first call', async () => {
    const available: Record<string, TenantMigration> = {
      '001_orders': MIGRATIONS['001_orders'] as TenantMigration,
    }
    const growing = new TenantService(db, {
      migrations: { getMigrations: async () => ({ ...available }) },
    })
    await growing.create({ name: 'Early', slug: 'early' })
    expect((await growing.provision('early')).migrationHead).toBe('001_orders')
    available['002_order_index'] = MIGRATIONS['002_order_index'] as TenantMigration
    await growing.create({ name: 'Late', slug: 'late' })
    expect((await growing.provision('late')).migrationHead).toBe('002_order_index')
  })

  it('a purge waits for a running migration of the same schema', async () => {
    await tenants.create({ name: 'Busy', slug: 'busy' })
    await tenants.provision('busy')
    await tenants.delete('busy')
    const order: string[] = []
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    // A "migration" holding the tenant's migration lock.
    const migration = db.transaction().execute(async (trx) => {
      await lockTenantMigrations(trx, 'tenant_busy')
      order.push('migration locked')
      await held
      order.push('migration done')
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const purge = tenants.purge('busy', { confirm: 'busy' }).then(() => order.push('purged'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(order).toEqual(['migration locked'])
    release()
    await Promise.all([migration, purge])
    expect(order).toEqual(['migration locked', 'migration done', 'purged'])
  })

  it('lists with keyset pagination, status filter and search', async () => {
    for (const slug of ['list-a', 'list-b', 'list-c', 'list-d', 'list-e']) {
      await tenants.create({ name: `Listed ${slug.toUpperCase()}`, slug })
    }
    const seen: Tenant[] = []
    let cursor: string | undefined
    do {
      const page = await tenants.list({ search: 'list-', limit: 2, ...(cursor && { cursor }) })
      expect(page.tenants.length).toBeLessThanOrEqual(2)
      seen.push(...page.tenants)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen.map((t) => t.slug)).toEqual(['list-a', 'list-b', 'list-c', 'list-d', 'list-e'])
    expect((await tenants.list({ search: 'LISTED LIST-C' })).tenants.map((t) => t.slug)).toEqual([
      'list-c',
    ])
    expect((await tenants.list({ search: '%' })).tenants).toEqual([]) // wildcards are literal
    const provisioned = await tenants.list({ status: 'provisioned', limit: 500 })
    expect(provisioned.tenants.every((t) => t.status === 'provisioned')).toBe(true)
    expect(provisioned.tenants.map((t) => t.slug)).toContain('acme-corp')
  })

  it('updates name and settings', async () => {
    const updated = await tenants.update('acme-corp', { name: 'ACME', settings: { plan: 'free' } })
    expect(updated).toMatchObject({ name: 'ACME', settings: { plan: 'free' } })
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(updated.createdAt.getTime())
    expect(await code(tenants.update('nobody', { name: 'X' }))).toBe('TENANT_NOT_FOUND')
  })

  it.each([
    ['a"; drop schema public; --'],
    ['tenant_x, public'],
    ['tenant_x,public'],
    ['аcme'], // Cyrillic а
    ['ACME'],
    ['acme\u200bcorp'], // zero-width space
    [''],
    ['x'],
    ['a'.repeat(101)],
  ])('refuses the slug %j before any SQL, creating nothing', async (slug) => {
    const before = await snapshot()
    expect(await code(tenants.create({ name: 'Evil', slug }))).toBe('VALIDATION_FAILED')
    for (const call of [tenants.get(slug), tenants.provision(slug), tenants.suspend(slug)]) {
      expect(await code(call)).toBe('INVALID_SLUG')
    }
    expect(await snapshot()).toEqual(before)
  })

  it('lists every problem of a bad create at once', async () => {
    const error = await tenants.create({ name: '', slug: 'Bad_Slug', settings: 'x' } as never).then(
      () => {
        throw new Error('expected a failure')
      },
      (e: unknown) => e as TenantError,
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    expect((error.details as unknown as { field: string }[]).map((p) => p.field)).toEqual([
      'name',
      'slug',
      'settings',
    ])
  })
})

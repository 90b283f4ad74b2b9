// pnpm demo: kysely-tenant from start to finish on a throwaway PostgreSQL.
import { fileURLToPath } from 'node:url'
import { isTenantError } from '@kysely-tenant/core'
import { PostgresDialect } from 'kysely'
import {
  createTenancy,
  FolderMigrationProvider,
  migrateTenantRegistry,
  TenantMigrator,
} from 'kysely-tenant'
import pg from 'pg'
import { addOrderPriority } from './add-order-priority.js'
import type { Database } from './database.js'
import { openDemoDatabase } from './postgres-server.js'

const TENANTS = [
  { slug: 'acme-corp', name: 'ACME Corp', orders: 3 },
  { slug: 'globex', name: 'Globex', orders: 2 },
  { slug: 'initech', name: 'Initech', orders: 1 },
]
const started = performance.now()
const say = (line: string) => console.log(line)
const step = (title: string) => say(`\n== ${title}`)

const database = await openDemoDatabase()
// Clean up on every way out: normal end, error, Ctrl-C.
let cleaned = false
async function cleanUp() {
  if (cleaned) return
  cleaned = true
  await database.cleanUp()
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`\n${signal}: cleaning up`)
    void cleanUp().finally(() => process.exit(130))
  })
}

const pool = new pg.Pool({ connectionString: database.url, max: 10 })
const folder = new FolderMigrationProvider(
  fileURLToPath(new URL('../../../migrations/tenant', import.meta.url)),
)
const { db, tenants, destroy } = createTenancy<Database>({
  dialect: new PostgresDialect({ pool }),
  migrations: folder,
  listener: { connectionString: database.url },
})

try {
  say(`PostgreSQL: ${database.description}`)

  step('1. Registry: the tenants table (kysely-ctl can run this migration too)')
  await migrateTenantRegistry(db)
  say('   public.tenants is ready')

  step('2. Create and provision three tenants (one schema each, migrated in one transaction)')
  for (const t of TENANTS) {
    await tenants.create({ name: t.name, slug: t.slug })
    const tenant = await tenants.provision(t.slug)
    say(`   ${t.slug.padEnd(10)} -> schema ${tenant.schemaName}, at ${tenant.migrationHead}`)
  }

  step('3. Write orders through db.withTenant(slug, trx => ...)')
  for (const t of TENANTS) {
    await db.withTenant(t.slug, async (trx) => {
      const customer = await trx
        .insertInto('customers')
        .values({ email: `buyer@${t.slug}.example`, name: `${t.name} buyer` })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (let i = 0; i < t.orders; i++) {
        await trx.insertInto('orders').values({ customer_id: customer.id }).execute()
      }
    })
    say(`   ${t.slug.padEnd(10)} wrote ${t.orders} order(s)`)
  }

  step('4. Each tenant sees only its own orders (same query, same table name)')
  for (const t of TENANTS) {
    const rows = await db
      .withTenant(t.slug)
      .selectFrom('orders')
      .innerJoin('customers', 'customers.id', 'orders.customer_id')
      .select(['orders.id', 'customers.email'])
      .execute()
    const emails = [...new Set(rows.map((r) => r.email))].join(', ')
    const own = rows.length === t.orders && emails === `buyer@${t.slug}.example`
    say(`   ${t.slug.padEnd(10)} sees ${rows.length} order(s) of ${emails} ${own ? 'ok' : 'LEAK!'}`)
    if (!own) throw new Error(`tenant ${t.slug} saw rows that are not its own`)
  }

  step('5. A new tenant migration, applied to every tenant by the migrator')
  const migrator = new TenantMigrator({
    db,
    provider: {
      getMigrations: async () => ({
        ...(await folder.getMigrations()),
        '2026_12_04_001_order_priority': addOrderPriority,
      }),
    },
    poolSize: 10,
  })
  const run = await migrator.migrateToLatest({
    onProgress: ({ done, total, result }) =>
      say(
        `   [${done}/${total}] ${result.tenant}: ${result.applied.join(', ') || 'nothing to do'}`,
      ),
  })
  say(`   migrated ${run.summary.migrated}, failed ${run.summary.failed}`)
  const again = await migrator.migrateToLatest()
  say(
    `   run again: ${again.summary.upToDate} of ${again.summary.tenants} already at latest, 0 opened`,
  )

  step('6. Suspend globex: its data stays, access is refused at once')
  await tenants.suspend('globex')
  try {
    await db.withTenant('globex').selectFrom('orders').selectAll().execute()
    throw new Error('a suspended tenant was readable')
  } catch (error) {
    if (!isTenantError(error, 'TENANT_SUSPENDED')) throw error
    say(`   refused: ${error.code}: ${error.message}`)
  }
  await tenants.activate('globex')
  const back = await db.withTenant('globex').selectFrom('orders').select('id').execute()
  say(`   activated again: globex reads its ${back.length} order(s)`)

  step('Summary')
  const { tenants: all } = await tenants.list()
  for (const t of all)
    say(`   ${t.slug.padEnd(10)} ${t.status.padEnd(12)} ${t.schemaName} @ ${t.migrationHead}`)
  say(`   done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
} catch (error) {
  process.exitCode = 1
  console.error('\ndemo failed:', isTenantError(error) ? `${error.code}: ${error.message}` : error)
} finally {
  await destroy()
  await cleanUp()
}

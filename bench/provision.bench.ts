// pnpm bench:provision [--json]
//
// Median latency of TenantService.provision() over 50 tenants with the example migrations
// (migrations/tenant), beside the same DDL run as raw SQL: one transaction per schema, all
// in one session, as psql would run a script. Rounds alternate ours / raw so that machine
// noise hits both alike. Setup (creating tenant rows, capturing the DDL) is not timed.
import { fileURLToPath } from 'node:url'
import { Kysely, PostgresDialect } from 'kysely'
import {
  applyTenantMigrations,
  createTenancy,
  FolderMigrationProvider,
  migrateTenantRegistry,
} from 'kysely-tenant'
import pg from 'pg'
import { median, openBenchDatabase, round } from './bench-support.js'

const TENANTS = 50
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) console.log(line)
}

const database = await openBenchDatabase('provision', log)
const url = database.url
const provider = new FolderMigrationProvider(
  fileURLToPath(new URL('../migrations/tenant', import.meta.url)),
)
const pool = new pg.Pool({ connectionString: url, max: 2 })
const { db, tenants } = createTenancy({
  dialect: new PostgresDialect({ pool }),
  migrations: provider,
})
const raw = new pg.Client({ connectionString: url })
// Connections closed under a client at the end (drop database ... with (force)) emit
// 'error'; they are expected then and must not crash the run before it prints.
pool.on('error', () => {})
raw.on('error', () => {})

try {
  await migrateTenantRegistry(db)
  await raw.connect()
  const ddl = await captureDdl(url)
  log(
    `captured ${ddl.length} DDL statements from ${Object.keys(await provider.getMigrations()).length} migrations`,
  )
  for (let i = 0; i < TENANTS; i++) await tenants.create({ name: `Bench ${i}`, slug: `bench-${i}` })
  await tenants.create({ name: 'Warm-up', slug: 'warm-up' })
  await tenants.provision('warm-up') // loads the migration files once, outside the timing
  await runRaw(raw, ddl, 'tenant_raw_warm_up')

  const ours: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < TENANTS; i++) {
    let start = performance.now()
    await tenants.provision(`bench-${i}`)
    ours.push(performance.now() - start)
    start = performance.now()
    await runRaw(raw, ddl, `tenant_raw_${i}`)
    baseline.push(performance.now() - start)
  }
  const oursMs = median(ours)
  const baselineMs = median(baseline)
  const ratio = oursMs / baselineMs
  log(`PostgreSQL: ${database.kind}; ${TENANTS} tenants, rounds alternating`)
  log(`raw SQL (baseline), one transaction per schema: median ${baselineMs.toFixed(2)} ms`)
  log(`TenantService.provision():                      median ${oursMs.toFixed(2)} ms`)
  log(`ratio ours/raw: ${ratio.toFixed(2)}x (target <= 1.5x)`)
  console.log(
    JSON.stringify({
      name: 'provision',
      value: round(ratio),
      baseline_ms: round(baselineMs),
      ours_ms: round(oursMs),
      tenants: TENANTS,
    }),
  )
} finally {
  await raw.end().catch(() => {})
  await db.destroy()
  await database.close()
}

// Runs the example migrations once against a scratch schema with Kysely's query log on and
// keeps the statements they issued: exactly the DDL that provisioning runs per tenant.
async function captureDdl(url: string): Promise<string[]> {
  const statements: string[] = []
  const capture = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
    log: (event) => {
      if (event.level === 'query') statements.push(event.query.sql)
    },
  })
  const discard = new Error('discard the scratch schema')
  const migrations = await provider.getMigrations()
  await capture
    .transaction()
    .execute(async (trx) => {
      await applyTenantMigrations(trx, {
        schemaName: 'tenant_capture',
        migrations,
        controlSchema: 'public',
        sharedSchemas: ['public'],
        createSchema: true,
      })
      throw discard // roll back: only the statements were wanted
    })
    .catch((error: unknown) => {
      if (error !== discard) throw error
    })
  await capture.destroy()
  const ddl = statements.filter(
    (s) => /^\s*(create|alter)\s/i.test(s) && !/kysely_tenant_migration|create schema/i.test(s),
  )
  if (ddl.length === 0) throw new Error('captured no DDL from the example migrations')
  return ddl
}

async function runRaw(client: pg.Client, ddl: readonly string[], schema: string): Promise<void> {
  await client.query('begin')
  await client.query(`set local search_path to "${schema}", "public"`)
  await client.query(`create schema "${schema}"`)
  for (const statement of ddl) await client.query(statement.replaceAll('tenant_capture', schema))
  await client.query(
    `create table "${schema}".ledger (name text primary key, applied_at timestamptz not null default now())`,
  )
  await client.query(`insert into "${schema}".ledger (name) select unnest($1::text[])`, [
    ['001', '002', '003', '004'],
  ])
  await client.query('commit')
}

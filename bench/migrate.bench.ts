// pnpm bench:migrate [--json]
//
// The tenant migrator over 1,000 provisioned tenant schemas, each figure beside a baseline
// measured in the same run (setup is not timed):
// (a) a no-op `migrateToLatest` for all 1,000, beside Kysely's own Migrator run per schema on
//     a sample of schemas, extrapolated to 1,000 (target: < 1 s);
// (b) one new migration (ADD COLUMN + CREATE INDEX) to all 1,000, beside the same DDL plus a
//     ledger row as raw SQL, one transaction per schema, statement by statement in one
//     session as psql runs a script (target: at most 2x raw);
// (c) `migrate list` (the plan) over 10,000 tenants, beside the bare registry query it
//     starts with (target: < 2 s).
import { Kysely, type Migration, Migrator, PostgresDialect, sql } from 'kysely'
import {
  applyTenantMigrations,
  migrateTenantRegistry,
  migrationDigest,
  TenantMigrator,
} from 'kysely-tenant'
import pg from 'pg'
import { openBenchDatabase, round } from './bench-support.js'

const TENANTS = 1_000
const LIST_TENANTS = 10_000
const KYSELY_SAMPLE = 10
const POOL_SIZE = 10
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) console.log(line)
}

const database = await openBenchDatabase('migrate', log)
const url = database.url
const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE })
// The final DROP DATABASE ... WITH (FORCE) may terminate a connection the pool is still
// closing; that is the end of the run, not an error of it.
pool.on('error', () => {})
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })

const ordersTable: Migration = {
  async up(db) {
    await db.schema
      .createTable('orders')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('note', 'text')
      .execute()
    await db.schema.createIndex('orders_note_idx').on('orders').column('note').execute()
  },
}
const addPriority: Migration = {
  async up(db) {
    await db.schema.alterTable('orders').addColumn('priority', 'integer').execute()
    await db.schema.createIndex('orders_priority_idx').on('orders').column('priority').execute()
  },
}
const v1 = { '001_orders': ordersTable }
const v2 = { ...v1, '002_priority': addPriority }
const slugs = Array.from({ length: TENANTS }, (_, i) => `bench-${String(i).padStart(5, '0')}`)
const schemaOf = (slug: string) => `tenant_${slug.replaceAll('-', '_')}`

try {
  // --- setup (not timed): registry, 1,000 provisioned tenants at v1 ---
  await migrateTenantRegistry(db)
  await db
    .insertInto('tenants')
    .values(
      slugs.map((slug) => ({
        slug,
        name: slug,
        schema_name: schemaOf(slug),
        status: 'provisioned',
      })),
    )
    .execute()
  const lanes = Array.from({ length: POOL_SIZE - 1 }, (_, lane) => async () => {
    for (let i = lane; i < TENANTS; i += POOL_SIZE - 1) {
      await db.transaction().execute((trx) =>
        applyTenantMigrations(trx, {
          schemaName: schemaOf(slugs[i] as string),
          migrations: v1,
          controlSchema: 'public',
          sharedSchemas: ['public'],
          createSchema: true,
        }),
      )
    }
  })
  await Promise.all(lanes.map((lane) => lane()))
  log(`setup: ${TENANTS} tenant schemas at 001_orders`)
  const migrator = (migrations: Record<string, Migration>) =>
    new TenantMigrator({
      db,
      provider: { getMigrations: async () => migrations },
      poolSize: POOL_SIZE,
    })

  // --- (a) no-op migrate latest ---
  let started = performance.now()
  const noop = await migrator(v1).migrateToLatest()
  const noopMs = performance.now() - started
  if (noop.summary.upToDate !== TENANTS) throw new Error('(a): tenants were not at latest')
  // Kysely's Migrator, one per schema (its ledger in the schema), on sample schemas that
  // sit beside the 1,000 tenant schemas; migrated once untimed, then timed as a no-op.
  const kyselyMigrator = (schema: string) =>
    new Migrator({
      db: db.withSchema(schema),
      provider: { getMigrations: async () => v1 },
      migrationTableSchema: schema,
    })
  const sample = Array.from({ length: KYSELY_SAMPLE }, (_, i) => `kysely_sample_${i}`)
  for (const schema of sample) {
    await db.schema.createSchema(schema).execute()
    const { error } = await kyselyMigrator(schema).migrateToLatest()
    if (error) throw error
  }
  started = performance.now()
  for (const schema of sample) {
    const { error } = await kyselyMigrator(schema).migrateToLatest()
    if (error) throw error
  }
  const kyselyPerTenant = (performance.now() - started) / KYSELY_SAMPLE
  report(
    'a',
    `no-op migrate latest, ${TENANTS} tenants`,
    noopMs,
    kyselyPerTenant * TENANTS,
    `Kysely Migrator per schema (${KYSELY_SAMPLE} sampled, ${kyselyPerTenant.toFixed(1)} ms each, x${TENANTS})`,
    '< 1000 ms',
  )

  // --- (b) one new migration to all 1,000 ---
  started = performance.now()
  const added = await migrator(v2).migrateToLatest()
  const addMs = performance.now() - started
  if (added.summary.migrated !== TENANTS)
    throw new Error(`(b): ${added.summary.failed} tenants failed`)
  // Raw baseline: the same DDL (another column) and a ledger row, one transaction per
  // schema, statement by statement in ONE session.
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  for (const slug of slugs) {
    await client.query(`create table "${schemaOf(slug)}".raw_ledger (name text primary key)`)
  }
  started = performance.now()
  for (const slug of slugs) {
    const s = `"${schemaOf(slug)}"`
    await client.query('begin')
    await client.query(`alter table ${s}.orders add column raw_priority integer`)
    await client.query(`create index orders_raw_priority_idx on ${s}.orders (raw_priority)`)
    await client.query(`insert into ${s}.raw_ledger (name) values ('002_raw_priority')`)
    await client.query('commit')
  }
  const rawMs = performance.now() - started
  await client.end()
  report(
    'b',
    `one new migration (ADD COLUMN + CREATE INDEX), ${TENANTS} tenants`,
    addMs,
    rawMs,
    'raw SQL, one transaction per schema, one session',
    '<= 2x baseline',
  )

  // --- (c) list over 10,000 tenants (9,000 more rows, at latest: the registry answers) ---
  const latest = migrationDigest(Object.keys(v2))
  const extra = Array.from(
    { length: LIST_TENANTS - TENANTS },
    (_, i) => `list-${String(i).padStart(5, '0')}`,
  )
  for (let i = 0; i < extra.length; i += 1_000) {
    const rows = extra.slice(i, i + 1_000).map((slug) => ({
      slug,
      name: slug,
      schema_name: schemaOf(slug),
      status: 'provisioned',
      migration_head: '002_priority',
      migration_digest: latest,
    }))
    await db.insertInto('tenants').values(rows).execute()
  }
  started = performance.now()
  const plan = await migrator(v2).plan()
  const listMs = performance.now() - started
  if (plan.length !== LIST_TENANTS || plan.some((s) => s.pending.length > 0))
    throw new Error('(c): wrong plan')
  started = performance.now()
  await sql`select slug, schema_name, status, migration_head, migration_digest from tenants
    where status in ('provisioned', 'suspended') order by slug`.execute(db)
  const bareMs = performance.now() - started
  report(
    'c',
    `migrate list over ${LIST_TENANTS} tenants`,
    listMs,
    bareMs,
    'the bare registry query',
    '< 2000 ms',
  )
} finally {
  await db.destroy()
  await database.close()
}

function report(
  id: string,
  figure: string,
  ms: number,
  baselineMs: number,
  baseline: string,
  target: string,
) {
  const ratio = ms / baselineMs
  if (json) {
    console.log(
      JSON.stringify({
        bench: 'migrate',
        id,
        figure,
        ms: round(ms, 1),
        baseline,
        baselineMs: round(baselineMs, 1),
        ratio: Number(ratio.toPrecision(3)),
        target,
      }),
    )
  } else {
    console.log(
      `(${id}) ${figure}: ${round(ms, 1)} ms | ${baseline}: ${round(baselineMs, 1)} ms | ratio ${Number(ratio.toPrecision(3))} | target ${target}`,
    )
  }
}

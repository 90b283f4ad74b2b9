// pnpm bench:scope [--json] [--rounds N] [--seconds S] [--workers W]
//
// Transactions/s of `db.withTenant(t).transaction()` running one SELECT, over 100 tenants,
// beside two baselines measured in the same run, each on its own pool of the same size:
// (a) a plain Kysely transaction running the same SELECT on the schema-qualified table (no
//     tenancy at all: the cost floor), and
// (b) hand-written node-postgres `BEGIN; SELECT set_config('search_path', $1, true); SELECT;
//     COMMIT`, the usual way to scope raw SQL (one more round trip than ours).
// Ours includes the status check on every connection checkout (the registry is looked up
// through the same pool once per tenant per TTL, 5 s by default). Rounds run the variants in
// a rotating order so that machine noise hits all alike; the figures are medians over
// rounds, the ratios medians of per-round ratios. Target: ours >= 0.95x of (a).
import { slugToSchemaName, type TenantStatus } from '@kysely-tenant/core'
import { Kysely, PostgresDialect } from 'kysely'
import { registryMigrations, TenantKysely } from 'kysely-tenant'
import pg from 'pg'
import { median, openBenchDatabase, round } from './bench-support.js'

const json = process.argv.includes('--json')
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const ROUNDS = flag('rounds', 15)
const SECONDS = flag('seconds', 1) // short slices alternate faster than the machine's load drifts
const WORKERS = flag('workers', 20) // more than the pool, so the pool never idles
const POOL_SIZE = 10
const TENANTS = 100
const log = (line: string) => {
  if (!json) console.log(line)
}

interface Database {
  items: { id: number; v: string }
}

const database = await openBenchDatabase('scope', log)
const url = database.url
const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url, max: POOL_SIZE }))
// The final DROP DATABASE ... WITH (FORCE) may terminate a connection a pool is still
// closing; that is the end of the run, not an error of it.
for (const pool of pools) pool.on('error', () => {})
const [oursPool, plainPool, rawPool] = pools as [pg.Pool, pg.Pool, pg.Pool]

const slugs = Array.from({ length: TENANTS }, (_, i) => `bench-${i}`)
const schemas = slugs.map((slug) => slugToSchemaName(slug))
const setup = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: rawPool }) })
for (const migration of Object.values(registryMigrations())) await migration.up(setup)
for (const [i, slug] of slugs.entries()) {
  const schema = schemas[i] as string
  await rawPool.query(`create schema "${schema}";
    create table "${schema}".items (id int primary key, v text not null);
    create table "${schema}".kysely_tenant_migration (name text primary key);
    insert into "${schema}".items values (1, '${slug}')`)
  await rawPool.query(
    "insert into tenants (slug, name, schema_name, status) values ($1, $1, $2, 'provisioned')",
    [slug, schema],
  )
}

const ours = new TenantKysely<Database>({
  dialect: new PostgresDialect({ pool: oursPool }),
  statusSource: {
    async lookup(slug) {
      const { rows } = await oursPool.query<{ status: TenantStatus; schema_name: string }>(
        'select status, schema_name from tenants where slug = $1',
        [slug],
      )
      const row = rows[0]
      return row && { status: row.status, schemaName: row.schema_name }
    },
  },
})
const plain = new Kysely<any>({ dialect: new PostgresDialect({ pool: plainPool }) })

type Variant = (i: number) => Promise<unknown>
const variants: Record<'ours' | 'plain' | 'setConfig', Variant> = {
  ours: (i) =>
    ours
      .withTenant(slugs[i % TENANTS] as string)
      .transaction()
      .execute((trx) => trx.selectFrom('items').select('v').where('id', '=', 1).executeTakeFirst()),
  plain: (i) =>
    plain.transaction().execute((trx) =>
      trx
        .selectFrom(`${schemas[i % TENANTS]}.items`)
        .select('v')
        .where('id', '=', 1)
        .executeTakeFirst(),
    ),
  setConfig: async (i) => {
    const client = await rawPool.connect()
    try {
      await client.query('BEGIN')
      await client.query("SELECT set_config('search_path', $1, true)", [
        `"${schemas[i % TENANTS]}", "public"`,
      ])
      await client.query('SELECT v FROM items WHERE id = $1', [1])
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  },
}

/** Transactions per second of `variant` with WORKERS concurrent callers for `seconds`. */
async function measure(variant: Variant, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000
  let done = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i += WORKERS) {
        await variant(i)
        done++
      }
    }),
  )
  return done / ((performance.now() - start) / 1000)
}

try {
  const names = Object.keys(variants) as Array<keyof typeof variants>
  for (const key of names) await measure(variants[key], 0.5) // warm pools, caches and JIT
  const tps: Record<keyof typeof variants, number[]> = { ours: [], plain: [], setConfig: [] }
  const oursRatios: number[] = []
  const setConfigRatios: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, k) => names[(k + round) % names.length] as keyof typeof variants)
    const figures: Partial<Record<keyof typeof variants, number>> = {}
    for (const key of order) figures[key] = await measure(variants[key], SECONDS)
    for (const key of names) tps[key].push(figures[key] ?? 0)
    oursRatios.push((figures.ours ?? 0) / (figures.plain ?? 1))
    setConfigRatios.push((figures.setConfig ?? 0) / (figures.plain ?? 1))
    log(
      `round ${round + 1}/${ROUNDS} (${order.join(', ')}): ours ${fmt(figures.ours)}, (a) ${fmt(figures.plain)}, (b) ${fmt(figures.setConfig)} tx/s`,
    )
  }
  const ratio = median(oursRatios)
  const setConfigRatio = median(setConfigRatios)
  log(
    `PostgreSQL: ${database.kind}; pool ${POOL_SIZE} each, ${WORKERS} callers, ${TENANTS} tenants`,
  )
  log(`(a) plain Kysely transaction, qualified table:   median ${fmt(median(tps.plain))} tx/s`)
  log(
    `(b) node-postgres + set_config round trip:       median ${fmt(median(tps.setConfig))} tx/s (${setConfigRatio.toFixed(2)}x of a)`,
  )
  log(`ours: withTenant(t).transaction():               median ${fmt(median(tps.ours))} tx/s`)
  log(
    `ratio ours/a: ${ratio.toFixed(3)}x (target >= 0.95x); ours/b: ${(median(tps.ours) / median(tps.setConfig)).toFixed(2)}x`,
  )
  console.log(
    JSON.stringify({
      name: 'scope',
      value: round(ratio),
      ours_tps: Math.round(median(tps.ours)),
      plain_tps: Math.round(median(tps.plain)),
      set_config_tps: Math.round(median(tps.setConfig)),
      set_config_ratio: round(setConfigRatio),
      pool_size: POOL_SIZE,
      tenants: TENANTS,
      rounds: ROUNDS,
    }),
  )
} finally {
  await ours.destroy().catch(() => {})
  await plain.destroy().catch(() => {})
  await rawPool.end().catch(() => {})
  await database.close()
}

function fmt(value: number | undefined): string {
  return Math.round(value ?? 0).toLocaleString('en-US')
}

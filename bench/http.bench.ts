// pnpm bench:http [--json] [--rounds N] [--seconds S] [--connections C]
//
// Requests/s of a tenant-scoped GET /api/orders (tenant from the X-Tenant header through
// resolveTenant, then one query on the scoped db, whose connection checkout checks the
// tenant's status) beside the same route with no tenancy (the table qualified by hand, a
// plain Kysely on its own pool of the same size). A third figure is resolveTenant's default,
// which also checks the status before the route (db.checkTenant: the status cache, no query,
// no connection). The servers run
// in this process; the load comes from autocannon in a SECOND process, so the load generator
// does not steal the server's event loop. Rounds alternate the variants (in a rotating
// order) so that machine noise hits all alike; the ratio is the median of per-round ratios.
import { execFile } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { serve } from '@hono/node-server'
import {
  CONSOLE_LOGGER,
  fromHeader,
  resolveTenant,
  type TenantEnv,
  tenantErrorHandler,
} from '@kysely-tenant/http'
import { Hono } from 'hono'
import { Kysely, PostgresDialect } from 'kysely'
import { createTenancy, FolderMigrationProvider, migrateTenantRegistry } from 'kysely-tenant'
import pg from 'pg'
import { median, openBenchDatabase, round } from './bench-support.js'

const json = process.argv.includes('--json')
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const ROUNDS = flag('rounds', 9)
const SECONDS = flag('seconds', 2)
const CONNECTIONS = flag('connections', 20)
const POOL_SIZE = 10
const SLUG = 'bench-tenant'
const log = (line: string) => {
  if (!json) console.log(line)
}

interface Database {
  orders: { id: string; customer_id: string; status: string; created_at: Date }
}

const database = await openBenchDatabase('http', log)
const url = database.url
const tenantPool = new pg.Pool({ connectionString: url, max: POOL_SIZE })
const plainPool = new pg.Pool({ connectionString: url, max: POOL_SIZE })
// pg-pool's end() resolves before its sockets have closed, so the `drop database ... with
// (force)` at the end may terminate them in between: an error nobody needs to hear about.
for (const pool of [tenantPool, plainPool]) pool.on('error', () => {})
const tenancy = createTenancy<Database>({
  dialect: new PostgresDialect({ pool: tenantPool }),
  migrations: new FolderMigrationProvider(
    fileURLToPath(new URL('../migrations/tenant', import.meta.url)),
  ),
})
const plain = new Kysely<any>({ dialect: new PostgresDialect({ pool: plainPool }) })
const servers: ReturnType<typeof serve>[] = []

try {
  await migrateTenantRegistry(tenancy.db.withoutPlugins())
  const tenant = await tenancy.tenants.create({ name: 'Bench', slug: SLUG })
  await tenancy.tenants.provision(SLUG)
  await seedOrders(tenant.schemaName)

  // The same handler twice; only where its db comes from differs.
  const ours = scopedApp('first-query')
  const checked = scopedApp('before-route')
  const baseline = new Hono()
  const qualified = plain.withSchema(tenant.schemaName) as Kysely<Database>
  baseline.get('/api/orders', async (c) => c.json(await newestOrders(qualified)))
  const oursUrl = await listen(ours)
  const checkedUrl = await listen(checked)
  const baselineUrl = await listen(baseline)

  log(
    `PostgreSQL: ${database.kind}; pool ${POOL_SIZE} each; autocannon -c ${CONNECTIONS}, ${SECONDS} s a run`,
  )
  for (const target of [oursUrl, checkedUrl, baselineUrl]) await load(target, 2) // warm-up
  const oursRps: number[] = []
  const checkedRps: number[] = []
  const baselineRps: number[] = []
  const cpu = { ours: [] as number[], checked: [] as number[], baseline: [] as number[] }
  const runs = [
    { url: oursUrl, rps: oursRps, cpu: cpu.ours },
    { url: baselineUrl, rps: baselineRps, cpu: cpu.baseline },
    { url: checkedUrl, rps: checkedRps, cpu: cpu.checked },
  ]
  for (let round = 1; round <= ROUNDS; round++) {
    // Rotate the order each round, so no variant always runs first (or right after another).
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(round + i) % runs.length] as (typeof runs)[number]
      const result = await load(run.url, SECONDS)
      run.rps.push(result.rps)
      run.cpu.push(result.cpuMicros)
    }
    const [b, o, k] = [baselineRps, oursRps, checkedRps].map((r) => r.at(-1)?.toFixed(0))
    log(`round ${round}: no tenancy ${b}, tenant-scoped ${o}, with check before route ${k} req/s`)
  }
  // Other processes on the machine come and go; the runs of one round share its state, so the
  // ratio is the median of per-round ratios rather than a ratio of medians.
  const ratio = median(oursRps.map((o, i) => o / (baselineRps[i] as number)))
  const checkedRatio = median(checkedRps.map((k, i) => k / (baselineRps[i] as number)))
  const oursMedian = median(oursRps)
  const checkedMedian = median(checkedRps)
  const baselineMedian = median(baselineRps)
  // CPU time of this (server) process per request: what tenancy costs the server, much less
  // sensitive to other processes' load than requests/s.
  const [cpuBaseline, cpuOurs, cpuChecked] = [cpu.baseline, cpu.ours, cpu.checked].map(median)
  const cpuRatio = (cpuBaseline as number) / (cpuOurs as number)
  log(
    `no tenancy (baseline), qualified table, plain pool:    median ${baselineMedian.toFixed(0)} req/s`,
  )
  log(
    `tenant-scoped, X-Tenant, status checked at the query:  median ${oursMedian.toFixed(0)} req/s`,
  )
  log(
    `same, status also checked before the route (default):  median ${checkedMedian.toFixed(0)} req/s`,
  )
  log(
    `ratio ours/baseline: ${ratio.toFixed(2)}x (target >= 0.9x); with check before route: ${checkedRatio.toFixed(2)}x`,
  )
  log(
    `server CPU per request: no tenancy ${cpuBaseline?.toFixed(0)} us, tenant-scoped ${cpuOurs?.toFixed(0)} us, with check before route ${cpuChecked?.toFixed(0)} us (baseline/ours ${cpuRatio.toFixed(2)}x)`,
  )
  console.log(
    JSON.stringify({
      name: 'http',
      value: round(ratio),
      before_route_ratio: round(checkedRatio),
      ours_rps: Math.round(oursMedian),
      before_route_rps: Math.round(checkedMedian),
      baseline_rps: Math.round(baselineMedian),
      cpu_us_per_request: {
        baseline: Math.round(cpuBaseline as number),
        ours: Math.round(cpuOurs as number),
        before_route: Math.round(cpuChecked as number),
      },
      cpu_ratio: round(cpuRatio),
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
    }),
  )
} finally {
  for (const s of servers) s.close()
  await plain.destroy()
  await tenancy.destroy()
  await database.close()
}

// The same route with tenant resolution from X-Tenant; `check` says when the status is checked.
function scopedApp(check: 'before-route' | 'first-query') {
  const app = new Hono<TenantEnv<Database>>()
  app.onError(tenantErrorHandler(CONSOLE_LOGGER))
  app.use('/api/orders', resolveTenant({ db: tenancy.db, from: fromHeader(), check }))
  app.get('/api/orders', async (c) => c.json(await newestOrders(c.get('tenantDb'))))
  return app
}

function newestOrders(db: Kysely<Database>) {
  return db
    .selectFrom('orders')
    .select(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
    .orderBy('id', 'desc')
    .limit(20)
    .execute()
}

// 20 orders, so each response carries a realistic page rather than an empty list.
async function seedOrders(schema: string) {
  await tenancy.db.withTenant(SLUG, async (trx) => {
    const customer = await (trx as Kysely<any>)
      .insertInto('customers')
      .values({ email: 'bench@example.com', name: 'Bench' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const rows = Array.from({ length: 20 }, () => ({ customer_id: customer.id }))
    await trx
      .insertInto('orders')
      .values(rows as never)
      .execute()
  })
  log(`seeded 20 orders in ${schema}`)
}

function listen(app: Hono<any>): Promise<string> {
  return new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}/api/orders`)
    })
    servers.push(s)
  })
}

// One autocannon run in a child process; its JSON report gives the mean requests/s.
async function load(target: string, seconds: number): Promise<{ rps: number; cpuMicros: number }> {
  const bin = fileURLToPath(new URL('node_modules/.bin/autocannon', import.meta.url))
  const args = [
    '-c',
    String(CONNECTIONS),
    '-d',
    String(seconds),
    '-j',
    '-n',
    '-H',
    `X-Tenant=${SLUG}`,
    target,
  ]
  const before = process.cpuUsage()
  const { stdout } = await promisify(execFile)(bin, args, { maxBuffer: 16 * 1024 * 1024 })
  const used = process.cpuUsage(before)
  const report = JSON.parse(stdout) as {
    requests: { average: number; total: number }
    non2xx: number
    errors: number
  }
  if (report.non2xx > 0 || report.errors > 0) {
    throw new Error(`${target}: ${report.non2xx} non-2xx responses, ${report.errors} errors`)
  }
  // Includes the little this process spends spawning autocannon: the same for every variant.
  return {
    rps: report.requests.average,
    cpuMicros: (used.user + used.system) / Math.max(1, report.requests.total),
  }
}

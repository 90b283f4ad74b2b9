// The leak test of withTenant, shared by the direct-pool and PgBouncer variants.
import { slugToSchemaName } from '@kysely-tenant/core'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type pg from 'pg'
import { expect } from 'vitest'
import type { TenantKysely } from '../src/scope/tenant-kysely.js'
import type { ScopeTestDatabase } from './scope-fixture.js'

export interface LeakRunResult {
  /** Reads that saw another tenant's marker (or public's): must be 0. */
  readonly wrongReads: number
  /** Errors other than the planned ones: must be 0. */
  readonly unexpectedErrors: unknown[]
  /** Transactions that failed as planned (10%). */
  readonly plannedFailures: number
  /** Committed transactions per slug. */
  readonly committed: ReadonlyMap<string, number>
  /** Every server backend that ran a scoped transaction. */
  readonly backends: ReadonlySet<number>
}

class PlannedFailure extends Error {}

/**
 * Runs `total` scoped transactions over `slugs`, all issued at once. Each reads its marker
 * through raw sql (the search path) and through a builder (schema-qualified), then inserts a
 * row through raw sql. One in ten throws after its insert: half in JavaScript, half with a
 * SQL error that aborts the transaction on the server.
 */
export async function runLeakTest(
  db: TenantKysely<ScopeTestDatabase>,
  slugs: readonly string[],
  total: number,
): Promise<LeakRunResult> {
  let wrongReads = 0
  let plannedFailures = 0
  const unexpectedErrors: unknown[] = []
  const committed = new Map<string, number>()
  const backends = new Set<number>()

  const one = async (i: number) => {
    const slug = slugs[i % slugs.length] as string
    // Each tenant fails in one round of ten (exactly 10% overall when total is a multiple of
    // 10 * slugs.length), alternating between a JavaScript throw and a SQL error.
    const round = Math.floor(i / slugs.length)
    const fails = round % 10 === i % 10
    const sqlError = round % 20 < 10
    try {
      await db.withTenant(slug, async (trx) => {
        const raw = await sql<{
          value: string
          pid: number
        }>`select value, pg_backend_pid() as pid from marker`.execute(trx)
        // The builder's read is schema-qualified, so it cannot leak; one in four suffices.
        const built = i % 4 === 0 ? await trx.selectFrom('marker').select('value').execute() : []
        for (const row of [...raw.rows, ...built]) if (row.value !== slug) wrongReads++
        if (raw.rows.length !== 1 || built.length > 1) wrongReads++
        for (const row of raw.rows) backends.add(row.pid)
        await sql`insert into entries (slug) values (${slug})`.execute(trx)
        if (fails && !sqlError) throw new PlannedFailure()
        if (fails) await sql`select 1 / 0`.execute(trx)
      })
      committed.set(slug, (committed.get(slug) ?? 0) + 1)
    } catch (error) {
      if (fails && (error instanceof PlannedFailure || /division by zero/.test(String(error)))) {
        plannedFailures++
      } else {
        unexpectedErrors.push(error)
      }
    }
  }
  await Promise.all(Array.from({ length: total }, (_, i) => one(i)))
  return { wrongReads, unexpectedErrors, plannedFailures, committed, backends }
}

/** Row counts of each tenant's `entries`, and rows holding another tenant's slug. */
export async function countEntries(
  admin: Kysely<unknown>,
  slugs: readonly string[],
  schemaOf: (slug: string) => string,
): Promise<{ perSlug: Map<string, number>; foreign: number }> {
  const perSlug = new Map<string, number>()
  let foreign = 0
  for (const slug of slugs) {
    const { rows } = await sql<{ n: number; foreign: number }>`
      select count(*)::int as n, count(*) filter (where slug <> ${slug})::int as foreign
      from ${sql.id(schemaOf(slug), 'entries')}`.execute(admin)
    perSlug.set(slug, rows[0]?.n ?? -1)
    foreign += rows[0]?.foreign ?? 0
  }
  return { perSlug, foreign }
}

/**
 * Holds `count` connections of `pool` at once (so each is a different server session), and
 * returns each one's search path and backend pid.
 */
export async function searchPathsOfAll(
  pool: pg.Pool,
  count: number,
): Promise<Array<{ searchPath: string; pid: number }>> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()))
  try {
    // Every transaction stays open until all have read: behind PgBouncer each open
    // transaction pins its own server connection, so `count` of them see `count` sessions.
    const seen = await Promise.all(
      clients.map(async (client) => {
        await client.query('begin')
        const { rows } = await client.query<{ search_path: string; pid: number }>(
          "select current_setting('search_path') as search_path, pg_backend_pid() as pid",
        )
        return { searchPath: rows[0]?.search_path ?? '', pid: rows[0]?.pid ?? -1 }
      }),
    )
    await Promise.all(clients.map((client) => client.query('commit')))
    return seen
  } finally {
    for (const client of clients) client.release()
  }
}

/**
 * The assertions every leak run ends with: no unexpected error, no read of another tenant's
 * marker, exactly the planned failures, and in each tenant's schema exactly the rows its
 * committed transactions wrote (rolled-back ones gone, none from another tenant).
 */
export async function expectNoLeak(
  result: LeakRunResult,
  admin: pg.Pool,
  slugs: readonly string[],
  total: number,
): Promise<void> {
  expect(result.unexpectedErrors).toEqual([])
  expect(result.wrongReads).toBe(0)
  expect(result.plannedFailures).toBe(total / 10)
  const counts = await countEntries(
    new Kysely<unknown>({ dialect: new PostgresDialect({ pool: admin }) }),
    slugs,
    slugToSchemaName,
  )
  expect(counts.foreign).toBe(0)
  expect(counts.perSlug).toEqual(new Map(slugs.map((s) => [s, result.committed.get(s) ?? 0])))
}

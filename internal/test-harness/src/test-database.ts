import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { databaseUrl, withClient } from './pick-server.js'

/** A database of one test file's own, on the run's server. */
export interface TestDatabase {
  readonly name: string
  /** Connection string to this database. */
  readonly url: string
  /** A new `pg.Pool` on this database, closed by `drop()`. */
  pool(options?: pg.PoolConfig): pg.Pool
  /** Closes every pool made by `pool()` and drops the database. */
  drop(): Promise<void>
}

/**
 * Creates a fresh database for the calling test file, so files can run in parallel without
 * seeing each other's schemas. Call it in `beforeAll` and `drop()` it in `afterAll`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl')
  const name = `kt_test_${randomBytes(6).toString('hex')}`
  await withClient(adminUrl, (client) => client.query(`create database ${name}`))
  const url = databaseUrl(adminUrl, name)
  const pools: pg.Pool[] = []
  return {
    name,
    url,
    pool(options = {}) {
      const pool = new pg.Pool({ connectionString: url, ...options })
      // An idle client whose server connection dies (a test that terminates backends, the
      // database being dropped) emits 'error' on the pool; unhandled, it would crash the run.
      pool.on('error', () => {})
      pools.push(pool)
      return pool
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => {})))
      await withClient(adminUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      )
    },
  }
}

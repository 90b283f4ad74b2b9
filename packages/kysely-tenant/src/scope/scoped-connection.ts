import { TenantError } from '@kysely-tenant/core'
import { CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely'
import { isPostgresError } from '../registry/postgres-error.js'

// What the begin's `lock table` guard raises: 3F000 when the tenant's schema is gone,
// 42P01 when its ledger is.
const MISSING_SCHEMA_OR_LEDGER = new Set(['3F000', '42P01'])

/**
 * A pooled connection handed out by a tenant's scoped instance. It knows whether a scoped
 * transaction is open on it, and runs a raw `sql` query sent OUTSIDE one inside a
 * transaction of its own that sets the tenant's search path:
 * `begin; set local search_path to ...; lock table ...`, the query, `commit`
 * (or `rollback`).
 *
 * Why: builders are schema-qualified by the plugin, but the text of a raw query is not,
 * and without the search path `select * from orders` would read `public.orders`, or
 * whatever the session's search path finds. Three round trips instead of one, only for raw
 * queries outside a transaction; run raw SQL inside `withTenant(slug, trx => ...)` to avoid
 * them. Raw fragments inside a builder query (`sql\`my_fn(id)\``) are not detected: run
 * those inside a transaction.
 */
export class ScopedConnection implements DatabaseConnection {
  /** The pool's connection, for the shared driver (which releases it). */
  readonly inner: DatabaseConnection
  readonly #begin: string
  #inTransaction = false

  constructor(inner: DatabaseConnection, beginStatement: string) {
    this.inner = inner
    this.#begin = beginStatement
  }

  /**
   * Sends a scoped begin statement. When it fails (the tenant's schema is gone, a bad
   * setting) the transaction it opened is rolled back before the error is rethrown.
   */
  async begin(statement: string): Promise<void> {
    try {
      await this.inner.executeQuery(CompiledQuery.raw(statement))
    } catch (error) {
      await this.inner.executeQuery(CompiledQuery.raw('rollback')).catch(() => {})
      if (isPostgresError(error) && MISSING_SCHEMA_OR_LEDGER.has(error.code)) {
        // The begin's guard: the tenant's schema (or its ledger) is gone.
        throw new TenantError(
          'TENANT_NOT_PROVISIONED',
          `the schema of this tenant does not exist (purged, or dropped by hand): ${error.message}`,
          { cause: error },
        )
      }
      throw error
    }
  }

  /** Marks the scoped transaction opened (after `begin`) or ended (after commit/rollback). */
  setInTransaction(value: boolean): void {
    this.#inTransaction = value
  }

  // `...rest`: kysely 0.29 passes options (an abort signal) that 0.28 does not have.
  async executeQuery<R>(compiledQuery: CompiledQuery, ...rest: unknown[]): Promise<QueryResult<R>> {
    const execute = this.inner.executeQuery as (...args: unknown[]) => Promise<QueryResult<R>>
    if (this.#inTransaction || compiledQuery.query.kind !== 'RawNode') {
      return execute.call(this.inner, compiledQuery, ...rest)
    }
    await this.begin(this.#begin)
    try {
      const result = await execute.call(this.inner, compiledQuery, ...rest)
      await this.inner.executeQuery(CompiledQuery.raw('commit'))
      return result
    } catch (error) {
      await this.inner.executeQuery(CompiledQuery.raw('rollback')).catch(() => {})
      throw error
    }
  }

  streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize: number,
    ...rest: unknown[]
  ): AsyncIterableIterator<QueryResult<R>> {
    if (!this.#inTransaction && compiledQuery.query.kind === 'RawNode') {
      throw new Error(
        'stream a raw sql query for a tenant inside a transaction: db.withTenant(slug, (trx) => ...)',
      )
    }
    const stream = this.inner.streamQuery as (
      ...args: unknown[]
    ) => AsyncIterableIterator<QueryResult<R>>
    return stream.call(this.inner, compiledQuery, chunkSize, ...rest)
  }
}

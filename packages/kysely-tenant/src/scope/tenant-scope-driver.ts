import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from 'kysely'
import { scopedBeginStatement } from './scoped-begin.js'
import { ScopedConnection } from './scoped-connection.js'
import type { SharedDriver } from './shared-driver.js'

export interface TenantScopeDriverOptions {
  /** The tenant's schema: `tenant_acme_corp`. */
  readonly schema: string
  /** The quoted search path of the tenant: `"tenant_acme_corp", "public"`. */
  readonly searchPath: string
  /**
   * Throws unless the tenant may be accessed. Runs before every connection is handed out,
   * so no query (builder, raw `sql`, transaction) reaches a refused tenant's schema.
   * Returns `undefined` when it could decide without waiting (a fresh cached status).
   */
  readonly checkAccess: () => Promise<void> | undefined
  /** Called when the scoped instance is destroyed (it is then unusable; the pool is not). */
  readonly onDestroy?: () => void
}

/**
 * The driver of one tenant's scoped instance, on top of the shared driver (one pool).
 *
 * - `acquireConnection` checks the tenant's status first (from the status cache).
 * - `beginTransaction` sends `begin; set local search_path to "tenant_x", "public"; lock
 *   table ...` as ONE query (see `scopedBeginStatement`): one round trip.
 *   Kysely plugins cannot run SQL (`transformQuery` only rewrites the tree), which is why
 *   this lives in a driver. If it fails, the transaction is rolled back here: Kysely does
 *   not roll back a transaction whose begin threw, and the connection must not go back to
 *   the pool inside an aborted transaction.
 * - everything else, savepoints included, is the shared driver's.
 * - `destroy` does nothing: the pool belongs to the root `TenantKysely`, so destroying a
 *   scoped instance (or a `using` block around one) cannot end it.
 *
 * Session-level `SET search_path` is never used: on a pooled connection it would outlive
 * the transaction and put the next borrower in this tenant's schema.
 */
export class TenantScopeDriver implements Driver {
  readonly #shared: SharedDriver
  readonly #searchPath: string
  readonly #checkAccess: () => Promise<void> | undefined
  readonly #onDestroy: (() => void) | undefined
  readonly #plainBegin: string
  readonly #schema: string

  constructor(shared: SharedDriver, options: TenantScopeDriverOptions) {
    this.#shared = shared
    this.#schema = options.schema
    this.#searchPath = options.searchPath
    this.#plainBegin = scopedBeginStatement({}, options.searchPath, options.schema)
    this.#checkAccess = options.checkAccess
    this.#onDestroy = options.onDestroy
  }

  init(...rest: unknown[]): Promise<void> {
    return this.#shared.init(...rest)
  }

  async acquireConnection(...rest: unknown[]): Promise<DatabaseConnection> {
    const pending = this.#checkAccess()
    if (pending) await pending
    const connection = await this.#shared.acquireConnection(...rest)
    return new ScopedConnection(connection, this.#plainBegin)
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const scoped = connection as ScopedConnection
    const begin = scopedBeginStatement(settings, this.#searchPath, this.#schema)
    await scoped.begin(begin)
    scoped.setInTransaction(true)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const scoped = connection as ScopedConnection
    // Marked ended first: after a failed COMMIT the transaction is gone all the same.
    scoped.setInTransaction(false)
    await this.#shared.commitTransaction(scoped.inner)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const scoped = connection as ScopedConnection
    scoped.setInTransaction(false)
    await this.#shared.rollbackTransaction(scoped.inner)
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#shared.savepoint?.((connection as ScopedConnection).inner, name, compile)
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#shared.rollbackToSavepoint?.((connection as ScopedConnection).inner, name, compile)
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#shared.releaseSavepoint?.((connection as ScopedConnection).inner, name, compile)
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#shared.releaseConnection((connection as ScopedConnection).inner)
  }

  async destroy(): Promise<void> {
    // The pool is not ours to end (see the class comment); only tell the owner.
    this.#onDestroy?.()
  }
}

import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from 'kysely'

/**
 * The user's driver (one `pg.Pool`), shared by the root `TenantKysely` and every scoped
 * instance. Each `Kysely` instance initialises and destroys its own driver; this wrapper
 * makes the shared one initialise once (a pool factory would otherwise run once per
 * instance) and lets only the owner destroy it.
 */
export class SharedDriver implements Driver {
  readonly #driver: Driver
  #init: Promise<void> | undefined
  #destroy: Promise<void> | undefined

  constructor(driver: Driver) {
    this.#driver = driver
  }

  // `...rest` here and below: kysely 0.29 passes options (an abort signal) 0.28 does not have.
  init(...rest: unknown[]): Promise<void> {
    if (!this.#init) {
      this.#init = (this.#driver.init as (...args: unknown[]) => Promise<void>)
        .call(this.#driver, ...rest)
        .catch((error: unknown) => {
          this.#init = undefined // let the next call retry, as Kysely's own RuntimeDriver does
          throw error
        })
    }
    return this.#init
  }

  acquireConnection(...rest: unknown[]): Promise<DatabaseConnection> {
    const acquire = this.#driver.acquireConnection as (
      ...args: unknown[]
    ) => Promise<DatabaseConnection>
    return acquire.call(this.#driver, ...rest)
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#driver.beginTransaction(connection, settings)
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#driver.commitTransaction(connection)
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#driver.rollbackTransaction(connection)
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#savepoints('savepoint').call(this.#driver, connection, name, compile)
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#savepoints('rollbackToSavepoint').call(this.#driver, connection, name, compile)
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#savepoints('releaseSavepoint').call(this.#driver, connection, name, compile)
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#driver.releaseConnection(connection)
  }

  /**
   * Ends the pool, once. Only the root `TenantKysely` calls this, from its `destroy()`, and
   * directly: Kysely's own destroy skips a driver its instance never initialised, which is
   * the case when every query went through scoped instances.
   */
  destroy(): Promise<void> {
    this.#destroy ??= this.#driver.destroy()
    return this.#destroy
  }

  #savepoints(method: 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint') {
    const fn = this.#driver[method]
    if (!fn) throw new Error(`the \`${method}\` method is not supported by this driver`)
    return fn
  }
}

import { quoteIdentifier } from '@kysely-tenant/core'
import { TENANT_CHANGE_CHANNEL } from '../tenancy-options.js'

/** A notification as node-postgres reports it. */
export interface TenantChangeNotification {
  readonly channel: string
  readonly payload?: string | undefined
}

/** The part of a `pg.Client` the listener uses; a connected `pg.Client` fits as it is. */
export interface TenantChangeClient {
  query(sql: string): Promise<unknown>
  /**
   * `notification` gets a `TenantChangeNotification`, `error` an `Error`, `end` nothing.
   * One loose signature, because `pg.Client` declares `on` as one generic method that a set
   * of overloads would not match.
   */
  on(event: 'notification' | 'error' | 'end', listener: (...args: any[]) => void): unknown
  end(): Promise<void>
}

/**
 * Where the LISTEN connection comes from. LISTEN needs a DIRECT session of its own: not a
 * connection borrowed from the app's pool (it would be held forever), and not one through
 * PgBouncer in transaction mode (notifications only reach the session that listened, which
 * such a pooler hands to other clients between transactions).
 */
export interface TenantChangeListenerOptions {
  /** A direct connection string (`pg` is imported to use it). */
  readonly connectionString?: string
  /** Or: returns a new, connected client; called again after every disconnect. */
  readonly connect?: () => Promise<TenantChangeClient>
  /** The NOTIFY channel. Defaults to `kysely_tenant_change` (`TENANT_CHANGE_CHANNEL`). */
  readonly channel?: string
  /** Wait before reconnecting after a lost connection, in milliseconds. Defaults to 1,000. */
  readonly reconnectDelayMs?: number
  /** Told of every failed (re)connection; defaults to a `console.warn`. */
  readonly onError?: (error: unknown) => void
}

/** What the listener does with what it hears. */
export interface TenantChangeHandlers {
  /** A tenant changed (the NOTIFY payload is its slug). */
  readonly changed: (slug: string) => void
  /** Notifications may have been missed (first connect, reconnect, empty payload). */
  readonly resync: () => void
}

/**
 * Keeps one dedicated connection LISTENing on the tenant change channel and reports what
 * it hears, reconnecting after a loss. Whoever changes a tenant runs
 * `select pg_notify('kysely_tenant_change', 'acme-corp')` in the same transaction, so the
 * notification is delivered exactly when the change commits.
 */
export class TenantChangeListener {
  readonly #options: TenantChangeListenerOptions
  readonly #handlers: TenantChangeHandlers
  #client: TenantChangeClient | undefined
  #started: Promise<void> | undefined
  #stopped = false
  #timer: NodeJS.Timeout | undefined
  // Ends the reconnect delay early; `stop()` calls it so a pending `start()` settles.
  #wake: (() => void) | undefined

  constructor(options: TenantChangeListenerOptions, handlers: TenantChangeHandlers) {
    if (!options.connectionString && !options.connect) {
      throw new Error('the tenant change listener needs a `connectionString` or a `connect`')
    }
    this.#options = options
    this.#handlers = handlers
  }

  /** Starts listening; resolves once LISTEN is active (retrying until then) or on `stop()`. */
  start(): Promise<void> {
    this.#started ??= this.#connectUntilListening()
    return this.#started
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#wake?.()
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  async #connectUntilListening(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#listen()
        return
      } catch (error) {
        this.#reportError(error)
        await new Promise<void>((resolve) => {
          this.#wake = resolve
          this.#timer = setTimeout(resolve, this.#options.reconnectDelayMs ?? 1_000)
        })
        this.#wake = undefined
      }
    }
  }

  async #listen(): Promise<void> {
    const client = await this.#connect()
    const channel = this.#options.channel ?? TENANT_CHANGE_CHANNEL
    let lost = false
    const onLost = (error?: Error) => {
      if (lost || this.#stopped) return
      lost = true
      if (error) this.#reportError(error)
      if (this.#client !== client) return
      this.#client = undefined
      client.end().catch(() => {})
      this.#handlers.resync() // statuses may have changed unheard
      void this.#connectUntilListening()
    }
    client.on('error', (error: Error) => onLost(error))
    client.on('end', () => onLost())
    client.on('notification', (message: TenantChangeNotification) => {
      if (message.channel !== channel) return
      if (message.payload) this.#handlers.changed(message.payload)
      else this.#handlers.resync()
    })
    try {
      await client.query(`listen ${quoteIdentifier(channel)}`)
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
    // Only a listening client counts: a loss before this point is the LISTEN's own failure.
    if (this.#stopped) return void (await client.end().catch(() => {}))
    this.#client = client
    // Anything cached before LISTEN was active may have missed its notification.
    this.#handlers.resync()
  }

  async #connect(): Promise<TenantChangeClient> {
    if (this.#options.connect) return this.#options.connect()
    const { default: pg } = await import('pg')
    // keepAlive: a silently dropped idle socket would otherwise never report its loss.
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      keepAlive: true,
    })
    await client.connect()
    return client
  }

  #reportError(error: unknown): void {
    if (this.#options.onError) this.#options.onError(error)
    else console.warn('kysely-tenant: tenant change listener:', error)
  }
}

import type { Tenant } from '../registry/tenant-record.js'

/** What happened to a tenant. Each event carries the tenant as stored after the change. */
export type TenantEventName =
  | 'created'
  | 'updated'
  | 'provisioned'
  | 'suspended'
  | 'activated'
  | 'deleted'
  | 'purged'

/** A subscriber to tenant events; it runs after the change has committed. */
export type TenantListener = (tenant: Tenant, event: TenantEventName) => void

/**
 * A tiny typed event hub. Listeners run after the change has committed; a listener that
 * throws is reported to `onListenerError` and never turns a committed change into an error.
 */
export class TenantEvents {
  readonly #listeners = new Map<TenantEventName | '*', Set<TenantListener>>()
  readonly #onListenerError: (error: unknown) => void

  constructor(onListenerError: (error: unknown) => void = (error) => console.error(error)) {
    this.#onListenerError = onListenerError
  }

  /**
   * Subscribes to one event, or to all with `'*'`. Returns the function that unsubscribes.
   *
   * ### Examples
   *
   * ```ts
   * const off = tenants.events.on('suspended', (tenant) => console.info(`${tenant.slug} suspended`))
   * off()
   * ```
   */
  on(event: TenantEventName | '*', listener: TenantListener): () => void {
    const set = this.#listeners.get(event) ?? new Set<TenantListener>()
    this.#listeners.set(event, set)
    set.add(listener)
    return () => set.delete(listener)
  }

  /** Calls the listeners of `event` and of `'*'`. */
  emit(event: TenantEventName, tenant: Tenant): void {
    for (const key of [event, '*'] as const) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          listener(tenant, event)
        } catch (error) {
          this.#onListenerError(error)
        }
      }
    }
  }
}

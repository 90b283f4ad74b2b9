import type { TenantStatusEntry, TenantStatusSource } from './tenant-status-source.js'

/** How long a looked-up status is trusted unless configured otherwise: 5 seconds. */
export const DEFAULT_STATUS_CACHE_TTL_MS = 5_000
/** How many tenants' statuses are kept unless configured otherwise. */
export const DEFAULT_STATUS_CACHE_MAX_ENTRIES = 10_000

export interface TenantStatusCacheOptions {
  /**
   * How long a status is trusted, in milliseconds. Defaults to 5,000. Invalidation
   * (`invalidate`, LISTEN/NOTIFY) makes changes visible at once; the TTL only bounds how
   * stale a status can get when a notification is lost (listener down, no listener at all).
   * `0` looks the status up before every connection.
   */
  readonly ttlMs?: number
  /** The most tenants kept; the least recently looked-up go first. Defaults to 10,000. */
  readonly maxEntries?: number
  /** The clock, in milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number
}

interface CachedStatus {
  readonly entry: TenantStatusEntry | undefined
  readonly expiresAt: number
}

/**
 * An in-process cache of tenant statuses in front of a `TenantStatusSource`.
 *
 * Unknown tenants are cached too (as `undefined`), so a flood of requests for a missing
 * slug costs one lookup per TTL. Concurrent misses for one slug share one lookup.
 */
export class TenantStatusCache {
  readonly #source: TenantStatusSource
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #now: () => number
  readonly #entries = new Map<string, CachedStatus>()
  readonly #pending = new Map<string, Promise<TenantStatusEntry | undefined>>()
  // Bumped by every invalidation. A lookup that started before an invalidation may have read
  // the old row; storing its answer would undo the invalidation for a whole TTL.
  #epoch = 0

  constructor(source: TenantStatusSource, options: TenantStatusCacheOptions = {}) {
    this.#source = source
    this.#ttlMs = options.ttlMs ?? DEFAULT_STATUS_CACHE_TTL_MS
    this.#maxEntries = options.maxEntries ?? DEFAULT_STATUS_CACHE_MAX_ENTRIES
    this.#now = options.now ?? Date.now
  }

  /** The status of `slug`, from the cache when fresh, else from the source. */
  get(slug: string): Promise<TenantStatusEntry | undefined> {
    const cached = this.fresh(slug)
    if (cached) return Promise.resolve(cached.entry)
    return this.#pending.get(slug) ?? this.#load(slug)
  }

  /**
   * The cached status of `slug` when it is fresh, without waiting: `{ entry }` (`entry`
   * undefined for an unknown tenant), or `undefined` on a miss. The hot path of every
   * scoped connection checkout, so it allocates nothing.
   */
  fresh(slug: string): { readonly entry: TenantStatusEntry | undefined } | undefined {
    const cached = this.#entries.get(slug)
    return cached && cached.expiresAt > this.#now() ? cached : undefined
  }

  /** Forgets the status of `slug`: the next `get` asks the source. */
  invalidate(slug: string): void {
    this.#epoch++
    this.#entries.delete(slug)
    this.#pending.delete(slug)
  }

  /** Forgets every status (after a missed notification, for example). */
  clear(): void {
    this.#epoch++
    this.#entries.clear()
    this.#pending.clear()
  }

  #load(slug: string): Promise<TenantStatusEntry | undefined> {
    const epoch = this.#epoch
    const lookup = this.#source.lookup(slug).then(
      (entry) => {
        if (this.#pending.get(slug) === lookup) this.#pending.delete(slug)
        if (epoch === this.#epoch && this.#ttlMs > 0) this.#store(slug, entry)
        return entry
      },
      (error: unknown) => {
        if (this.#pending.get(slug) === lookup) this.#pending.delete(slug)
        throw error
      },
    )
    this.#pending.set(slug, lookup)
    return lookup
  }

  #store(slug: string, entry: TenantStatusEntry | undefined): void {
    this.#entries.delete(slug) // re-inserted last: Map order doubles as recency order
    this.#entries.set(slug, { entry, expiresAt: this.#now() + this.#ttlMs })
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
  }
}

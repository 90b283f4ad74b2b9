import { describe, expect, it } from 'vitest'
import { TenantStatusCache } from '../src/scope/tenant-status-cache.js'
import type { TenantStatusEntry } from '../src/scope/tenant-status-source.js'

const provisioned: TenantStatusEntry = { status: 'provisioned', schemaName: 'tenant_acme' }
const suspended: TenantStatusEntry = { status: 'suspended', schemaName: 'tenant_acme' }

function deferredSource() {
  const calls: Array<{ slug: string; resolve: (entry: TenantStatusEntry | undefined) => void }> = []
  return {
    calls,
    lookup: (slug: string) =>
      new Promise<TenantStatusEntry | undefined>((resolve) => calls.push({ slug, resolve })),
  }
}

describe('TenantStatusCache', () => {
  it('serves a status until its TTL passes, then looks it up again', async () => {
    let now = 0
    let lookups = 0
    const cache = new TenantStatusCache(
      {
        lookup: async () => {
          lookups++
          return provisioned
        },
      },
      { ttlMs: 100, now: () => now },
    )
    await cache.get('acme')
    now = 99
    await cache.get('acme')
    expect(lookups).toBe(1)
    now = 100
    await cache.get('acme')
    expect(lookups).toBe(2)
  })

  it('does not store a lookup that was in flight when the tenant was invalidated', async () => {
    const source = deferredSource()
    const cache = new TenantStatusCache(source)
    const stale = cache.get('acme')
    cache.invalidate('acme') // the suspension committed while the old row was being read
    source.calls[0]?.resolve(provisioned)
    await stale
    const fresh = cache.get('acme')
    expect(source.calls).toHaveLength(2)
    source.calls[1]?.resolve(suspended)
    await expect(fresh).resolves.toEqual(suspended)
  })

  it('caches unknown tenants but not failed lookups', async () => {
    let lookups = 0
    const cache = new TenantStatusCache({
      lookup: async (slug) => {
        lookups++
        if (slug === 'broken') throw new Error('registry down')
        return undefined
      },
    })
    await cache.get('nobody')
    await cache.get('nobody')
    await expect(cache.get('broken')).rejects.toThrow('registry down')
    await expect(cache.get('broken')).rejects.toThrow('registry down')
    expect(lookups).toBe(3)
  })

  it('keeps at most maxEntries statuses, dropping the oldest', async () => {
    const looked: string[] = []
    const cache = new TenantStatusCache(
      {
        lookup: async (slug) => {
          looked.push(slug)
          return provisioned
        },
      },
      { maxEntries: 2 },
    )
    for (const slug of ['a1', 'b1', 'c1', 'c1', 'b1', 'a1']) await cache.get(slug)
    expect(looked).toEqual(['a1', 'b1', 'c1', 'a1'])
  })

  it('forgets everything on clear()', async () => {
    let lookups = 0
    const cache = new TenantStatusCache({
      lookup: async () => {
        lookups++
        return provisioned
      },
    })
    await cache.get('acme')
    cache.clear()
    await cache.get('acme')
    expect(lookups).toBe(2)
  })
})

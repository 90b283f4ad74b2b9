import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_IDENTIFIER_BYTES, slugToSchemaName } from '../src/index.js'

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/
const bytes = (text: string) => new TextEncoder().encode(text).length

describe('slugToSchemaName', () => {
  it('follows the seed: acme-corp -> tenant_acme_corp', () => {
    expect(slugToSchemaName('acme-corp')).toBe('tenant_acme_corp')
  })

  it.each([
    ['ab', {}, 'tenant_ab'],
    ['a-b-c', {}, 'tenant_a_b_c'],
    ['acme-corp', { prefix: 'org_' }, 'org_acme_corp'],
    ['x'.repeat(56), {}, `tenant_${'x'.repeat(56)}`], // exactly 63 bytes: kept as is
  ])('maps %j with %j to %j', (slug, options, name) => {
    expect(slugToSchemaName(slug, options)).toBe(name)
  })

  it('shortens a 57-character slug to 63 bytes with a hash suffix', () => {
    const name = slugToSchemaName('x'.repeat(57))
    expect(bytes(name)).toBe(MAX_IDENTIFIER_BYTES)
    expect(name).toMatch(/^tenant_x+__[0-9a-z]{13}$/)
  })

  it('gives distinct names to long slugs that share everything but the last character', () => {
    const a = slugToSchemaName(`${'a'.repeat(99)}b`)
    const b = slugToSchemaName(`${'a'.repeat(99)}c`)
    expect(a).not.toBe(b)
  })

  it('never lets a short name mimic a shortened one', () => {
    // A 56-character slug shaped like "<part>-<hash>" gives a single underscore, never "__".
    const long = slugToSchemaName('q'.repeat(70))
    const mimic = `${long.slice('tenant_'.length).replace('__', '-')}`.slice(0, 56)
    expect(slugToSchemaName(mimic)).not.toBe(long)
    expect(slugToSchemaName(mimic).slice(7)).not.toContain('__')
  })

  it.each([[''], ['Tenant_'], ['1tenant'], ['tenant-'], ['x'.repeat(25)]])(
    'refuses the prefix %j',
    (prefix) => {
      expect(() => slugToSchemaName('acme', { prefix })).toThrow(/invalid schema prefix/)
    },
  )

  it('refuses an invalid slug', () => {
    expect(() => slugToSchemaName('ACME')).toThrow('invalid tenant slug "ACME"')
  })

  const slugArbitrary = fc
    .array(fc.stringMatching(/^[a-z0-9]{1,12}$/), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join('-'))
    .filter((slug) => slug.length >= 2 && slug.length <= 100)

  it('property: names are valid identifiers of at most 63 bytes, distinct for distinct slugs', () => {
    fc.assert(
      fc.property(fc.uniqueArray(slugArbitrary, { minLength: 2, maxLength: 60 }), (slugs) => {
        const names = slugs.map((slug) => slugToSchemaName(slug))
        for (const name of names) {
          expect(name).toMatch(IDENTIFIER)
          expect(bytes(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES)
        }
        expect(new Set(names).size).toBe(slugs.length)
      }),
      { numRuns: 200 },
    )
  })

  it('property: thousands of slugs sharing a 90-character prefix get distinct names', () => {
    const common = `${'long-tenant-'.repeat(8)}ab`.slice(0, 90)
    const tail = fc.stringMatching(/^[a-z0-9]{1,10}$/).map((suffix) => `${common}${suffix}`)
    fc.assert(
      fc.property(fc.uniqueArray(tail, { minLength: 1000, maxLength: 3000 }), (slugs) => {
        const names = slugs.map((slug) => slugToSchemaName(slug))
        for (const name of names) {
          expect(name).toMatch(IDENTIFIER)
          expect(bytes(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES)
        }
        expect(new Set(names).size).toBe(slugs.length)
      }),
      { numRuns: 5 },
    )
  })
})

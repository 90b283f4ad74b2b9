import { describe, expect, it } from 'vitest'
import { assertValidSlug, isValidSlug, slugProblem, TenantError } from '../src/index.js'

describe('slugs', () => {
  it.each([['acme-corp'], ['ab'], ['a1'], ['acme-corp-2'], ['0-9'], ['a'.repeat(100)]])(
    'accepts %j',
    (slug) => {
      expect(isValidSlug(slug)).toBe(true)
      expect(assertValidSlug(slug)).toBe(slug)
    },
  )

  it.each([
    ['ACME', 'uppercase letters are not allowed'],
    ['acme_corp', 'underscores are not allowed, use a hyphen'],
    ['-acme', 'must not start or end with a hyphen'],
    ['acme-', 'must not start or end with a hyphen'],
    ['acme--corp', 'must not contain two hyphens in a row'],
    ['acme corp', 'spaces are not allowed'],
    ['acmé', 'only ASCII characters are allowed'],
    ['аcme', 'only ASCII characters are allowed'], // Cyrillic а, a look-alike
    ['', 'must not be empty'],
    ['a', 'must be at least 2 characters'],
    ['a'.repeat(101), 'must be at most 100 characters'],
    ['a"; drop schema public; --', 'spaces are not allowed'],
    ['tenant_x,public', 'underscores are not allowed, use a hyphen'],
    ['a.b', 'only lowercase letters, digits and hyphens are allowed'],
    ['../etc', 'only lowercase letters, digits and hyphens are allowed'],
  ])('refuses %j: %s', (slug, problem) => {
    expect(isValidSlug(slug)).toBe(false)
    expect(slugProblem(slug)).toBe(problem)
    expect(() => assertValidSlug(slug)).toThrow(problem)
  })

  it.each([
    [undefined, 'must be a string, got undefined'],
    [null, 'must be a string, got null'],
    [42, 'must be a string, got number'],
    [['acme'], 'must be a string, got an array'],
  ])('refuses the non-string %j', (value, problem) => {
    expect(isValidSlug(value)).toBe(false)
    expect(slugProblem(value)).toBe(problem)
  })

  it('throws INVALID_SLUG quoting the bad value', () => {
    const error = catchError(() => assertValidSlug('Foo_1'))
    expect(error).toBeInstanceOf(TenantError)
    expect(error.code).toBe('INVALID_SLUG')
    expect(error.message).toBe('invalid tenant slug "Foo_1": uppercase letters are not allowed')
  })

  // The seed's own examples.
  it('agrees with the seed: acme-corp valid, ACME and acme_corp invalid', () => {
    expect(isValidSlug('acme-corp')).toBe(true)
    expect(isValidSlug('ACME')).toBe(false)
    expect(isValidSlug('acme_corp')).toBe(false)
  })
})

function catchError(run: () => unknown): TenantError {
  try {
    run()
  } catch (error) {
    return error as TenantError
  }
  throw new Error('expected an error')
}

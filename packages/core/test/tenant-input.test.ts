import { describe, expect, it } from 'vitest'
import {
  type FieldProblem,
  SETTINGS_MAX_BYTES,
  TenantError,
  validateNewTenant,
  validateTenantUpdate,
} from '../src/index.js'

function problemsOf(run: () => unknown): FieldProblem[] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TenantError)
    expect((error as TenantError).code).toBe('VALIDATION_FAILED')
    return (error as TenantError).details as FieldProblem[]
  }
  throw new Error('expected VALIDATION_FAILED')
}

describe('validateNewTenant', () => {
  it('trims the name and defaults settings', () => {
    expect(validateNewTenant({ name: '  ACME Corp ', slug: 'acme-corp' })).toEqual({
      name: 'ACME Corp',
      slug: 'acme-corp',
      settings: {},
    })
  })

  it('keeps JSON settings', () => {
    const settings = { plan: 'pro', limits: { seats: 10 }, tags: ['a', null, true] }
    expect(validateNewTenant({ name: 'A', slug: 'ab', settings }).settings).toEqual(settings)
  })

  it('lists every problem, field by field', () => {
    expect(
      problemsOf(() => validateNewTenant({ name: '  ', slug: 'ACME', settings: [], x: 1 })),
    ).toEqual([
      { field: 'x', message: 'is not a known field' },
      { field: 'name', message: 'must not be empty' },
      { field: 'slug', message: 'uppercase letters are not allowed' },
      { field: 'settings', message: 'must be a JSON object' },
    ])
  })

  it.each([
    [null, '(body)'],
    ['acme', '(body)'],
    [[], '(body)'],
    [{ slug: 'ab' }, 'name'],
    [{ name: 1, slug: 'ab' }, 'name'],
    [{ name: 'x'.repeat(256), slug: 'ab' }, 'name'],
    [{ name: 'A' }, 'slug'],
    [{ name: 'A', slug: 'ab', settings: { n: Number.NaN } }, 'settings.n'],
    [{ name: 'A', slug: 'ab', settings: { d: new Date() } }, 'settings.d'],
    [{ name: 'A', slug: 'ab', settings: { f: () => 1 } }, 'settings.f'],
    [{ name: 'A', slug: 'ab', settings: { big: 'x'.repeat(SETTINGS_MAX_BYTES) } }, 'settings'],
    [{ name: 'A', slug: 'ab', settings: nest(20) }, 'settings.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a'],
  ])('refuses %j at field %s', (input, field) => {
    expect(problemsOf(() => validateNewTenant(input)).map((p) => p.field)).toContain(field)
  })
})

describe('validateTenantUpdate', () => {
  it('accepts a name or settings', () => {
    expect(validateTenantUpdate({ name: ' New ' })).toEqual({ name: 'New' })
    expect(validateTenantUpdate({ settings: { a: 1 } })).toEqual({ settings: { a: 1 } })
  })

  it('refuses an empty update and unknown fields such as slug', () => {
    expect(problemsOf(() => validateTenantUpdate({}))).toEqual([
      { field: '(body)', message: 'give at least one of name, settings' },
    ])
    expect(problemsOf(() => validateTenantUpdate({ slug: 'x', name: 'A' }))).toEqual([
      { field: 'slug', message: 'is not a known field' },
    ])
  })
})

function nest(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {}
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

import { describe, expect, it } from 'vitest'
import { formatSearchPath, quoteIdentifier } from '../src/index.js'

describe('search paths', () => {
  it.each([
    [['tenant_acme', 'public'], '"tenant_acme", "public"'],
    [['tenant_x'], '"tenant_x"'],
    [['a"b'], '"a""b"'],
  ])('formats %j as %s', (schemas, value) => {
    expect(formatSearchPath(schemas)).toBe(value)
  })

  it.each([[''], ['a\0b']])('refuses the identifier %j', (name) => {
    expect(() => quoteIdentifier(name)).toThrow(/invalid identifier/)
  })

  it('refuses an empty search path', () => {
    expect(() => formatSearchPath([])).toThrow('a search path needs at least one schema')
  })
})

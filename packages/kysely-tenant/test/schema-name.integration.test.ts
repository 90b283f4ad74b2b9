import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { slugToSchemaName } from '@kysely-tenant/core'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

describe('derived schema names on a real PostgreSQL', () => {
  let database: TestDatabase
  let pool: pg.Pool

  beforeAll(async () => {
    database = await createTestDatabase()
    pool = database.pool({ max: 2 })
  })
  afterAll(() => database.drop())

  it.each([
    ['acme-corp'],
    ['x'.repeat(56)],
    ['x'.repeat(57)],
    [`${'long-prefix-'.repeat(8)}a`],
    [`${'long-prefix-'.repeat(8)}b`],
    ['z'.repeat(100)],
  ])('PostgreSQL keeps the name of %j byte for byte', async (slug) => {
    const name = slugToSchemaName(slug)
    // The name is quoted the way Kysely quotes identifiers; PostgreSQL would silently
    // truncate anything over 63 bytes, so an unchanged round trip proves it fits.
    await pool.query(`create schema "${name}"`)
    const { rows } = await pool.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname = $1',
      [name],
    )
    expect(rows).toEqual([{ nspname: name }])
  })

  it('gives two long slugs with a common 90-character prefix two schemas', async () => {
    const common = 'shared-'.repeat(13).slice(0, 90)
    const names = [`${common}-one`, `${common}-two`].map((slug) => slugToSchemaName(slug))
    for (const name of names) await pool.query(`create schema "${name}"`)
    const { rows } = await pool.query('select nspname from pg_namespace where nspname = any($1)', [
      names,
    ])
    expect(rows).toHaveLength(2)
  })
})

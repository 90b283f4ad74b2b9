import { describe, expect, it } from 'vitest'
import { planMigrations, planRollback } from '../src/index.js'

describe('planMigrations', () => {
  it.each([
    [[], ['002', '001'], ['001', '002'], null, '002'],
    [['001'], ['001', '002'], ['002'], '001', '002'],
    [['001', '002'], ['001', '002'], [], '002', '002'],
    [[], [], [], null, null],
  ])('applied %j, available %j -> pending %j', (applied, available, pending, current, latest) => {
    expect(planMigrations({ applied, available })).toEqual({ pending, current, latest })
  })

  it('refuses a pending migration that sorts before an applied one', () => {
    expect(() =>
      planMigrations({ applied: ['001', '003'], available: ['001', '002', '003'] }),
    ).toThrow(expect.objectContaining({ code: 'MIGRATION_ORDER' }))
  })

  it('allows it when unordered migrations are allowed', () => {
    const plan = planMigrations({
      applied: ['001', '003'],
      available: ['001', '002', '003'],
      allowUnorderedMigrations: true,
    })
    expect(plan.pending).toEqual(['002'])
  })

  it('refuses when an applied migration is gone', () => {
    expect(() => planMigrations({ applied: ['001', 'gone'], available: ['001'] })).toThrow(
      'applied migration "gone" no longer exists',
    )
  })
})

describe('planRollback', () => {
  it.each([
    [['1', '2', '3'], undefined, ['3']],
    [['1', '2', '3'], '1', ['3', '2']],
    [['1', '2', '3'], '3', []],
    [[], undefined, []],
  ])('applied %j to %j undoes %j', (applied, to, undo) => {
    expect(planRollback(applied, to)).toEqual(undo)
  })

  it('refuses a target that is not applied', () => {
    expect(() => planRollback(['1'], '9')).toThrow(
      expect.objectContaining({ code: 'MIGRATION_MISSING' }),
    )
  })
})

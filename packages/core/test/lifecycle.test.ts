import { describe, expect, it } from 'vitest'
import {
  assertTenantAccess,
  assertTransition,
  canTransition,
  isNoopTransition,
  TENANT_STATUSES,
  type TenantAction,
  type TenantStatus,
  tenantAccess,
} from '../src/index.js'

const LEGAL: [TenantStatus, TenantAction, TenantStatus | null][] = [
  ['active', 'provision', 'provisioned'],
  ['provisioned', 'provision', 'provisioned'],
  ['provisioned', 'suspend', 'suspended'],
  ['suspended', 'activate', 'provisioned'],
  ['active', 'delete', 'deleted'],
  ['provisioned', 'delete', 'deleted'],
  ['suspended', 'delete', 'deleted'],
  ['deleted', 'purge', null],
]
const ACTIONS: TenantAction[] = ['provision', 'suspend', 'activate', 'delete', 'purge']
const ILLEGAL = TENANT_STATUSES.flatMap((status) =>
  ACTIONS.filter((action) => !LEGAL.some(([s, a]) => s === status && a === action)).map(
    (action) => [status, action] as const,
  ),
)

describe('lifecycle', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, action, to) => {
    expect(canTransition(from, action)).toBe(true)
    expect(assertTransition('acme', from, action)).toBe(to)
  })

  it('has exactly 12 illegal transitions', () => {
    expect(ILLEGAL).toHaveLength(12)
  })

  it.each(ILLEGAL)('refuses to %2$s a tenant that is %1$s, naming both states', (from, action) => {
    expect(canTransition(from, action)).toBe(false)
    expect(() => assertTransition('acme', from, action)).toThrow(
      expect.objectContaining({
        code: 'INVALID_TRANSITION',
        message: expect.stringMatching(new RegExp(`cannot ${action} tenant "acme": it is ${from}`)),
      }),
    )
  })

  it('names the state the action needs', () => {
    expect(() => assertTransition('acme', 'active', 'suspend')).toThrow(
      'cannot suspend tenant "acme": it is active, and suspend needs provisioned',
    )
  })

  it('treats provisioning a provisioned tenant as a no-op', () => {
    expect(isNoopTransition('provisioned', 'provision')).toBe(true)
    expect(isNoopTransition('active', 'provision')).toBe(false)
  })

  it.each([
    ['provisioned', undefined],
    ['active', 'TENANT_NOT_PROVISIONED'],
    ['suspended', 'TENANT_SUSPENDED'],
    ['deleted', 'TENANT_DELETED'],
    [undefined, 'TENANT_NOT_FOUND'],
  ] as const)('access to a %s tenant: %s', (status, code) => {
    const access = tenantAccess(status)
    expect(access.allowed).toBe(code === undefined)
    if (code === undefined) expect(() => assertTenantAccess('acme', status)).not.toThrow()
    else expect(() => assertTenantAccess('acme', status)).toThrow(expect.objectContaining({ code }))
  })
})

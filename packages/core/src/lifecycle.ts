import { TenantError, type TenantErrorCode } from './tenant-error.js'

/** Every state a tenant can be in, in lifecycle order. */
export const TENANT_STATUSES = ['active', 'provisioned', 'suspended', 'deleted'] as const

/**
 * - `active`: the tenant row exists, no schema yet;
 * - `provisioned`: the schema exists, is migrated and may be used;
 * - `suspended`: access refused, data kept;
 * - `deleted`: soft-deleted, access refused, schema kept until purge.
 */
export type TenantStatus = (typeof TENANT_STATUSES)[number]

/** The actions that move a tenant between states. */
export type TenantAction = 'provision' | 'suspend' | 'activate' | 'delete' | 'purge'

interface Transition {
  readonly from: readonly TenantStatus[]
  /** `null` for purge: the tenant row and schema are gone. */
  readonly to: TenantStatus | null
}

/** The lifecycle as data: which states each action starts from and where it leads. */
export const TENANT_TRANSITIONS: Readonly<Record<TenantAction, Transition>> = Object.freeze({
  // Provisioning a provisioned tenant is allowed and changes nothing (see `isNoopTransition`).
  provision: { from: ['active', 'provisioned'], to: 'provisioned' },
  suspend: { from: ['provisioned'], to: 'suspended' },
  activate: { from: ['suspended'], to: 'provisioned' },
  delete: { from: ['active', 'provisioned', 'suspended'], to: 'deleted' },
  purge: { from: ['deleted'], to: null },
})

/** True when `action` may be applied to a tenant in `status`. */
export function canTransition(status: TenantStatus, action: TenantAction): boolean {
  return TENANT_TRANSITIONS[action].from.includes(status)
}

/** True when `action` is allowed in `status` but changes nothing (provisioning twice). */
export function isNoopTransition(status: TenantStatus, action: TenantAction): boolean {
  return canTransition(status, action) && TENANT_TRANSITIONS[action].to === status
}

/**
 * Returns the state `action` leads to from `status` (`null` for purge), or throws
 * `TenantError('INVALID_TRANSITION')` naming both states:
 * `cannot suspend tenant "acme-corp": it is active, and suspend needs provisioned`.
 */
export function assertTransition(
  slug: string,
  status: TenantStatus,
  action: TenantAction,
): TenantStatus | null {
  const transition = TENANT_TRANSITIONS[action]
  if (!transition.from.includes(status)) {
    throw new TenantError(
      'INVALID_TRANSITION',
      `cannot ${action} tenant ${JSON.stringify(slug)}: it is ${status}, and ${action} needs ${transition.from.join(' or ')}`,
      { details: { slug, status, action, allowedFrom: transition.from, to: transition.to } },
    )
  }
  return transition.to
}

/** Whether a tenant's data may be read or written, and if not, why. */
export type TenantAccess =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: TenantErrorCode; readonly reason: string }

/**
 * Decides whether a tenant in `status` (or `undefined` for an unknown tenant) may have
 * its data accessed. Only `provisioned` tenants may.
 */
export function tenantAccess(status: TenantStatus | undefined): TenantAccess {
  switch (status) {
    case 'provisioned':
      return { allowed: true }
    case 'active':
      return { allowed: false, code: 'TENANT_NOT_PROVISIONED', reason: 'is not provisioned yet' }
    case 'suspended':
      return { allowed: false, code: 'TENANT_SUSPENDED', reason: 'is suspended' }
    case 'deleted':
      return { allowed: false, code: 'TENANT_DELETED', reason: 'is deleted' }
    case undefined:
      return { allowed: false, code: 'TENANT_NOT_FOUND', reason: 'does not exist' }
  }
}

/** Throws the `TenantError` of `tenantAccess(status)` unless access is allowed. */
export function assertTenantAccess(slug: string, status: TenantStatus | undefined): void {
  const access = tenantAccess(status)
  if (!access.allowed) {
    throw new TenantError(access.code, `tenant ${JSON.stringify(slug)} ${access.reason}`, {
      details: { slug, status: status ?? null },
    })
  }
}

/** True when `value` is one of the four tenant states. */
export function isTenantStatus(value: unknown): value is TenantStatus {
  return typeof value === 'string' && (TENANT_STATUSES as readonly string[]).includes(value)
}

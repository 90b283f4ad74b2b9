/**
 * The stable codes of every error kysely-tenant raises on purpose. Later layers map them to
 * HTTP statuses and CLI exit codes, so a code never changes meaning.
 */
export type TenantErrorCode =
  | 'INVALID_SLUG'
  | 'INVALID_SCHEMA_PREFIX'
  | 'VALIDATION_FAILED'
  | 'TENANT_NOT_FOUND'
  | 'SLUG_TAKEN'
  | 'INVALID_TRANSITION'
  | 'TENANT_NOT_PROVISIONED'
  | 'TENANT_SUSPENDED'
  | 'TENANT_DELETED'
  | 'CONFIRMATION_REQUIRED'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_ORDER'
  | 'MIGRATION_MISSING'
  | 'MISCONFIGURED'

/** One problem with one field of an input, as listed by `VALIDATION_FAILED`. */
export interface FieldProblem {
  readonly field: string
  readonly message: string
}

/** The optional parts of a `TenantError`. */
export interface TenantErrorOptions {
  /** Field problems (for `VALIDATION_FAILED`) or other structured facts about the error. */
  readonly details?: readonly FieldProblem[] | Readonly<Record<string, unknown>>
  /** The underlying error; anything thrown is normalised to an `Error`. */
  readonly cause?: unknown
}

/**
 * The one error class of kysely-tenant. Branch on `code`, never on the message.
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await tenants.create({ name: 'ACME', slug: 'acme-corp' })
 * } catch (error) {
 *   if (error instanceof TenantError && error.code === 'SLUG_TAKEN') {
 *     // ask for another slug
 *   }
 * }
 * ```
 */
export class TenantError extends Error {
  readonly code: TenantErrorCode
  readonly details: readonly FieldProblem[] | Readonly<Record<string, unknown>> | undefined

  constructor(code: TenantErrorCode, message: string, options: TenantErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: toError(options.cause) })
    this.name = 'TenantError'
    this.code = code
    this.details = options.details
  }
}

/** True when `error` is a `TenantError`, optionally with the given code. */
export function isTenantError(error: unknown, code?: TenantErrorCode): error is TenantError {
  return error instanceof TenantError && (code === undefined || error.code === code)
}

function toError(cause: unknown): Error {
  if (cause instanceof Error) return cause
  return new Error(typeof cause === 'string' ? cause : JSON.stringify(cause))
}

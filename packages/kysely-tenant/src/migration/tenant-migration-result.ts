import { isTenantError, type TenantErrorCode } from '@kysely-tenant/core'

/** Why one tenant's run failed, as plain JSON-friendly data. */
export interface TenantMigrationFailure {
  /** The `TenantError` code, or `DATABASE_ERROR` for anything else (a dropped schema, ...). */
  readonly code: TenantErrorCode | 'DATABASE_ERROR'
  readonly message: string
  /** The migration that failed, when one did. */
  readonly migration: string | null
  /** PostgreSQL's SQLSTATE, detail and hint, when the database raised the error. */
  readonly pgCode: string | null
  readonly detail: string | null
  readonly hint: string | null
}

/** What happened to one tenant. */
export interface TenantMigrationResult {
  readonly tenant: string
  readonly schemaName: string
  /** The last applied migration before the run. */
  readonly from: string | null
  /** The last applied migration after it (equal to `from` when the tenant failed). */
  readonly to: string | null
  /** Migrations applied by this run, in order (empty for `migrateDown`). */
  readonly applied: readonly string[]
  /** Migrations undone by this run, newest first (empty unless `migrateDown`). */
  readonly reverted: readonly string[]
  readonly durationMs: number
  /** Present when the tenant's transaction was rolled back: it stayed at `from`. */
  readonly error?: TenantMigrationFailure
}

/** Counts over a whole run. */
export interface TenantMigrationSummary {
  /** Tenants targeted (provisioned and suspended, or the one asked for). */
  readonly tenants: number
  /** Tenants whose registry digest already matched: not opened at all. */
  readonly upToDate: number
  /** Tenants that ran and changed. */
  readonly migrated: number
  /** Tenants that ran and had nothing to do. */
  readonly unchanged: number
  readonly failed: number
  /** Tenants never started: after `limit`, or after a failure with `failFast`. */
  readonly notRun: number
  readonly durationMs: number
}

/** The outcome of `migrateToLatest` / `migrateUp` / `migrateDown`. */
export interface TenantMigrationRun {
  /** One result per tenant that ran, in slug order. */
  readonly results: readonly TenantMigrationResult[]
  readonly summary: TenantMigrationSummary
}

/** Turns anything a tenant's run threw into a `TenantMigrationFailure`. */
export function describeFailure(error: unknown): TenantMigrationFailure {
  const message = error instanceof Error ? error.message : String(error)
  if (isTenantError(error)) {
    const details = (error.details ?? {}) as Record<string, unknown>
    return {
      code: error.code,
      message,
      migration: text(details.migration),
      pgCode: text(details.code),
      detail: text(details.detail),
      hint: text(details.hint),
    }
  }
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<
    string,
    unknown
  >
  return {
    code: 'DATABASE_ERROR',
    message,
    migration: null,
    pgCode: text(fields.code),
    detail: text(fields.detail),
    hint: text(fields.hint),
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

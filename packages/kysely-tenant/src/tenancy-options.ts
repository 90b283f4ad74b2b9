import { DEFAULT_SCHEMA_PREFIX } from '@kysely-tenant/core'

/** Where the library keeps its own tables unless configured otherwise. */
export const DEFAULT_CONTROL_SCHEMA = 'public'
/** The schemas searched after the tenant's own, unless configured otherwise. */
export const DEFAULT_SHARED_SCHEMAS: readonly string[] = Object.freeze(['public'])
/** The NOTIFY channel on which tenant changes are announced to every process. */
export const TENANT_CHANGE_CHANNEL = 'kysely_tenant_change'

/** The settings every part of kysely-tenant shares. */
export interface TenancyOptions {
  /**
   * The schema of the tenant registry (`<controlSchema>.tenants`). Defaults to `public`.
   * Pick another one when your app already has a `public.tenants` table.
   */
  readonly controlSchema?: string
  /** Prefix of every tenant schema name. Defaults to `tenant_` (`acme` -> `tenant_acme`). */
  readonly schemaPrefix?: string
  /**
   * Schemas put on the `search_path` after the tenant's own inside scoped transactions,
   * so shared functions, types and extensions resolve. Defaults to `['public']`.
   */
  readonly sharedSchemas?: readonly string[]
}

/** `TenancyOptions` with every default filled in. */
export interface ResolvedTenancyOptions {
  readonly controlSchema: string
  readonly schemaPrefix: string
  readonly sharedSchemas: readonly string[]
}

/** Fills in the defaults of `options` and freezes the result. */
export function resolveTenancyOptions(options: TenancyOptions = {}): ResolvedTenancyOptions {
  return Object.freeze({
    controlSchema: options.controlSchema ?? DEFAULT_CONTROL_SCHEMA,
    schemaPrefix: options.schemaPrefix ?? DEFAULT_SCHEMA_PREFIX,
    sharedSchemas: Object.freeze([...(options.sharedSchemas ?? DEFAULT_SHARED_SCHEMAS)]),
  })
}

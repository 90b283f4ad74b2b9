// The names the doc-comment examples of the packages may use without building them first,
// as a reader would have them in an app: a `TenantKysely`, the service, the migrator, ...
// (scripts/check-code-blocks.mjs compiles every example with these in scope).
declare const db: import('kysely-tenant').TenantKysely<any>
declare const tenants: import('kysely-tenant').TenantService
declare const migrator: import('kysely-tenant').TenantMigrator
declare const provider: import('kysely-tenant').TenantMigrationProvider
declare const pool: import('pg').Pool
declare const connectionString: string
declare const token: string
declare const app: import('hono').Hono<import('@kysely-tenant/http').TenantEnv<any>>
type Database = any

// One config for both tools, loaded the same way (c12):
// - kysely-ctl (`pnpm exec kysely migrate latest`): the shared schema, incl. the registry;
// - kysely-tenant (`pnpm exec kysely-tenant migrate latest`): every tenant schema, from the
//   `tenant` section.
import { PostgresDialect } from 'kysely'
import { defineConfig } from 'kysely-ctl'
import pg from 'pg'

const config = defineConfig({
  dialect: new PostgresDialect({
    pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }),
  }),
  migrations: { migrationFolder: 'migrations/shared' },
})

export default {
  ...config,
  tenant: { migrationsFolder: '../../migrations/tenant' },
}

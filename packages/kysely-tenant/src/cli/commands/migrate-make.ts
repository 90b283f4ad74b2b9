import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { CliCommand } from '../cli-command.js'

const TEMPLATE = `import { type Kysely, sql } from 'kysely'

// \`db\` is scoped to one tenant: builders are qualified with its schema and raw \`sql\`
// resolves through a search_path that starts with it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('example').addColumn('id', 'bigint', (c) => c.primaryKey()).execute()
  await sql\`select 1\`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('example').execute()
}
`

/** `kysely-tenant migrate make <name>`: a new timestamped migration file. */
export const migrateMake: CliCommand = {
  name: 'migrate make',
  usage: 'migrate make <name>',
  description: 'create migrations/tenant/<timestamp>_<name>.ts',
  async run({ args, config, out }) {
    const name = args[0]
    if (!name || !/^[a-z0-9_]+$/.test(name))
      throw new Error('give a name of lowercase letters, digits and _')
    // Sortable by name, like kysely-ctl's files: the migrator runs files in name order.
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
    const folder = resolve(config.cwd, config.migrationsFolder)
    await mkdir(folder, { recursive: true })
    const file = join(folder, `${stamp}_${name}.ts`)
    await writeFile(file, TEMPLATE, { flag: 'wx' })
    out.write(`created ${file}\n`)
    return 0
  },
}

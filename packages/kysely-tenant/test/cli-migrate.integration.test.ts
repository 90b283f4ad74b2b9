import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/run-cli.js'
import { migrationDigest } from '../src/migration/migration-digest.js'
import {
  createMigrationTestDatabase,
  createRegistry,
  ledgerOf,
  type MigrationTestDatabase,
  seedTenants,
  slugs,
  tablesOf,
} from './migration-test-setup.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const bin = join(root, 'packages/kysely-tenant/src/cli/bin.ts')
const tsx = join(root, 'node_modules/.bin/tsx')

// Migration files that import nothing, so they load from a temp folder outside the repo.
const tableFile = (table: string, sleepSeconds = 0) => `
export async function up(db) {
  await db.selectNoFrom((eb) => eb.fn('pg_sleep', [eb.lit(${sleepSeconds})]).as('s')).execute()
  await db.schema.createTable('${table}').addColumn('id', 'integer').execute()
}
export async function down(db) { await db.schema.dropTable('${table}').execute() }
`

function capture(isTTY = false) {
  let text = ''
  const write = (chunk: string) => {
    text += chunk
  }
  return { isTTY, write, text: () => text }
}

describe('kysely-tenant CLI', () => {
  let t: MigrationTestDatabase
  let folder: string
  beforeAll(async () => {
    t = await createMigrationTestDatabase(4)
    folder = await mkdtemp(join(tmpdir(), 'kysely-tenant-cli-'))
  })
  afterAll(async () => {
    await t.close()
    await rm(folder, { recursive: true, force: true })
  })
  const cli = (...args: string[]) => {
    const out = capture()
    const err = capture()
    const flags = ['--url', t.database.url, '--cwd', folder, '--migrations-folder', folder]
    return runCli([...args, ...flags], out, err).then((code) => ({
      code,
      out: out.text(),
      err: err.text(),
    }))
  }

  it('migrates, lists and prints JSON, exiting 1 when a tenant failed', async () => {
    const [, broken] = await seedTenants(t.db, ['cli-a', 'cli-b'])
    await writeFile(join(folder, '001_first.mjs'), tableFile('first'))
    await sql`create table ${sql.id(broken as string, 'second')} (id int)`.execute(t.db)
    await writeFile(join(folder, '002_second.mjs'), tableFile('second'))
    const listed = await cli('migrate', 'list', '--json')
    expect(JSON.parse(listed.out).map((s: { pending: string[] }) => s.pending)).toEqual([
      ['001_first', '002_second'],
      ['001_first', '002_second'],
    ])
    const run = await cli('migrate', 'latest', '--json')
    expect(run.code).toBe(1)
    const { summary, results } = JSON.parse(run.out)
    expect(summary).toMatchObject({ tenants: 2, migrated: 1, failed: 1 })
    expect(results[1].error).toMatchObject({
      code: 'MIGRATION_FAILED',
      migration: '002_second',
      pgCode: '42P07',
    })
    const text = await cli('migrate', 'latest')
    expect(text.out).toContain('[1/1] cli-b: FAILED')
    expect(text.out).toMatch(/2 tenants: 1 already at latest, 0 migrated, 0 unchanged, 1 failed/)
    await sql`drop table ${sql.id(broken as string, 'second')}`.execute(t.db)
    expect((await cli('migrate', 'latest')).code).toBe(0)
    expect((await cli('migrate', 'down', '--tenant', 'cli-a')).code).toBe(0)
    expect(await ledgerOf(t.db, 'tenant_cli_a')).toEqual(['001_first'])
    expect((await cli('migrate', 'nonsense')).code).toBe(2)
  })

  it('survives SIGKILL mid-run: a re-run brings every tenant to latest, nothing half-applied', async () => {
    const killFolder = await mkdtemp(join(tmpdir(), 'kysely-tenant-kill-'))
    await writeFile(join(killFolder, '001_one.mjs'), tableFile('one', 0.02))
    await writeFile(join(killFolder, '002_two.mjs'), tableFile('two', 0.05))
    // A registry of its own, so the first test's tenants (other migrations) stay out of it.
    await createRegistry(t.db, 'kill_ctl')
    const schemas = await seedTenants(t.db, slugs('kill', 40), 'provisioned', 'kill_ctl')
    // The same run twice: killed the first time, then to completion.
    const run = [
      'migrate',
      'latest',
      '--url',
      t.database.url,
      '--cwd',
      killFolder,
      '--migrations-folder',
      killFolder,
      '--control-schema',
      'kill_ctl',
    ]
    const args = ['--conditions=source', bin, ...run, '--concurrency', '3']
    const child = spawn(tsx, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let lines = 0
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        lines += chunk
          .toString()
          .split('\n')
          .filter((l) => l.includes('kill-')).length
        if (lines >= 8) resolve() // several tenants committed, others mid-transaction
      })
      child.once('exit', () => reject(new Error('the CLI finished before it could be killed')))
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const latest = migrationDigest(['001_one', '002_two'])
    const consistent = async () => {
      for (const schema of schemas) {
        const ledger = await ledgerOf(t.db, schema)
        const tables = (await tablesOf(t.db, schema)).filter((n) => n !== 'kysely_tenant_migration')
        expect(tables).toEqual(ledger.map((name) => name.slice(4))) // a ledger row iff its table
      }
    }
    await consistent()
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from kill_ctl.tenants
      where slug like 'kill-%' and migration_digest = ${latest}`.execute(t.db)
    expect(rows[0]?.n).toBeGreaterThanOrEqual(8)
    expect(rows[0]?.n).toBeLessThan(40)
    const rerun = await runCli(run, capture(), capture())
    expect(rerun).toBe(0)
    await consistent()
    for (const schema of schemas)
      expect(await ledgerOf(t.db, schema)).toEqual(['001_one', '002_two'])
    await rm(killFolder, { recursive: true, force: true })
  })

  it('drives the tenant service: create, provision with the folder migrations, suspend, list', async () => {
    expect((await cli('tenants', 'create', 'svc-one', '--name', 'Svc One')).code).toBe(0)
    const provisioned = await cli('tenants', 'provision', 'svc-one', '--json')
    expect(provisioned.code).toBe(0)
    expect(JSON.parse(provisioned.out)).toMatchObject({ slug: 'svc-one', status: 'provisioned' })
    expect(await ledgerOf(t.db, 'tenant_svc_one')).toEqual(['001_first', '002_second'])
    expect((await cli('tenants', 'suspend', 'svc-one')).out).toContain('svc-one: suspended')
    const listed = await cli('tenants', 'list', '--status', 'suspended')
    expect(listed.out).toContain('svc-one')
    const refused = await cli('tenants', 'purge', 'svc-one', '--confirm', 'svc-one')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('INVALID_TRANSITION')
  })
})

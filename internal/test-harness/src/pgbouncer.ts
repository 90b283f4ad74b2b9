import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A PgBouncer started by a test, and how to stop it. */
export interface PgBouncer {
  readonly port: number
  /** The connection string of `database` through this PgBouncer. */
  url(database: string): string
  /** Stops this PgBouncer (by its own pid) and removes its files. */
  stop(): Promise<void>
}

export interface PgBouncerOptions {
  /** A superuser URL of the server to pool (its host, port, user and password are used). */
  readonly serverUrl: string
  /** Defaults to `transaction`, the mode in which session state leaks between clients. */
  readonly poolMode?: 'session' | 'transaction' | 'statement'
  /** Server connections per database and user. Defaults to 5. */
  readonly poolSize?: number
}

/** The pgbouncer binary (Debian puts it in /usr/sbin, often not on PATH), or undefined. */
export function findPgBouncer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/bin')) {
    if (dir && existsSync(join(dir, 'pgbouncer'))) return join(dir, 'pgbouncer')
  }
  return undefined
}

/**
 * Starts a PgBouncer on a free loopback port in front of `serverUrl`, with its files in a
 * temp dir. As root it runs as the `postgres` user: PgBouncer refuses to run as root.
 * Clients authenticate with `trust` (loopback only); PgBouncer logs in to the server with
 * the credentials of `serverUrl`.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const binary = findPgBouncer()
  if (!binary) throw new Error('pgbouncer is not installed (see .ci/setup-pgbouncer)')
  const server = new URL(options.serverUrl)
  const user = decodeURIComponent(server.username || 'postgres')
  const password = decodeURIComponent(server.password)
  const dir = await mkdtemp(join(tmpdir(), 'kysely-tenant-pgbouncer-'))
  await chmod(dir, 0o777) // the postgres user writes its log and pid file here
  const port = await freePort()
  const ini = join(dir, 'pgbouncer.ini')
  const target = [
    `host=${server.hostname}`,
    `port=${server.port || '5432'}`,
    `user=${user}`,
    password ? `password=${password}` : '',
  ].join(' ')
  await writeFile(join(dir, 'userlist.txt'), `"${user}" "${password}"\n`, { mode: 0o644 })
  await writeFile(
    ini,
    [
      '[databases]',
      // `*`: any database name the client asks for, on the same server.
      `* = ${target}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 5}`,
      'max_client_conn = 500',
      // node-postgres may send these; PgBouncer would otherwise refuse the login.
      'ignore_startup_parameters = extra_float_digits,options',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  )
  const command = `${binary} -d ${ini}`
  if (process.getuid?.() === 0) await run('su', ['postgres', '-s', '/bin/sh', '-c', command])
  else await run(binary, ['-d', ini])
  const pid = Number((await waitFor(() => readFile(join(dir, 'pgbouncer.pid'), 'utf8'))).trim())
  await waitFor(() => probe(port))
  return {
    port,
    url: (database) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM')
        await waitFor(async () => {
          if (isAlive(pid)) throw new Error(`pgbouncer ${pid} still running`)
        })
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitFor<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

function probe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end()
      resolve()
    })
    socket.once('error', reject)
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

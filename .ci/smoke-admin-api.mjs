// Runs examples/admin-api as a user would (`pnpm --filter @examples/admin-api start`, the real
// server.ts process) against a fresh database on the local PostgreSQL, drives the README's
// walk-through over HTTP (create, provision, order, suspend -> 403, activate), then stops it
// and drops the database. The README's curl lines themselves run in examples/admin-api/test.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import pg from 'pg'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const name = `kt_smoke_${randomBytes(4).toString('hex')}`
const url = new URL(adminUrl)
url.pathname = `/${name}`
const token = randomBytes(16).toString('hex')
const port = await freePort()
const base = `http://127.0.0.1:${port}`

const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`create database ${name}`)
const server = spawn('pnpm', ['--filter', '@examples/admin-api', 'start'], {
  env: { ...process.env, DATABASE_URL: url.toString(), ADMIN_TOKEN: token, PORT: String(port) },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
})
try {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the example did not start in 30 s')), 30_000)
    server.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      if (String(chunk).includes('listening')) resolve(clearTimeout(timer))
    })
    server.once('exit', (code) => reject(new Error(`the example exited with ${code}`)))
  })
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const steps = [
    ['POST', '/api/tenants', auth, { name: 'ACME Corp', slug: 'acme-corp' }, 201],
    ['POST', '/api/tenants/acme-corp/provision', auth, undefined, 200],
    [
      'POST',
      '/api/orders',
      { 'x-tenant': 'acme-corp', 'content-type': 'application/json' },
      { email: 'ann@example.com', name: 'Ann' },
      201,
    ],
    ['GET', '/api/orders', { 'x-tenant': 'acme-corp' }, undefined, 200],
    ['POST', '/api/tenants/acme-corp/suspend', auth, undefined, 200],
    ['GET', '/api/orders', { 'x-tenant': 'acme-corp' }, undefined, 403],
    ['POST', '/api/tenants/acme-corp/activate', auth, undefined, 200],
    ['GET', '/api/orders', { 'x-tenant': 'acme-corp' }, undefined, 200],
    ['GET', '/api/tenants', {}, undefined, 401],
  ]
  for (const [method, path, headers, body, expected] of steps) {
    const response = await fetch(base + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    console.log(`${method} ${path} -> ${response.status} ${text.slice(0, 100)}`)
    if (response.status !== expected)
      throw new Error(`expected ${expected}, got ${response.status}`)
  }
  console.log('admin-api example: walk-through passed')
} finally {
  process.kill(-server.pid, 'SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 500))
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.end()
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

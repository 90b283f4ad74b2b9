import type { TestProject } from 'vitest/node'
import { pickServer } from './pick-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server; each test file makes its own database on it. */
    pgAdminUrl: string
  }
}

/** Vitest global setup: one PostgreSQL server for the whole run, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => console.log(`[test-harness] ${line}`)
  const server = await pickServer(log)
  log(`PostgreSQL for this run: ${server.kind} (${redact(server.adminUrl)})`)
  project.provide('pgAdminUrl', server.adminUrl)
  return server.stop
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

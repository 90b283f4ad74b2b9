import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startExample } from './example-server.js'

interface Step {
  readonly command: string
  readonly status: number
  readonly body: unknown
}

// The walk-through of the README: every `curl` in its sh blocks, with the `# => status json`
// line under it. Continuation lines are joined as the shell would.
async function readmeSteps(file: string, from: string, to: string): Promise<Step[]> {
  const readme = await readFile(new URL(file, import.meta.url), 'utf8')
  const walkThrough = readme.slice(readme.indexOf(from), readme.indexOf(to))
  const blocks = [...walkThrough.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string)
  const lines = blocks.flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'))
  const steps: Step[] = []
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith('curl ')) continue
    const expected = /^# => (\d{3}) (.*)$/.exec(lines[i + 1] ?? '')
    if (!expected) throw new Error(`README: no "# => status body" line under: ${line}`)
    steps.push({
      command: line,
      status: Number(expected[1]),
      body: JSON.parse(expected[2] as string),
    })
  }
  return steps
}

const run = promisify(execFile)
const hasCurl = await run('curl', ['--version']).then(
  () => true,
  () => false,
)

// This example's README, and the admin API section of the repository's README.
const WALK_THROUGHS: Array<[name: string, file: string, from: string, to: string, min: number]> = [
  ['examples/admin-api/README.md', '../README.md', '## Walk-through', '## Errors', 10],
  ['README.md (the admin API)', '../../../README.md', '### The admin API', '## The lifecycle', 6],
]

describe.each(WALK_THROUGHS)(
  'the walk-through of %s, run against the example server',
  (_name, file, from, to, min) => {
    let example: Awaited<ReturnType<typeof startExample>>
    beforeAll(async () => {
      example = await startExample()
    })
    afterAll(() => example?.close())

    it(`runs every curl command verbatim (${hasCurl ? 'with curl' : 'curl absent: node:http'})`, async () => {
      const steps = await readmeSteps(file, from, to)
      expect(steps.length).toBeGreaterThanOrEqual(min)
      for (const step of steps) {
        // Only the port changes: the README's server listens on 3000, this one on a free port.
        const command = step.command.replaceAll('localhost:3000', `localhost:${example.port}`)
        const output = hasCurl ? await viaCurl(command) : await viaNode(command)
        const status = Number(output.slice(output.lastIndexOf(' ') + 1))
        const body = JSON.parse(output.slice(0, output.lastIndexOf(' ')))
        expect({ command: step.command, status }).toEqual({
          command: step.command,
          status: step.status,
        })
        expect(body).toMatchObject(step.body as object)
      }
    })
  },
)

async function viaCurl(command: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', command], { env: { ...process.env, ADMIN_TOKEN } })
  return stdout.trim()
}

// Without curl: the same request through node:http, connecting to loopback and sending the
// URL's host (subdomain included) as the Host header, as curl does for *.localhost.
async function viaNode(command: string): Promise<string> {
  const words = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) =>
    (m[1] ?? m[2] ?? m[3] ?? '').replaceAll('$ADMIN_TOKEN', ADMIN_TOKEN),
  )
  let method = 'GET'
  let body: string | undefined
  let url = ''
  const headers: Record<string, string> = {}
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string
    if (word === '-X') method = words[++i] as string
    else if (word === '-H') {
      const [name, ...value] = (words[++i] as string).split(':')
      headers[(name as string).toLowerCase()] = value.join(':').trim()
    } else if (word === '-d') {
      body = words[++i]
      if (method === 'GET') method = 'POST'
    } else if (word === '-w') i++
    else if (word.startsWith('http')) url = word
  }
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: { ...headers, host: target.host },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve(`${text} ${res.statusCode}`))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

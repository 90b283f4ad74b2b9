// Type-checks every ```ts code block of the README files, so the docs cannot drift from
// the API. Each block is written to .tmp/readme-snippets/ as a module of its own and the
// whole set is compiled with the repository's strict settings (against the packages'
// sources). Usage: node scripts/check-readme-snippets.mjs [README.md ...]
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const files = process.argv.slice(2).length ? process.argv.slice(2) : ['README.md']
const out = join(root, '.tmp/readme-snippets')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

let count = 0
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8')
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const line = text.slice(0, match.index).split('\n').length
    const name = `${file.replace(/[^a-z0-9]+/gi, '_')}_line_${line}.ts`
    // `export {}` makes every block a module, so top-level await and local names are fine.
    writeFileSync(join(out, name), `${match[1]}\nexport {}\n`)
    count++
  }
}
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: relative(out, join(root, 'tsconfig.json')),
    compilerOptions: { noEmit: true, noUnusedLocals: false },
    include: ['./*.ts'],
  }),
)
console.log(`type-checking ${count} ts code blocks from ${files.join(', ')}`)
try {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(out, 'tsconfig.json')], {
    stdio: 'inherit',
  })
} catch {
  console.error('README code blocks do not type-check (see above; files in .tmp/readme-snippets)')
  process.exit(1)
}
console.log('README code blocks type-check')

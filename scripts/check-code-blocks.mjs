// Type-checks every ```ts code block of the docs, so they cannot drift from the API:
// - the README files given on the command line (default: README.md);
// - the `### Examples` blocks of the doc comments in packages/*/src (the API reference).
// Each block becomes a module of its own under .tmp/code-blocks/, compiled with the
// repository's strict settings against the packages' sources. Doc-comment examples are
// fragments: they may use the names declared in scripts/doc-example-globals.d.ts (`db`,
// `tenants`, ...) without building them first.
// Usage: node scripts/check-code-blocks.mjs [README.md ...]
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readmes = process.argv.slice(2).length ? process.argv.slice(2) : ['README.md']
const out = join(root, '.tmp/code-blocks')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

let count = 0
const write = (source, line, code) => {
  const name = `${source.replace(/[^a-z0-9]+/gi, '_')}_line_${line}.ts`
  // `export {}` makes every block a module, so top-level await and local names are fine.
  writeFileSync(join(out, name), `${code}\nexport {}\n`)
  count++
}

for (const file of readmes) {
  const text = readFileSync(join(root, file), 'utf8')
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    write(file, text.slice(0, match.index).split('\n').length, match[1])
  }
}

// Like Kysely's docs, an example uses its package's exports (and Kysely's, Hono's) without
// importing them: the imports are added here, minus any name the example binds itself.
const PACKAGES = {
  core: '@kysely-tenant/core',
  'kysely-tenant': 'kysely-tenant',
  http: '@kysely-tenant/http',
}
const AMBIENT = [
  ['kysely', ['sql', 'Kysely', 'PostgresDialect', 'Transaction']],
  ['hono', ['Hono']],
]
for (const [dir, specifier] of Object.entries(PACKAGES)) {
  const exported = exportNames(join(root, 'packages', dir, 'src/index.ts'))
  for (const file of sourceFiles(join(root, 'packages', dir, 'src'))) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/^\s*\* ```ts\n([\s\S]*?)^\s*\* ```$/gm)) {
      const code = match[1].replace(/^\s*\* ?/gm, '')
      const bound = boundNames(code)
      const imports = [[specifier, exported], ...AMBIENT]
        .map(([from, names]) => [from, names.filter((n) => uses(code, bound, n))])
        .filter(([, names]) => names.length > 0)
        .map(([from, names]) => `import { ${names.join(', ')} } from '${from}'`)
      const line = text.slice(0, match.index).split('\n').length + 1
      write(relative(root, file), line, `${imports.join('\n')}\n${code}`)
    }
  }
}

copyFileSync(join(root, 'scripts/doc-example-globals.d.ts'), join(out, 'globals.d.ts'))
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: relative(out, join(root, 'tsconfig.json')),
    compilerOptions: { noEmit: true, noUnusedLocals: false },
    include: ['./*.ts'],
  }),
)
console.log(`type-checking ${count} ts code blocks (${readmes.join(', ')}, doc comments)`)
try {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(out, 'tsconfig.json')], {
    stdio: 'inherit',
  })
} catch {
  console.error('code blocks do not type-check (see above; files in .tmp/code-blocks)')
  process.exit(1)
}
console.log('every code block type-checks')

// The names an index re-exports: `export { a, type B } from ...` and `export type { C } ...`.
function exportNames(index) {
  const text = readFileSync(index, 'utf8')
  const names = []
  for (const [, allTypes, list] of text.matchAll(/export (type )?\{([^}]*)\}/g)) {
    for (const item of list.split(',')) {
      const name = item.trim()
      // Types are imported as `type X` (verbatimModuleSyntax requires it).
      if (name) names.push(allTypes && !name.startsWith('type ') ? `type ${name}` : name)
    }
  }
  return names
}

// Whether `code` uses the (possibly `type `-prefixed) export `item` without binding it itself.
function uses(code, bound, item) {
  const name = item.replace(/^type /, '')
  return !bound.has(name) && new RegExp(`\\b${name}\\b`).test(code)
}

// Names an example imports or declares itself (so no import is added for them).
function boundNames(code) {
  const bound = new Set()
  for (const [, list] of code.matchAll(/import (?:type )?\{([^}]*)\}/g)) {
    for (const item of list.split(',')) bound.add(item.trim().replace(/^type\s+/, ''))
  }
  for (const [, name] of code.matchAll(/(?:const|let|function|class|interface|type)\s+(\w+)/g)) {
    bound.add(name)
  }
  return bound
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (path.endsWith('.ts')) yield path
  }
}

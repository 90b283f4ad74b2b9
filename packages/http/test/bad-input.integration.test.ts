import { createAdminApi } from '@kysely-tenant/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type HttpFixture, startFixture, TOKEN } from './http-fixture.js'

const JSON_TYPE = 'application/json'
const LIMIT = 8 * 1024

interface BadRequest {
  readonly name: string
  readonly method: string
  readonly path: string
  readonly body?: string | Uint8Array
  readonly type?: string
  readonly status: number
}

const slugPaths: readonly (readonly [string, string, number?])[] = [
  ['path traversal', '..%2F..%2Fetc%2Fpasswd'],
  // The URL parser resolves an encoded dot-dot before sending: the request lands on /api/ (404).
  ['encoded dot-dot', '%2e%2e', 404],
  ['sql injection', "x'%3B%20drop%20schema%20public%20cascade%3B--"],
  ['quote breakout', 'acme%22%3B%20drop%20table%20tenants%3B--'],
  ['unicode', '%C3%A1cme'],
  ['homoglyph', 'a%D1%81me'], // Cyrillic es
  ['uppercase', 'ACME'],
  ['underscore', 'acme_corp'],
  ['null byte', 'acme%00'],
  ['too long', 'a'.repeat(101)],
  ['leading hyphen', '-acme'],
  ['newline', 'acme%0Acorp'],
]

const post = (name: string, body: string, status: number, type = JSON_TYPE): BadRequest => ({
  name,
  method: 'POST',
  path: '/api/tenants',
  body,
  type,
  status,
})

const CORPUS: BadRequest[] = [
  post('malformed JSON', '{"name": "x", "slug": ', 400),
  post('trailing comma', '{"name":"x","slug":"ok-slug",}', 400),
  post('single quotes', "{'name':'x','slug':'ok-slug'}", 400),
  post('empty body', '', 400),
  post('whitespace body', '   ', 400),
  post('JSON null', 'null', 400),
  post('JSON array', '[{"name":"x","slug":"ok-slug"}]', 400),
  post('JSON string', '"ok-slug"', 400),
  post('JSON number', '42', 400),
  post('name a number', '{"name":1,"slug":"ok-slug"}', 400),
  post('slug a number', '{"name":"x","slug":12}', 400),
  post('slug an object', '{"name":"x","slug":{"$ne":null}}', 400),
  post('settings an array', '{"name":"x","slug":"ok-slug","settings":[1]}', 400),
  post('settings a string', '{"name":"x","slug":"ok-slug","settings":"{}"}', 400),
  post('missing name', '{"slug":"ok-slug"}', 400),
  post('missing slug', '{"name":"x"}', 400),
  post('blank name', '{"name":"   ","slug":"ok-slug"}', 400),
  post('extra field', '{"name":"x","slug":"ok-slug","status":"provisioned"}', 400),
  post('extra schemaName', '{"name":"x","slug":"ok-slug","schemaName":"public"}', 400),
  post('prototype pollution', '{"name":"x","slug":"ok-slug","__proto__":{"admin":true}}', 400),
  post('injection slug', `{"name":"x","slug":"a'; drop table tenants; --"}`, 400),
  post('unicode slug', '{"name":"x","slug":"ácme"}', 400),
  post('emoji slug', '{"name":"x","slug":"acme-🚀"}', 400),
  post('uppercase slug', '{"name":"x","slug":"Acme"}', 400),
  post('slug with path', '{"name":"x","slug":"../public"}', 400),
  post('too long slug', `{"name":"x","slug":"${'a'.repeat(101)}"}`, 400),
  post('too long name', `{"name":"${'n'.repeat(256)}","slug":"ok-slug"}`, 400),
  post(
    'deep settings',
    `{"name":"x","slug":"ok-slug","settings":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}`,
    400,
  ),
  post(
    'oversized body',
    JSON.stringify({ name: 'x', slug: 'ok-slug', settings: { blob: 'b'.repeat(LIMIT) } }),
    413,
  ),
  post('text/plain', '{"name":"x","slug":"ok-slug"}', 415, 'text/plain'),
  post('form encoded', 'name=x&slug=ok-slug', 415, 'application/x-www-form-urlencoded'),
  post('multipart', '--b\r\n\r\nx\r\n--b--', 415, 'multipart/form-data; boundary=b'),
  post('xml', '<tenant slug="ok-slug"/>', 415, 'application/xml'),
  {
    name: 'patch wrong type',
    method: 'PATCH',
    path: '/api/tenants/keep-me',
    body: '{"name":false}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'patch unknown field',
    method: 'PATCH',
    path: '/api/tenants/keep-me',
    body: '{"status":"deleted"}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'patch slug change',
    method: 'PATCH',
    path: '/api/tenants/keep-me',
    body: '{"slug":"other"}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'patch not JSON',
    method: 'PATCH',
    path: '/api/tenants/keep-me',
    body: 'name=x',
    type: 'text/plain',
    status: 415,
  },
  {
    name: 'patch malformed',
    method: 'PATCH',
    path: '/api/tenants/keep-me',
    body: '{name: x}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'purge wrong confirm',
    method: 'POST',
    path: '/api/tenants/keep-me/purge',
    body: '{"confirm":"keep"}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'purge confirm type',
    method: 'POST',
    path: '/api/tenants/keep-me/purge',
    body: '{"confirm":true}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'purge extra field',
    method: 'POST',
    path: '/api/tenants/keep-me/purge',
    body: '{"confirm":"keep-me","force":true}',
    type: JSON_TYPE,
    status: 400,
  },
  {
    name: 'purge not deleted',
    method: 'POST',
    path: '/api/tenants/keep-me/purge',
    body: '{"confirm":"keep-me"}',
    type: JSON_TYPE,
    status: 409,
  },
  {
    name: 'suspend form body',
    method: 'POST',
    path: '/api/tenants/keep-me/suspend',
    body: 'now=1',
    type: 'application/x-www-form-urlencoded',
    status: 415,
  },
  { name: 'list bad limit', method: 'GET', path: '/api/tenants?limit=-1', status: 400 },
  { name: 'list huge limit', method: 'GET', path: '/api/tenants?limit=100000', status: 400 },
  {
    name: 'list bad status',
    method: 'GET',
    path: '/api/tenants?status=%27%20or%201%3D1',
    status: 400,
  },
  {
    name: 'list repeated status',
    method: 'GET',
    path: '/api/tenants?status=active&status=deleted',
    status: 400,
  },
  {
    name: 'list long search',
    method: 'GET',
    path: `/api/tenants?search=${'s'.repeat(201)}`,
    status: 400,
  },
  { name: 'trailing slash route', method: 'GET', path: '/api/tenants/keep-me/', status: 404 },
  { name: 'unknown action', method: 'POST', path: '/api/tenants/keep-me/explode', status: 404 },
  {
    name: 'wrong method',
    method: 'PUT',
    path: '/api/tenants/keep-me',
    body: '{"name":"x"}',
    type: JSON_TYPE,
    status: 405,
  },
  ...slugPaths.flatMap(([what, slug, status = 400]): BadRequest[] => [
    { name: `GET ${what} slug`, method: 'GET', path: `/api/tenants/${slug}`, status },
    { name: `DELETE ${what} slug`, method: 'DELETE', path: `/api/tenants/${slug}`, status },
    {
      name: `provision ${what} slug`,
      method: 'POST',
      path: `/api/tenants/${slug}/provision`,
      status,
    },
  ]),
]

describe('bad-input corpus', () => {
  let f: HttpFixture
  beforeAll(async () => {
    f = await startFixture((tenants) =>
      createAdminApi({ tenants, adminTokens: [TOKEN], bodyLimitBytes: LIMIT }),
    )
    await f.tenants.create({ name: 'Keep me', slug: 'keep-me' })
    await f.tenants.provision('keep-me')
  })
  afterAll(() => f?.close())

  it(`answers all ${CORPUS.length} bad requests with a 4xx JSON error and changes nothing`, async () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40)
    const before = await f.snapshot()
    const outcomes: string[] = []
    for (const bad of CORPUS) {
      const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }
      if (bad.type) headers['content-type'] = bad.type
      const res = await fetch(`${f.url}${bad.path}`, {
        method: bad.method,
        headers,
        ...(bad.body === undefined ? {} : { body: bad.body }),
      })
      const body: any = await res.json().catch(() => 'not JSON')
      const shaped = typeof body?.error?.code === 'string' && typeof body.error.message === 'string'
      outcomes.push(`${bad.name}: ${res.status}${shaped ? '' : ' (not the error shape)'}`)
    }
    expect(outcomes).toEqual(CORPUS.map((bad) => `${bad.name}: ${bad.status}`))
    expect(await f.snapshot()).toEqual(before)
  })
})

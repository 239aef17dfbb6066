import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCatalogueFile } from '../../src/app/catalogue/import-catalogue.js'
import type { AppDeps } from '../../src/app/deps.js'
import { SD_CALLS_FILE } from '../support/sandiego.js'
import { auth, openTestApp } from '../support/test-app.js'

/**
 * A CAD export uploaded over HTTP (the analyst's screen): the file streams to the server, the
 * import runs in the background with progress, and the summary comes back. The fixture is the
 * first 500 calls of the real San Diego export (shared/datasets/raw/sandiego-pd-cfs-2023).
 */
const HEAD = readFileSync(SD_CALLS_FILE, 'utf8').split('\n').slice(0, 501).join('\n')

describe('911 history upload (sqlite)', () => {
  let app: FastifyInstance
  let deps: AppDeps
  let close: () => Promise<void>

  beforeAll(async () => {
    ;({ app, deps, close } = await openTestApp('sqlite'))
    // The default catalogue brings the San Diego mapping table the export's codes go through.
    await importCatalogueFile(
      deps,
      { id: 'test', roles: ['admin'] },
      'catalogue/default-catalogue.yaml',
    )
  }, 60_000)
  afterAll(async () => close())

  const upload = (body: string, role = 'analyst', mapping = 'sandiego', type = 'text/csv') =>
    app.inject({
      method: 'POST',
      url: `/api/history/imports?mapping=${mapping}`,
      headers: { ...auth(role), 'content-type': type },
      payload: body,
    })

  async function finished(id: string) {
    for (let i = 0; i < 200; i++) {
      const job = (
        await app.inject({ url: `/api/history/imports/${id}`, headers: auth('analyst') })
      ).json()
      if (job.status !== 'running') return job
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error('the import did not finish')
  }

  it('imports an uploaded export in the background and reports what did not match', async () => {
    const mappings = await app.inject({ url: '/api/history/mappings', headers: auth('analyst') })
    expect(mappings.json().mappings).toEqual(expect.arrayContaining(['generic', 'sandiego']))
    const res = await upload(HEAD)
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toMatchObject({
      status: 'running',
      mapping: 'sandiego',
      startedBy: expect.any(String),
    })
    const job = await finished(res.json().id)
    expect(job.status, job.error).toBe('done')
    expect(job.done).toBe(500)
    expect(job.report).toMatchObject({ rows: 500, alreadyImported: 0 })
    expect(job.report.imported + job.report.problemCount).toBe(500)
    expect(await deps.store.history.count('sandiego')).toBe(job.report.imported)
    // The same file again adds nothing.
    const again = await finished((await upload(HEAD)).json().id)
    expect(again.report).toMatchObject({ imported: 0, alreadyImported: job.report.imported })
  })

  it('refuses an empty body, a JSON body, an unknown format and a role without the right', async () => {
    const empty = await upload('')
    expect(empty.statusCode).toBe(400)
    expect(empty.json().error.message).toMatch(/empty/)
    const json = await upload('{"calls":[]}', 'analyst', 'sandiego', 'application/json')
    expect(json.statusCode).toBe(400)
    expect(json.json().error.message).toMatch(/text\/csv/)
    const unknown = await upload(HEAD, 'analyst', 'atlantis')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.problems[0]).toMatchObject({ path: 'mapping' })
    expect((await upload(HEAD, 'call_taker')).statusCode).toBe(403)
    expect((await upload(HEAD, 'command')).statusCode).toBe(403)
    expect(
      (await app.inject({ url: '/api/history/imports/nope', headers: auth('analyst') })).statusCode,
    ).toBe(404)
  })

  it('refuses a file that lacks the format’s columns before reading a row, and names them', async () => {
    const job = await finished((await upload('a,b,c\n1,2,3\n')).json().id)
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(
      /columns\.id: the file has no column 'incident_num' \(its columns: a, b, c\)/,
    )
    expect(job.report).toBeNull()
  })
})

import { parseCatalogueFile } from '../../src/app/catalogue/parse-catalogue-file.js'
import type { CallType, CatalogueFile } from '../../src/domain/catalogue/catalogue-schema.js'
import { MINI_CATALOGUE } from './test-app.js'

/** The test catalogue, parsed and checked exactly as an import would. */
export const mini: CatalogueFile = parseCatalogueFile(MINI_CATALOGUE)

export function miniType(code: string): CallType {
  const ct = mini.callTypes.find((c) => c.code === code)
  if (!ct) throw new Error(`no ${code} in the mini catalogue`)
  return ct
}

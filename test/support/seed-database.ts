import { openStore } from '../../src/store/open-store.js'
import { seedRoleTokens } from './test-app.js'

/** Migrates a database and gives it the per-role test API tokens, before a server starts on it. */
export async function seedDatabase(url: string): Promise<void> {
  const store = openStore({ url })
  try {
    await store.migrate()
    await seedRoleTokens(store)
  } finally {
    await store.close()
  }
}

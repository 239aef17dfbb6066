/**
 * `npm run bench -- NAME [--quick]`: runs bench/NAME.ts. Every benchmark prints its figures and
 * ends with one line of JSON holding the figures and their targets. Benchmarks are never part
 * of `npm test`.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
const [name, ...rest] = process.argv.slice(2)
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [--quick]\n  NAME: ${available.join(', ')}`)
  process.exit(2)
}
const mod = (await import(`./${name}.ts`)) as {
  run: (opts: { quick: boolean }) => Promise<Record<string, unknown>>
}
const result = await mod.run({ quick: rest.includes('--quick') })
console.log(JSON.stringify({ bench: name, quick: rest.includes('--quick'), ...result }))
process.exit(0)

import { randomFillSync } from 'node:crypto'
import type { IdGenerator } from '../domain/shared/ids.js'
import type { Clock } from '../domain/shared/instant.js'

export const systemClock: Clock = { now: () => Date.now() }

/**
 * UUIDv7 ids (RFC 9562): time-ordered, so new rows land at the end of their indexes instead of
 * all over them. The counter keeps ids from one millisecond in order.
 */
export function uuidV7Generator(clock: Clock = systemClock): IdGenerator {
  let lastMs = -1
  let counter = 0
  // One system call fills randomness for 256 ids.
  const pool = Buffer.alloc(16 * 256)
  let offset = pool.length
  return {
    next() {
      if (offset === pool.length) {
        randomFillSync(pool)
        offset = 0
      }
      const ms = clock.now()
      counter = ms === lastMs ? (counter + 1) & 0xfff : 0
      lastMs = ms
      const b = pool.subarray(offset, offset + 16)
      offset += 16
      b.writeUIntBE(ms, 0, 6)
      b[6] = 0x70 | (counter >> 8)
      b[7] = counter & 0xff
      b[8] = 0x80 | ((b[8] as number) & 0x3f)
      const h = b.toString('hex')
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    },
  }
}

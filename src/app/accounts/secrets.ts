import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/** Argon2id with OWASP's minimum (19 MiB, 2 passes): about 7 ms a hash on our machines. */
const ARGON2 = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// A hash to verify against when the user does not exist, so the answer takes as long either way.
let decoy: Promise<string> | null = null
export async function spendVerifyTime(password: string): Promise<void> {
  decoy ??= hashPassword('no such user, no such password')
  await verifyPassword(await decoy, password)
}

/** A new random secret for a session or API token (256 bits, URL-safe). */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

/** Secrets are stored as SHA-256: they are random, so a fast hash is enough and lookups stay indexed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stopServer } from './server-process.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./smtp-capture-server.ts', import.meta.url))

export interface CapturedMessage {
  /** Envelope sender (MAIL FROM). */
  from: string
  /** Envelope recipients the server accepted (RCPT TO). */
  to: string[]
  /** The message as it arrived: headers, blank line, body. */
  raw: string
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:<port> */
  url: string
  /** Every message accepted so far, oldest first. */
  messages(): Promise<CapturedMessage[]>
  stop(): Promise<void>
}

/**
 * A real SMTP server (smtp-server) in its own process, as a relay would be: the sender under
 * test talks to it over TCP, and what arrived is read back from the file the server writes.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const dir = await mkdtemp(join(tmpdir(), 'triage311-smtp-'))
  const file = join(dir, 'messages.jsonl')
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, file, '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stderr?.on('data', (d) => {
    out += d
  })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`SMTP capture did not start:\n${out}`)),
        30_000,
      )
      child.stdout?.on('data', (d) => {
        out += d
        const match = /LISTENING (\d+)/.exec(out)
        if (match) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`SMTP capture exited (${code}) before listening:\n${out}`))
      })
    })
    return {
      url: `smtp://127.0.0.1:${port}`,
      async messages() {
        let text: string
        try {
          text = await readFile(file, 'utf8')
        } catch {
          return [] // nothing has arrived yet, so the file was never created
        }
        return text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as CapturedMessage)
      },
      async stop() {
        await stopServer(child)
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await stopServer(child)
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

/** The header section of a raw message, unfolded, by lower-case name (first occurrence wins). */
export function headersOf(raw: string): Map<string, string> {
  const end = raw.indexOf('\r\n\r\n')
  const section = (end === -1 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ')
  const headers = new Map<string, string>()
  for (const line of section.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim())
  }
  return headers
}

/** The body of a raw message as sent (no transfer decoding; tests send short ASCII text). */
export function bodyOf(raw: string): string {
  const end = raw.indexOf('\r\n\r\n')
  return end === -1 ? '' : raw.slice(end + 4)
}

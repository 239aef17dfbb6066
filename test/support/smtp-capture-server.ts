/**
 * A real SMTP server for tests, run as its own process by smtp-capture.ts:
 *   node --import tsx test/support/smtp-capture-server.ts <capture-file> [port]
 * Each accepted message is appended to <capture-file> as one JSON line {from, to, raw}, before
 * the server answers 250, so a client that saw its send succeed can read the file at once.
 * Prints "LISTENING <port>" when ready. Plain text only (no STARTTLS), authentication optional.
 *
 * Recipients whose local part starts with "reject" get a permanent 550 and those starting with
 * "tempfail" a transient 451, so tests can see how a sender reports real SMTP refusals.
 */
import { appendFileSync } from 'node:fs'
import { SMTPServer } from 'smtp-server'

const [file, portArg] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: smtp-capture-server.ts <capture-file> [port]')
  process.exit(2)
}

function refusal(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode })
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username ?? 'anonymous' })
  },
  onRcptTo(address, _session, callback) {
    const local = address.address.split('@')[0] ?? ''
    if (local.startsWith('reject')) return callback(refusal('5.1.1 No such user here', 550))
    if (local.startsWith('tempfail')) return callback(refusal('4.2.1 Mailbox busy', 451))
    callback()
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('error', callback)
    stream.on('end', () => {
      const { mailFrom, rcptTo } = session.envelope
      const line = JSON.stringify({
        from: mailFrom === false ? '' : mailFrom.address,
        to: rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      })
      appendFileSync(file, `${line}\n`)
      callback()
    })
  },
})

server.on('error', (err) => console.error('smtp capture server:', err.message))
server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const addr = server.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0
  console.log(`LISTENING ${port}`)
})

const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)

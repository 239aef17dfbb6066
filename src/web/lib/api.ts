/**
 * The console's one way to the staff API: same-origin cookie session, the CSRF token on every
 * change, and errors turned into messages the user can act on.
 */
let csrfToken: string | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly problems: Array<{ path: string; message: string }>
  constructor(
    status: number,
    body: {
      error?: {
        code?: string
        message?: string
        problems?: Array<{ path: string; message: string }>
      }
    },
  ) {
    super(body.error?.message ?? `request failed (${status})`)
    this.status = status
    this.code = body.error?.code ?? 'error'
    this.problems = body.error?.problems ?? []
  }
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  // A file (an upload) goes as it is; anything else as JSON.
  const file = body instanceof Blob
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined
        ? { 'content-type': file ? body.type || 'application/octet-stream' : 'application/json' }
        : {}),
      ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: file ? body : JSON.stringify(body) } : {}),
  })
  if (res.status === 204) return undefined as T
  const json = await res.json().catch(() => ({}))
  if (!res.ok) throw new ApiError(res.status, json)
  return json as T
}

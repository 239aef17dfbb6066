/**
 * Errors the domain and use cases throw. Each has a stable `code` that clients can rely on;
 * the HTTP edge maps codes to statuses in one place (src/server/plugins/error-handler.ts).
 * Nothing here knows about HTTP.
 */
export class DomainError extends Error {
  readonly code: string
  /** Extra, non-sensitive detail for the client (for example which field was wrong). */
  readonly details: Record<string, unknown> | undefined

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.details = details
  }
}

/** One problem with one input field; `path` is dotted (`answers.loss_value`). */
export interface FieldProblem {
  path: string
  message: string
}

/** The input is wrong; every problem found is listed, so the user can fix them all at once. */
export class ValidationError extends DomainError {
  readonly problems: FieldProblem[]

  constructor(problems: FieldProblem[], message?: string) {
    const first = problems[0]
    super(
      'validation_failed',
      message ?? (first ? `${first.path}: ${first.message}` : 'invalid input'),
      { problems },
    )
    this.problems = problems
  }
}

/** The thing asked for does not exist (or the actor may not know that it does). */
export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} '${id}' was not found`, { what, id })
  }
}

/** The value looked up, or a NotFoundError naming what was looked for. */
export function found<T>(value: T | null | undefined, what: string, id: string): T {
  if (value === null || value === undefined) throw new NotFoundError(what, id)
  return value
}

/** The actor may not do this. */
export class ForbiddenError extends DomainError {
  constructor(action: string) {
    super('forbidden', `not allowed to ${action}`, { action })
  }
}

/** No valid credentials were presented. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'sign in first: send a valid bearer token') {
    super('unauthenticated', message)
  }
}

/** The request is valid but conflicts with the current state (a rule or a concurrent change). */
export class ConflictError extends DomainError {}

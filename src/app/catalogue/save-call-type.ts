import type { Actor } from '../../domain/access/roles.js'
import { callTypeSchema } from '../../domain/catalogue/catalogue-schema.js'
import { checkCallType } from '../../domain/catalogue/check-call-type.js'
import { ValidationError } from '../../domain/shared/errors.js'
import type { StoredCallType } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'

export interface SaveCallTypeInput {
  definition: unknown
  reason: string
  /** The revision the editor started from; null to create a new call type. */
  expectedRevision: number | null
}

/**
 * Creates or edits one call type. The definition is checked like a catalogue file's, and the
 * change is recorded with its reason.
 */
export async function saveCallType(
  deps: AppDeps,
  actor: Actor,
  input: SaveCallTypeInput,
): Promise<StoredCallType> {
  const parsed = callTypeSchema.safeParse(input.definition)
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((i) => ({
        path: ['definition', ...i.path].join('.'),
        message: i.message,
      })),
    )
  }
  if (input.reason.trim().length < 3) {
    throw new ValidationError([{ path: 'reason', message: 'say why the call type changes' }])
  }
  const snap = await deps.catalogue.snapshot()
  const problems = checkCallType(
    parsed.data,
    {
      agencyCodes: snap.agencyCodes,
      priorityLevels: snap.priorityLevels,
      screening: snap.screening,
    },
    'definition.',
  )
  if (problems.length > 0) throw new ValidationError(problems)
  const saved = await deps.store.catalogue.saveCallType(parsed.data, {
    actor: actor.id,
    at: deps.clock.now(),
    reason: input.reason.trim(),
    expectedRevision: input.expectedRevision,
  })
  deps.catalogue.invalidate()
  await audit(
    deps,
    actor,
    'configuration_changed',
    'success',
    { type: 'call_type', id: saved.code },
    { revision: saved.revision, reason: input.reason.trim() },
  )
  deps.log.info(
    { callType: saved.code, revision: saved.revision, actor: actor.id },
    'call type saved',
  )
  return saved
}

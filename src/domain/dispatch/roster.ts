import type { FieldProblem } from '../shared/errors.js'
import {
  SPLIT_FORCE_ROLES,
  type SplitForceRole,
  UNIT_TYPES,
  type Unit,
  type UnitType,
} from './unit.js'

/** The roster fields a file sets; status and history are never imported. */
export type RosterEntry = Pick<
  Unit,
  'callSign' | 'type' | 'splitForceRole' | 'shift' | 'district' | 'beat' | 'onDuty'
>

/** The columns of a roster file, as a CAD or a spreadsheet exports them. */
export const ROSTER_COLUMNS = [
  'call_sign',
  'type',
  'split_force_role',
  'shift',
  'district',
  'beat',
  'on_duty',
] as const

const YES = new Set(['yes', 'y', 'true', '1', 'on'])
const NO = new Set(['no', 'n', 'false', '0', 'off', ''])

/**
 * Reads one line of a roster file. Problems name the line (counting the header as line 1) and
 * the column, so a supervisor can fix the spreadsheet and import again.
 */
export function readRosterLine(
  record: Readonly<Record<string, string | undefined>>,
  line: number,
): { entry: RosterEntry } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const at = (column: string, message: string) =>
    problems.push({ path: `line ${line}.${column}`, message })
  const text = (k: string) => (record[k] ?? '').trim()
  const callSign = text('call_sign').toUpperCase()
  if (!/^[A-Z0-9-]{1,16}$/.test(callSign))
    at('call_sign', 'a call sign is 1 to 16 letters, digits or dashes')
  const type = text('type')
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  if (!(UNIT_TYPES as readonly string[]).includes(type))
    at('type', `'${text('type')}' is not a unit type (${UNIT_TYPES.join(', ')})`)
  const role = text('split_force_role')
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  if (role && !(SPLIT_FORCE_ROLES as readonly string[]).includes(role))
    at(
      'split_force_role',
      `'${text('split_force_role')}' is not a split-force role (${SPLIT_FORCE_ROLES.join(', ')}, or empty)`,
    )
  const duty = text('on_duty').toLowerCase()
  if (!YES.has(duty) && !NO.has(duty)) at('on_duty', `'${text('on_duty')}' is not yes or no`)
  for (const [k, max] of [
    ['shift', 20],
    ['district', 60],
    ['beat', 20],
  ] as const)
    if (text(k).length > max) at(k, `at most ${max} characters`)
  if (problems.length > 0) return { problems }
  const orNull = (s: string) => s || null
  return {
    entry: {
      callSign,
      type: type as UnitType,
      splitForceRole: (role || null) as SplitForceRole | null,
      shift: orNull(text('shift')),
      district: orNull(text('district')),
      beat: orNull(text('beat')),
      onDuty: YES.has(duty),
    },
  }
}

/** Whether importing the entry would change the unit. */
export function rosterChanges(unit: Unit, entry: RosterEntry): boolean {
  return (Object.keys(entry) as Array<keyof RosterEntry>).some((k) => unit[k] !== entry[k])
}

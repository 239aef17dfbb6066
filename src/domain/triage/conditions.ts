import type { Answers } from '../catalogue/answers.js'
import type { Condition } from '../catalogue/catalogue-schema.js'
import type { Channel } from '../catalogue/vocabulary.js'

/** What a condition may look at besides the answers. */
export interface ConditionFacts {
  answers: Answers
  channel: Channel
  /** Local hour of day, 0-23, in the city's time zone. */
  localHour: number
  hasLocation: boolean
}

/** Whether a catalogue condition holds. An unanswered question never satisfies a comparison. */
export function holds(c: Condition, f: ConditionFacts): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, f))
  if ('any' in c) return c.any.some((x) => holds(x, f))
  if ('not' in c) return !holds(c.not, f)
  if ('answered' in c) return c.answered in f.answers
  if ('channel' in c) return c.channel.includes(f.channel)
  if ('hasLocation' in c) return c.hasLocation === f.hasLocation
  if ('hours' in c) {
    const [from, to] = c.hours
    return from <= to
      ? f.localHour >= from && f.localHour < to
      : f.localHour >= from || f.localHour < to
  }
  const value = f.answers[c.answer]
  if (value === undefined) return false
  if ('equals' in c) return value === c.equals
  if ('in' in c) return !Array.isArray(value) && c.in.includes(value)
  if ('includes' in c) return Array.isArray(value) && value.includes(c.includes)
  if (typeof value !== 'number') return false
  return (c.gte === undefined || value >= c.gte) && (c.lte === undefined || value <= c.lte)
}

/** A short readable form of a condition, for explanations ("source = construction and 7-19h"). */
export function describe(c: Condition): string {
  if ('all' in c) return c.all.map(describe).join(' and ')
  if ('any' in c) return `(${c.any.map(describe).join(' or ')})`
  if ('not' in c) return `not (${describe(c.not)})`
  if ('answered' in c) return `${c.answered} answered`
  if ('channel' in c) return `channel is ${c.channel.join('/')}`
  if ('hasLocation' in c) return c.hasLocation ? 'location known' : 'no location'
  if ('hours' in c) return `local time ${c.hours[0]}:00-${c.hours[1]}:00`
  if ('equals' in c) return `${c.answer} = ${String(c.equals)}`
  if ('in' in c) return `${c.answer} in ${c.in.join('/')}`
  if ('includes' in c) return `${c.answer} includes ${c.includes}`
  const parts = [c.gte !== undefined ? `≥ ${c.gte}` : '', c.lte !== undefined ? `≤ ${c.lte}` : '']
  return `${c.answer} ${parts.filter(Boolean).join(' and ')}`
}

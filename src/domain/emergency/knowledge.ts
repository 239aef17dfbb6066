import { ForbiddenError, ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'

/**
 * Official information (issue #10 item 2): one voice for the centre. An article is a topic
 * (usually a call type's script); its text lives in numbered versions. A version is shown only
 * once someone other than its author has approved it, and only within its validity period.
 */
export const AUDIENCES = ['call_takers', 'public'] as const
export type Audience = (typeof AUDIENCES)[number]

export interface KnowledgeArticle {
  id: string
  title: string
  audience: Audience
  /** The call type whose intake panel shows it; null for a general article (an FAQ). */
  callType: string | null
  /** The activation whose FAQ lists it; null for the everyday information. */
  activationId: string | null
  createdAt: Instant
  createdBy: string
}

export interface KnowledgeVersion {
  id: string
  articleId: string
  version: number
  body: string
  author: string
  createdAt: Instant
  validFrom: Instant
  /** Null: valid until a newer approved version replaces it. */
  validTo: Instant | null
  approvedBy: string | null
  approvedAt: Instant | null
}

export function draftVersion(input: {
  id: string
  articleId: string
  version: number
  body: string
  author: string
  now: Instant
  validFrom?: Instant | null
  validTo?: Instant | null
}): KnowledgeVersion {
  const validFrom = input.validFrom ?? input.now
  const validTo = input.validTo ?? null
  const problems = []
  if (!input.body.trim()) problems.push({ path: 'body', message: 'write the text of the article' })
  if (validTo !== null && validTo <= validFrom)
    problems.push({ path: 'validTo', message: 'the end of validity must come after its start' })
  if (problems.length) throw new ValidationError(problems)
  return {
    id: input.id,
    articleId: input.articleId,
    version: input.version,
    body: input.body.trim(),
    author: input.author,
    createdAt: input.now,
    validFrom,
    validTo,
    approvedBy: null,
    approvedAt: null,
  }
}

/** Four eyes: the approver must not be the author, and a version is approved once. */
export function approveVersion(
  v: KnowledgeVersion,
  approver: string,
  now: Instant,
): KnowledgeVersion {
  if (v.approvedAt !== null)
    throw new ValidationError([{ path: 'version', message: 'this version is already approved' }])
  if (v.author === approver)
    throw new ForbiddenError('approve a version you wrote yourself (someone else must approve it)')
  return { ...v, approvedBy: approver, approvedAt: now }
}

/** The version to show now: the newest approved one whose validity covers the instant. */
export function currentVersion(
  versions: readonly KnowledgeVersion[],
  now: Instant,
): KnowledgeVersion | null {
  let best: KnowledgeVersion | null = null
  for (const v of versions) {
    if (v.approvedAt === null || v.validFrom > now) continue
    if (v.validTo !== null && now >= v.validTo) continue
    if (!best || v.version > best.version) best = v
  }
  return best
}

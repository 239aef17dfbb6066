import type { Actor } from '../../domain/access/roles.js'
import {
  type Audience,
  approveVersion,
  currentVersion,
  draftVersion,
  type KnowledgeArticle,
  type KnowledgeVersion,
} from '../../domain/emergency/knowledge.js'
import { ConflictError, found, NotFoundError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'

/** Official information (issue #10 item 2): write, version, approve, show, record use. */

export interface ArticleWithVersions {
  article: KnowledgeArticle
  versions: KnowledgeVersion[]
  current: KnowledgeVersion | null
}

export async function createArticle(
  deps: AppDeps,
  actor: Actor,
  input: {
    title: string
    audience: Audience
    callType?: string | null
    activationId?: string | null
    body: string
    validFrom?: Instant | null
    validTo?: Instant | null
  },
): Promise<ArticleWithVersions> {
  const now = deps.clock.now()
  const callType = input.callType ? input.callType.trim().toUpperCase() : null
  if (callType) await deps.catalogue.callType(callType) // 404 naming the code if unknown
  if (input.activationId)
    found(await deps.store.activations.get(input.activationId), 'activation', input.activationId)
  const article: KnowledgeArticle = {
    id: deps.ids.next(),
    title: input.title.trim(),
    audience: input.audience,
    callType,
    activationId: input.activationId ?? null,
    createdAt: now,
    createdBy: actor.id,
  }
  const first = draftVersion({
    id: deps.ids.next(),
    articleId: article.id,
    version: 1,
    body: input.body,
    author: actor.id,
    now,
    validFrom: input.validFrom ?? null,
    validTo: input.validTo ?? null,
  })
  await deps.store.knowledge.createArticle(article, first)
  return { article, versions: [first], current: null }
}

export async function reviseArticle(
  deps: AppDeps,
  actor: Actor,
  articleId: string,
  input: { body: string; validFrom?: Instant | null; validTo?: Instant | null },
): Promise<KnowledgeVersion> {
  const article = found(await deps.store.knowledge.article(articleId), 'article', articleId)
  const versions = await deps.store.knowledge.versions([article.id])
  const v = draftVersion({
    id: deps.ids.next(),
    articleId: article.id,
    version: Math.max(0, ...versions.map((x) => x.version)) + 1,
    body: input.body,
    author: actor.id,
    now: deps.clock.now(),
    validFrom: input.validFrom ?? null,
    validTo: input.validTo ?? null,
  })
  await deps.store.knowledge.addVersion(v)
  return v
}

export async function approveArticleVersion(
  deps: AppDeps,
  actor: Actor,
  versionId: string,
): Promise<KnowledgeVersion> {
  const v = found(await deps.store.knowledge.version(versionId), 'article version', versionId)
  const approved = approveVersion(v, actor.id, deps.clock.now())
  if (!(await deps.store.knowledge.approve(approved)))
    throw new ConflictError('already_approved', 'this version was approved meanwhile')
  await audit(deps, actor, 'knowledge_approved', 'success', {
    type: 'knowledge_version',
    id: v.id,
  })
  return approved
}

async function withVersions(
  deps: AppDeps,
  articles: KnowledgeArticle[],
): Promise<ArticleWithVersions[]> {
  const versions = await deps.store.knowledge.versions(articles.map((a) => a.id))
  const now = deps.clock.now()
  return articles.map((article) => {
    const mine = versions.filter((v) => v.articleId === article.id)
    return { article, versions: mine, current: currentVersion(mine, now) }
  })
}

export async function listArticles(
  deps: AppDeps,
  filter: { callType?: string; audience?: Audience; activationId?: string },
): Promise<ArticleWithVersions[]> {
  return withVersions(deps, await deps.store.knowledge.articles(filter))
}

export async function articleView(deps: AppDeps, id: string): Promise<ArticleWithVersions> {
  const a = found(await deps.store.knowledge.article(id), 'article', id)
  return (await withVersions(deps, [a]))[0] as ArticleWithVersions
}

/**
 * What may be shown: only the current approved version of each article, for one audience.
 * Call-takers never see a draft (research §5.4), the public never sees a call-taker script.
 */
export async function approvedFor(
  deps: AppDeps,
  filter: { callType?: string; audience: Audience; activationId?: string },
): Promise<Array<{ article: KnowledgeArticle; version: KnowledgeVersion }>> {
  const all = await listArticles(deps, filter)
  return all.flatMap((a) => (a.current ? [{ article: a.article, version: a.current }] : []))
}

/** Records that a script was read to a caller: the answer stays traceable to its version. */
export async function recordScriptUsed(
  deps: AppDeps,
  actor: Actor,
  incidentId: string,
  versionId: string,
): Promise<void> {
  if (!(await deps.store.incidents.get(incidentId))) throw new NotFoundError('incident', incidentId)
  const v = found(await deps.store.knowledge.version(versionId), 'article version', versionId)
  // Only an approved version may be recorded as an answer; a draft was never official.
  if (v.approvedAt === null)
    throw new ConflictError('not_approved', 'this version is not approved; use the current one')
  await deps.store.knowledge.recordGiven({
    incidentId,
    at: deps.clock.now(),
    actor: actor.id,
    knowledgeVersionId: v.id,
    facilityId: null,
    distanceMetres: null,
    canReach: null,
    callbackId: null,
  })
}

/**
 * The approved public text of each call type that has one: the Open311 service list and the
 * residents' page describe the service in the city's official words (one voice).
 */
export async function publicServiceText(deps: AppDeps): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const { article, version } of await approvedFor(deps, { audience: 'public' }))
    if (article.callType && !out.has(article.callType)) out.set(article.callType, version.body)
  return out
}

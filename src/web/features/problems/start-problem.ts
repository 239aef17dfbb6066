/**
 * How another screen opens the "New problem" form already filled in: the analyst workspace's
 * hot-spot list links to `#/problems/new?blocks=A,B` (or `?cells=…`, or `?incidents=…`).
 */
export interface ProblemStart {
  kind: 'block' | 'cell' | 'incident'
  places: readonly string[]
  /** A suggested title, such as "Hot spot: 400 BLOCK E PRATT ST". */
  title?: string
}

const PARAM: Record<ProblemStart['kind'], string> = {
  block: 'blocks',
  cell: 'cells',
  incident: 'incidents',
}

/** The console address of the New problem form for these places. */
export function problemLinkFrom(start: ProblemStart): string {
  const q = new URLSearchParams()
  // One parameter, comma-separated, so the address stays readable when copied.
  q.set(PARAM[start.kind], start.places.join(','))
  if (start.title) q.set('title', start.title)
  return `#/problems/new?${q.toString()}`
}

/** Opens the New problem form for these places. */
export function startProblemFrom(start: ProblemStart): void {
  window.location.hash = problemLinkFrom(start)
}

/** Reads the form's starting values back from the address (`/problems/new?…`). */
export function readProblemStart(route: string): {
  blocks: string[]
  cells: string[]
  incidents: string[]
  title: string
} {
  const q = new URLSearchParams(route.split('?')[1] ?? '')
  const list = (name: string) =>
    (q.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  return {
    blocks: list('blocks'),
    cells: list('cells'),
    incidents: list('incidents'),
    title: q.get('title') ?? '',
  }
}

import { useId, useMemo, useState } from 'react'
import { Listbox } from '../../components/listbox.js'
import type { CallTypeSummary } from './intake-api.js'

/** Type-ahead over call types by code, name and synonyms. */
export function CallTypePicker({
  all,
  selected,
  onPick,
}: {
  all: CallTypeSummary[]
  selected: CallTypeSummary | null
  onPick: (c: CallTypeSummary) => void
}) {
  const [text, setText] = useState('')
  const [active, setActive] = useState(0)
  const [open, setOpen] = useState(false)
  const listId = useId()
  const matches = useMemo(() => {
    const q = text.trim().toLowerCase()
    if (q.length < 2) return []
    const score = (c: CallTypeSummary) =>
      c.name.toLowerCase().startsWith(q) || c.code.toLowerCase().startsWith(q)
        ? 0
        : c.synonyms.some((s) => s.toLowerCase().startsWith(q))
          ? 1
          : 2
    return all
      .filter(
        (c) =>
          c.code.toLowerCase().includes(q) ||
          c.name.toLowerCase().includes(q) ||
          c.synonyms.some((s) => s.toLowerCase().includes(q)),
      )
      .sort((a, b) => score(a) - score(b))
      .slice(0, 8)
  }, [all, text])
  const pick = (c: CallTypeSummary) => {
    onPick(c)
    setText('')
    setOpen(false)
  }
  return (
    <div className="combo">
      <label htmlFor={`${listId}-input`}>Call type{selected ? `: ${selected.name}` : ''}</label>
      <input
        id={`${listId}-input`}
        role="combobox"
        aria-expanded={open && matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        value={text}
        placeholder={selected ? 'change the call type' : 'loud music, pothole, car break-in…'}
        onChange={(e) => {
          setText(e.target.value)
          setActive(0)
          setOpen(true)
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            setActive((a) => Math.min(a + 1, matches.length - 1))
          } else if (e.key === 'ArrowUp') {
            e.preventDefault()
            setActive((a) => Math.max(a - 1, 0))
          } else if (e.key === 'Enter' && matches[active]) {
            e.preventDefault()
            pick(matches[active] as CallTypeSummary)
          }
        }}
      />
      {open && matches.length > 0 && (
        <Listbox
          id={listId}
          label="Call types"
          items={matches}
          active={active}
          keyOf={(c) => c.code}
          render={(c) => (
            <>
              {c.name} <small>{c.group}</small>
            </>
          )}
          onPick={pick}
        />
      )}
    </div>
  )
}

import { useEffect, useId, useState } from 'react'
import { Listbox } from '../../components/listbox.js'
import { type Suggestion, suggest } from './intake-api.js'

/**
 * The location box: suggestions from the second character (addresses, intersections, streets,
 * places), chosen with the arrow keys and Enter, as an ARIA combobox.
 */
export function LocationBox({
  value,
  onText,
  onPick,
}: {
  value: string
  onText: (t: string) => void
  onPick: (s: Suggestion) => void
}) {
  const [options, setOptions] = useState<Suggestion[]>([])
  const [active, setActive] = useState(0)
  const [open, setOpen] = useState(false)
  const listId = useId()

  useEffect(() => {
    if (value.trim().length < 2) {
      setOptions([])
      return
    }
    const t = setTimeout(() => {
      suggest(value)
        .then((s) => {
          setOptions(s)
          setActive(0)
        })
        .catch(() => setOptions([]))
    }, 60)
    return () => clearTimeout(t)
  }, [value])

  const pick = (s: Suggestion) => {
    onPick(s)
    setOpen(false)
  }
  return (
    <div className="combo">
      <label htmlFor={`${listId}-input`}>Location</label>
      <input
        id={`${listId}-input`}
        role="combobox"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        value={value}
        placeholder="4300 E Lombard St, or Lombard & Broadway"
        onChange={(e) => {
          onText(e.target.value)
          setOpen(true)
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            setActive((a) => Math.min(a + 1, options.length - 1))
          } else if (e.key === 'ArrowUp') {
            e.preventDefault()
            setActive((a) => Math.max(a - 1, 0))
          } else if (e.key === 'Enter' && open && options[active]) {
            e.preventDefault()
            pick(options[active] as Suggestion)
          } else if (e.key === 'Escape') setOpen(false)
        }}
      />
      {open && options.length > 0 && (
        <Listbox
          id={listId}
          label="Location suggestions"
          items={options}
          active={active}
          keyOf={(o) => `${o.kind}-${o.label}`}
          render={(o) => (
            <>
              {o.label}
              {o.block && <small> · {o.block}</small>}
            </>
          )}
          onPick={pick}
        />
      )}
    </div>
  )
}

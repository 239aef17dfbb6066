import type { ReactNode } from 'react'

/**
 * The popup list of a combobox (WAI-ARIA combobox pattern): focus stays in the input, which
 * points at the active option with aria-activedescendant, so the options are not focusable.
 */
export function Listbox<T>({
  id,
  label,
  items,
  active,
  keyOf,
  render,
  onPick,
}: {
  id: string
  label: string
  items: readonly T[]
  active: number
  keyOf: (item: T) => string
  render: (item: T) => ReactNode
  onPick: (item: T) => void
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the combobox pattern's listbox
    <ul id={id} role="listbox" aria-label={label}>
      {items.map((item, i) => (
        // biome-ignore lint/a11y/useFocusableInteractive: options are reached by aria-activedescendant
        <li
          key={keyOf(item)}
          id={`${id}-${i}`}
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the combobox pattern's option
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => {
            e.preventDefault()
            onPick(item)
          }}
        >
          {render(item)}
        </li>
      ))}
    </ul>
  )
}

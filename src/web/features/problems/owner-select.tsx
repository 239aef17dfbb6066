import type { Owner } from './problems-api.js'

/** The owner picker: the NSC, agencies and officers, grouped. */
export function OwnerSelect({
  owners,
  value,
  onChange,
  label = 'Owner',
}: {
  owners: Owner[]
  value: string
  onChange: (v: string) => void
  label?: string
}) {
  const group = (kind: Owner['kind']) => owners.filter((o) => o.kind === kind)
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Nobody yet</option>
        {(
          [
            ['nsc', 'Neighborhood Service Centers'],
            ['officer', 'Officers'],
            ['agency', 'City agencies'],
          ] as const
        ).map(([kind, name]) =>
          group(kind).length > 0 ? (
            <optgroup key={kind} label={name}>
              {group(kind).map((o) => (
                <option key={`${o.kind}:${o.id}`} value={`${o.kind}:${o.id}`}>
                  {o.name}
                </option>
              ))}
            </optgroup>
          ) : null,
        )}
      </select>
    </label>
  )
}

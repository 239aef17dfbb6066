/** The From and To dates of an analytics form (local dates, inclusive). */
export function PeriodFields<P extends { from: string; to: string }>(props: {
  value: P
  onChange: (next: P) => void
}) {
  const { value, onChange } = props
  return (
    <>
      <label>
        From{' '}
        <input
          type="date"
          value={value.from}
          onChange={(e) => onChange({ ...value, from: e.target.value })}
        />
      </label>
      <label>
        To{' '}
        <input
          type="date"
          value={value.to}
          onChange={(e) => onChange({ ...value, to: e.target.value })}
        />
      </label>
    </>
  )
}

import type { Answers, CallType, EscalationQuestion, Question } from './intake-api.js'

/**
 * The call type's protocol: the emergency questions first (yes or no), then the questions the
 * call-taker must ask and code. Answers validate as they are typed; nothing is lost on a change.
 */
export function ProtocolForm({
  callType,
  screening,
  answers,
  onChange,
  missing,
}: {
  callType: CallType
  screening: EscalationQuestion[]
  answers: Answers
  onChange: (a: Answers) => void
  missing: string[]
}) {
  const set = (code: string, v: Answers[string] | undefined) => {
    const next = { ...answers }
    if (v === undefined || v === '') delete next[code]
    else next[code] = v
    onChange(next)
  }
  return (
    <div className="protocol">
      <fieldset className="escalation">
        <legend>Emergency questions</legend>
        {[...callType.escalation, ...screening].map((q) => (
          <YesNo
            key={q.code}
            code={q.code}
            prompt={q.prompt}
            value={answers[q.code] as boolean | undefined}
            onChange={(v) => set(q.code, v)}
          />
        ))}
      </fieldset>
      {callType.questions.length > 0 && (
        <fieldset>
          <legend>Protocol questions</legend>
          {callType.questions.map((q) => (
            <QuestionField
              key={q.code}
              q={q}
              value={answers[q.code]}
              onChange={(v) => set(q.code, v)}
              missing={missing.includes(q.code)}
            />
          ))}
        </fieldset>
      )}
    </div>
  )
}

function YesNo({
  code,
  prompt,
  value,
  onChange,
}: {
  code: string
  prompt: string
  value: boolean | undefined
  onChange: (v: boolean | undefined) => void
}) {
  return (
    <div className="yesno" role="radiogroup" aria-label={prompt}>
      <span>{prompt}</span>
      <label>
        <input type="radio" name={code} checked={value === true} onChange={() => onChange(true)} />{' '}
        Yes
      </label>
      <label>
        <input
          type="radio"
          name={code}
          checked={value === false}
          onChange={() => onChange(false)}
        />{' '}
        No
      </label>
    </div>
  )
}

function QuestionField({
  q,
  value,
  onChange,
  missing,
}: {
  q: Question
  value: Answers[string] | undefined
  onChange: (v: Answers[string] | undefined) => void
  missing: boolean
}) {
  const label = `${q.prompt}${q.required ? ' (required)' : ''}`
  const invalid = missing ? { 'aria-invalid': true as const } : {}
  switch (q.type) {
    case 'boolean':
      return (
        <YesNo
          code={q.code}
          prompt={label}
          value={value as boolean | undefined}
          onChange={onChange}
        />
      )
    case 'single':
      return (
        <label className="field">
          {label}
          <select
            value={(value as string | undefined) ?? ''}
            onChange={(e) => onChange(e.target.value || undefined)}
            {...invalid}
          >
            <option value="">—</option>
            {q.options?.map((o) => (
              <option key={o} value={o}>
                {o.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
      )
    case 'multi':
      return (
        <fieldset className="field">
          <legend>{label}</legend>
          {q.options?.map((o) => {
            const list = (value as string[] | undefined) ?? []
            return (
              <label key={o} className="inline">
                <input
                  type="checkbox"
                  checked={list.includes(o)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...list, o] : list.filter((x) => x !== o)
                    onChange(next.length ? next : undefined)
                  }}
                />
                {o.replaceAll('_', ' ')}
              </label>
            )
          })}
        </fieldset>
      )
    case 'number':
      return (
        <label className="field">
          {label}
          <input
            type="number"
            value={value === undefined ? '' : String(value)}
            onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
            {...invalid}
          />
        </label>
      )
    case 'text':
      return (
        <label className="field">
          {label}
          <textarea
            value={(value as string | undefined) ?? ''}
            onChange={(e) => onChange(e.target.value)}
            {...invalid}
          />
        </label>
      )
    default:
      return (
        <label className="field">
          {label}
          <input
            type={q.type === 'datetime' ? 'datetime-local' : 'text'}
            value={(value as string | undefined) ?? ''}
            onChange={(e) => onChange(e.target.value)}
            {...invalid}
          />
        </label>
      )
  }
}

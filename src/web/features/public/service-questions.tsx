import type { Attribute } from './public-api.js'

export type AnswerValue = string | string[]

/** The id of a question's input, for labels, error links and focus. */
export const questionId = (code: string) => `q-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`

/** Lists this short are radio buttons (all choices in view); longer ones are a select. */
const RADIO_MAX = 5

/**
 * A category's questions (the Open311 attributes with `variable: true`), each with its label,
 * its hint, "required" in words, and its error message tied to the input.
 */
export function ServiceQuestions({
  attributes,
  answers,
  errors,
  onChange,
}: {
  attributes: Attribute[]
  answers: Record<string, AnswerValue>
  errors: Record<string, string>
  onChange: (code: string, value: AnswerValue) => void
}) {
  const questions = attributes.filter((a) => a.variable).sort((a, b) => a.order - b.order)
  if (questions.length === 0) return null
  return (
    <fieldset className="pub-group">
      <legend className="pub-legend pub-label">About the problem</legend>
      {questions.map((a) => (
        <Question
          key={a.code}
          a={a}
          value={answers[a.code]}
          error={errors[questionId(a.code)]}
          onChange={(v) => onChange(a.code, v)}
        />
      ))}
    </fieldset>
  )
}

function Question({
  a,
  value,
  error,
  onChange,
}: {
  a: Attribute
  value: AnswerValue | undefined
  error: string | undefined
  onChange: (v: AnswerValue) => void
}) {
  const id = questionId(a.code)
  const hintId = a.datatype_description ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  const label = (
    <>
      {a.description}
      {a.required ? <span className="pub-req"> (required)</span> : null}
    </>
  )
  const hint = hintId ? (
    <p id={hintId} className="pub-hint">
      {a.datatype_description}
    </p>
  ) : null
  const message = errorId ? (
    <p id={errorId} className="pub-field-error">
      {error}
    </p>
  ) : null
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'aria-required': a.required || undefined,
  }
  const text = typeof value === 'string' ? value : ''
  const list = Array.isArray(value) ? value : []
  const values = a.values ?? []

  if (
    a.datatype === 'multivaluelist' ||
    (a.datatype === 'singlevaluelist' && values.length <= RADIO_MAX)
  ) {
    const multi = a.datatype === 'multivaluelist'
    return (
      <fieldset className="pub-choices" id={id} tabIndex={-1} aria-describedby={describedBy}>
        <legend className="pub-legend pub-label">
          {label}
          {multi ? <span className="pub-hint-inline"> Choose all that apply.</span> : null}
        </legend>
        {hint}
        {message}
        {values.map((v) => (
          <label key={v.key} className="pub-choice">
            <input
              type={multi ? 'checkbox' : 'radio'}
              name={id}
              value={v.key}
              checked={multi ? list.includes(v.key) : text === v.key}
              onChange={(e) =>
                onChange(
                  multi
                    ? e.target.checked
                      ? [...list, v.key]
                      : list.filter((k) => k !== v.key)
                    : v.key,
                )
              }
            />
            <span>{v.name}</span>
          </label>
        ))}
        {!multi && !a.required ? (
          <label className="pub-choice">
            <input
              type="radio"
              name={id}
              value=""
              checked={text === ''}
              onChange={() => onChange('')}
            />
            <span>Not sure</span>
          </label>
        ) : null}
      </fieldset>
    )
  }

  return (
    <div className="pub-field">
      <label className="pub-label" htmlFor={id}>
        {label}
      </label>
      {hint}
      {message}
      {a.datatype === 'singlevaluelist' ? (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{a.required ? 'Choose one' : 'Not sure'}</option>
          {values.map((v) => (
            <option key={v.key} value={v.key}>
              {v.name}
            </option>
          ))}
        </select>
      ) : a.datatype === 'text' ? (
        <textarea
          {...common}
          rows={3}
          maxLength={2000}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type={a.datatype === 'datetime' ? 'datetime-local' : 'text'}
          inputMode={a.datatype === 'number' ? 'decimal' : undefined}
          maxLength={a.datatype === 'string' ? 200 : undefined}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </div>
  )
}

/**
 * Answers as the server reads them: empty ones left out, numbers checked, a local date and
 * time from the phone sent with its time zone. Returns the answers and any problems by input id.
 */
export function checkAnswers(
  attributes: Attribute[],
  answers: Record<string, AnswerValue>,
): { attributes: Record<string, AnswerValue>; problems: Record<string, string> } {
  const out: Record<string, AnswerValue> = {}
  const problems: Record<string, string> = {}
  for (const a of attributes) {
    if (!a.variable) continue
    const v = answers[a.code]
    const given = Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim() !== ''
    if (!given) {
      if (a.required) problems[questionId(a.code)] = `Answer "${a.description}"`
      continue
    }
    if (Array.isArray(v)) {
      out[a.code] = v
      continue
    }
    const s = (v as string).trim()
    if (a.datatype === 'number' && !Number.isFinite(Number(s.replace(/,/g, ''))))
      problems[questionId(a.code)] = `"${a.description}": enter a number, like 250`
    else if (a.datatype === 'number') out[a.code] = s.replace(/,/g, '')
    else if (a.datatype === 'datetime') {
      const t = new Date(s)
      if (Number.isNaN(t.getTime()))
        problems[questionId(a.code)] = `"${a.description}": enter a date and time`
      else out[a.code] = t.toISOString()
    } else out[a.code] = s
  }
  return { attributes: out, problems }
}

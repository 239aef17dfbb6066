import { useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

const SCORES: Array<[number, string]> = [
  [5, 'Very satisfied'],
  [4, 'Satisfied'],
  [3, 'Neither'],
  [2, 'Dissatisfied'],
  [1, 'Very dissatisfied'],
]

/** The satisfaction survey a caller reaches from the link in their closure message; no sign-in. */
export function SurveyPage({ token }: { token: string }) {
  const [question, setQuestion] = useState<{
    incidentNumber: string
    callType: string
    answered: boolean
  } | null>(null)
  const [score, setScore] = useState<number | null>(null)
  const [resolved, setResolved] = useState<boolean | null>(null)
  const [comment, setComment] = useState('')
  const [state, setState] = useState<'asking' | 'thanks' | { error: string }>('asking')

  useEffect(() => {
    api<{ incidentNumber: string; callType: string; answered: boolean }>(
      'GET',
      `/api/public/surveys/${token}`,
    )
      .then(setQuestion)
      .catch((err) =>
        setState({ error: err instanceof ApiError ? err.message : 'cannot reach the server' }),
      )
  }, [token])

  const submit = async () => {
    if (score === null || resolved === null) return
    try {
      await api('POST', `/api/public/surveys/${token}`, {
        score,
        resolved,
        ...(comment ? { comment } : {}),
      })
      setState('thanks')
    } catch (err) {
      setState({ error: err instanceof ApiError ? err.message : 'cannot reach the server' })
    }
  }

  return (
    <main className="survey">
      <h1>How did we do?</h1>
      {typeof state === 'object' && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      {state === 'thanks' || question?.answered ? (
        <p role="status">Thank you. Your answer helps us improve the service.</p>
      ) : (
        question && (
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void submit()
            }}
          >
            <p>
              About your report <strong>{question.incidentNumber}</strong> ({question.callType}).
            </p>
            <fieldset>
              <legend>How satisfied are you with how it was handled?</legend>
              {SCORES.map(([value, label]) => (
                <label key={value} className="choice">
                  <input
                    type="radio"
                    name="score"
                    checked={score === value}
                    onChange={() => setScore(value)}
                  />{' '}
                  {label}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>Was the problem dealt with?</legend>
              <label className="choice">
                <input
                  type="radio"
                  name="resolved"
                  checked={resolved === true}
                  onChange={() => setResolved(true)}
                />{' '}
                Yes
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name="resolved"
                  checked={resolved === false}
                  onChange={() => setResolved(false)}
                />{' '}
                No
              </label>
            </fieldset>
            <label className="field">
              Anything to add? (optional)
              <textarea
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                maxLength={1000}
              />
            </label>
            <button type="submit" disabled={score === null || resolved === null}>
              Send
            </button>
          </form>
        )
      )}
    </main>
  )
}

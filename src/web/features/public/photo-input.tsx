import { useId, useRef } from 'react'
import { MAX_PHOTO_BYTES } from './public-api.js'

/** A photo read in the browser, ready to send inside the JSON. */
export interface Photo {
  name: string
  size: number
  contentType: string
  base64: string
}

const readable = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.max(1, Math.round(n / 1024))} KB`

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}

/**
 * An optional photo: chosen or taken with the phone's camera, refused here when it is over
 * 2 MB (before anything is sent), shown as a small preview that can be removed.
 */
export function PhotoInput({
  id,
  photo,
  error,
  onChange,
  onError,
}: {
  id: string
  photo: Photo | null
  error: string | undefined
  onChange: (p: Photo | null) => void
  onError: (message: string | null) => void
}) {
  const input = useRef<HTMLInputElement>(null)
  const hintId = useId()
  const errorId = `${id}-error`
  const preview = photo ? `data:${photo.contentType};base64,${photo.base64}` : null

  const choose = async (file: File | undefined) => {
    onError(null)
    if (!file) {
      onChange(null)
      return
    }
    const clear = () => {
      if (input.current) input.current.value = ''
      onChange(null)
    }
    if (!file.type.startsWith('image/')) {
      clear()
      onError('That file is not a photo. Choose a JPEG, PNG or WebP image.')
      return
    }
    if (file.size > MAX_PHOTO_BYTES) {
      clear()
      onError(
        `This photo is ${readable(file.size)}; photos can be up to 2 MB. Choose a smaller photo, or send the report without one.`,
      )
      return
    }
    try {
      onChange({
        name: file.name,
        size: file.size,
        contentType: file.type,
        base64: await readBase64(file),
      })
    } catch {
      clear()
      onError('The photo could not be read. Try another one.')
    }
  }

  return (
    <div className="pub-field">
      <label className="pub-label" htmlFor={id}>
        Photo (optional)
      </label>
      <p id={hintId} className="pub-hint">
        A JPEG, PNG or WebP photo of up to 2 MB.
      </p>
      {error ? (
        <p id={errorId} className="pub-field-error">
          {error}
        </p>
      ) : null}
      <input
        ref={input}
        id={id}
        type="file"
        accept="image/*"
        aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      {photo && preview ? (
        <div className="pub-photo">
          <img src={preview} alt={`Preview of ${photo.name}`} />
          <p>
            {photo.name} ({readable(photo.size)}){' '}
            <button
              type="button"
              className="pub-link-button"
              onClick={() => {
                if (input.current) input.current.value = ''
                onChange(null)
                input.current?.focus()
              }}
            >
              Remove photo
            </button>
          </p>
        </div>
      ) : null}
    </div>
  )
}

/**
 * Open311 GeoReport v2 XML from the JSON we already answer with.
 *
 * The spec defines JSON as a mapping of the XML (the "Spark convention", G7), so we build the
 * JSON payload once and derive the XML from it; the two formats then cannot drift apart. The
 * mapping, as Open311 servers apply it (mySociety's Spark.pm):
 *
 * - an array becomes a plural wrapper element holding one singular element per item
 *   (`services` → `<services><service>…`); the JSON of GET/POST requests and tokens is a
 *   top-level array, so its root is `<service_requests>` with `<request>` children;
 * - an object becomes an element with one child per key, in key order;
 * - null becomes an empty element (`<status_notes></status_notes>`), booleans `true`/`false`,
 *   numbers their JSON text.
 *
 * Pure: no I/O, no clock. Keys must be XML names: our own code chooses them, so a bad one is a
 * bug and throws rather than being mangled into something a client cannot match.
 */

/** Plural wrapper → item element, where stripping a trailing "s" would be wrong or unclear. */
export const OPEN311_ITEM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  service_request_updates: 'request_update',
  notes: 'note',
})

/**
 * The element that wraps each item of an array named `plural`: the caller's table, then ours,
 * then the name without its trailing "s". Undefined when none applies (a name without a
 * trailing "s" and no entry), because guessing would give `<media><media>`, which reads back
 * as an object.
 */
export function open311ItemName(
  plural: string,
  itemNames?: Readonly<Record<string, string>>,
): string | undefined {
  const named =
    (itemNames && Object.hasOwn(itemNames, plural) ? itemNames[plural] : undefined) ??
    (Object.hasOwn(OPEN311_ITEM_NAMES, plural) ? OPEN311_ITEM_NAMES[plural] : undefined)
  if (named !== undefined) return named
  return plural.length > 1 && plural.endsWith('s') ? plural.slice(0, -1) : undefined
}

export const XML_PROLOG = '<?xml version="1.0" encoding="utf-8"?>'

// XML 1.0 NameStartChar / NameChar without ":" — G6: Open311 XML carries no namespace, and a
// colon in an element name would declare a prefix.
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF' +
  '\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD' +
  '\\u{10000}-\\u{EFFFF}'
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u')

/** True when `name` can be an element name in Open311 XML (an XML 1.0 name without ":"). */
export function isXmlName(name: string): boolean {
  return XML_NAME.test(name)
}

// Everything outside XML 1.0's Char production: C0 controls other than tab, LF and CR, lone
// surrogates (the `u` flag matches them as single code points), U+FFFE and U+FFFF. One such
// character makes the whole document unparseable for every client, so they are dropped.
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** `text` without the characters XML 1.0 cannot carry at all (not even as references). */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '')
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a literal CR (and CRLF) into LF (XML 1.0 §2.11); only a character
  // reference brings a caller's "\r\n" back intact.
  '\r': '&#13;',
}
const NEEDS_ESCAPE = /[&<>"'\r]/g
const NEEDS_WORK = /[&<>"'\r]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/**
 * Text made safe for element content and attribute values: invalid characters removed, the
 * five markup characters and CR escaped. Everything else (accents, emoji) is kept as UTF-8.
 */
export function xmlEscape(text: string): string {
  // Most values (codes, dates, names) need nothing: one scan instead of two replaces.
  if (!NEEDS_WORK.test(text)) return text
  return stripInvalidXmlChars(text).replace(NEEDS_ESCAPE, (c) => ESCAPES[c] ?? c)
}

/**
 * `value` as an Open311 XML document whose root element is `root`.
 *
 * `itemNames` adds to (or overrides) the plural → singular table, at every level.
 * Follows JSON.stringify where the two could differ, so the XML says what the JSON says:
 * `toJSON()` is honoured, object keys whose value is undefined are left out, non-finite
 * numbers are empty like null. Throws for keys that are not XML names, arrays directly inside
 * arrays (the convention has no element for them), an array whose name gives no item name,
 * bigints (JSON.stringify throws too), functions and symbols outside an object, and cycles.
 */
export function toOpen311Xml(
  root: string,
  value: unknown,
  itemNames?: Readonly<Record<string, string>>,
): string {
  const out: string[] = [XML_PROLOG]
  writeElement(out, root, value, itemNames, new Set())
  return out.join('')
}

function assertName(name: string): void {
  if (!isXmlName(name)) throw new Error(`Open311 XML: ${JSON.stringify(name)} is not an XML name`)
}

function writeElement(
  out: string[],
  name: string,
  raw: unknown,
  itemNames: Readonly<Record<string, string>> | undefined,
  ancestors: Set<object>,
): void {
  assertName(name)
  const value = jsonView(raw, name)
  if (value === null || value === undefined) {
    out.push(`<${name}></${name}>`)
    return
  }
  switch (typeof value) {
    case 'string':
      out.push(`<${name}>${xmlEscape(value)}</${name}>`)
      return
    case 'number':
      out.push(`<${name}>${Number.isFinite(value) ? String(value) : ''}</${name}>`)
      return
    case 'boolean':
      out.push(`<${name}>${value ? 'true' : 'false'}</${name}>`)
      return
    case 'object':
      break
    default:
      throw new Error(`Open311 XML: <${name}> holds a ${typeof value}, which JSON cannot carry`)
  }
  if (ancestors.has(value)) throw new Error(`Open311 XML: <${name}> refers back to itself`)
  ancestors.add(value)
  out.push(`<${name}>`)
  if (Array.isArray(value)) {
    const item = open311ItemName(name, itemNames)
    if (item === undefined) {
      throw new Error(`Open311 XML: no item element for the array <${name}>; name it in itemNames`)
    }
    for (const entry of value) {
      if (Array.isArray(jsonView(entry, item))) {
        throw new Error(`Open311 XML: <${name}> holds an array directly; wrap it in an object`)
      }
      writeElement(out, item, entry, itemNames, ancestors)
    }
  } else {
    for (const [key, child] of Object.entries(value)) {
      // JSON.stringify leaves these keys out; so do we.
      if (child === undefined || typeof child === 'function' || typeof child === 'symbol') {
        continue
      }
      writeElement(out, key, child, itemNames, ancestors)
    }
  }
  out.push(`</${name}>`)
  ancestors.delete(value)
}

/** The value JSON.stringify would write for `raw` (a Date becomes its ISO string). */
function jsonView(raw: unknown, key: string): unknown {
  if (raw !== null && typeof raw === 'object' && 'toJSON' in raw) {
    const toJSON = raw.toJSON
    if (typeof toJSON === 'function') return toJSON.call(raw, key)
  }
  return raw
}

import { readFileSync } from 'node:fs'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import ajvFormats from 'ajv-formats'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import {
  OPEN311_ITEM_NAMES,
  open311ItemName,
  stripInvalidXmlChars,
} from '../../src/server/open311/to-xml.js'

/**
 * Helpers for Open311 GeoReport v2 conformance tests: JSON checked against the schemas in
 * test/open311/schemas (written from the spec, see shared/research/open311-anchors.md §1), and
 * Open311 XML read back into the JSON shape under the same Spark mapping the server writes
 * with (src/server/open311/to-xml.ts), so a test can hold the two formats against each other.
 */

export const OPEN311_SCHEMAS = new URL('../open311/schemas/', import.meta.url)

/** JSON as it appears on the wire. */
export type WireJson = string | number | boolean | null | WireJson[] | { [key: string]: WireJson }

// One compiler for every schema file: strict, so a typo in a schema keyword fails loudly
// instead of silently accepting everything; all errors, so a failure lists every bad field.
// strictRequired is off: it misreads the usual `if/then: {required}` and
// `oneOf: [{required}]` forms, whose properties are declared one level up.
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
})
// ajv-formats is CommonJS: under NodeNext its default import is the module, the plugin its
// `default`.
ajvFormats.default(ajv)
const compiled = new Map<string, ValidateFunction>()

/**
 * The messages of every way `data` breaks the schema `schemaFile` (a file name in
 * test/open311/schemas, e.g. "requests.json", or an absolute path); empty when it is valid.
 * Each message starts with the JSON pointer of the offending value.
 */
export function validateWith(schemaFile: string, data: unknown): string[] {
  let validate = compiled.get(schemaFile)
  if (validate === undefined) {
    const url = schemaFile.startsWith('/')
      ? new URL(`file://${schemaFile}`)
      : new URL(schemaFile, OPEN311_SCHEMAS)
    validate = ajv.compile(JSON.parse(readFileSync(url, 'utf8')) as object)
    compiled.set(schemaFile, validate)
  }
  if (validate(data)) return []
  return (validate.errors ?? []).map(describeError)
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath
  // Ajv's own message leaves out what was expected for these; a test failure should say it.
  const params = e.params as {
    allowedValues?: unknown
    allowedValue?: unknown
    additionalProperty?: string
  }
  const detail =
    e.keyword === 'enum'
      ? ` ${JSON.stringify(params.allowedValues)}`
      : e.keyword === 'const'
        ? ` ${JSON.stringify(params.allowedValue)}`
        : e.keyword === 'additionalProperties'
          ? ` (${params.additionalProperty})`
          : ''
  return `${where} ${e.message ?? e.keyword}${detail}`
}

/**
 * What XML cannot tell by itself. Every option names elements (keys, or item elements such
 * as "format") wherever they occur.
 */
export interface XmlReadOptions {
  /** Elements whose text "true"/"false" becomes a boolean (other text stays a string). */
  booleans?: readonly string[]
  /** Elements whose text, when it is a JSON number, becomes a number. */
  numbers?: readonly string[]
  /**
   * Wrappers that read as an array even when empty. Those in the plural table
   * (OPEN311_ITEM_NAMES plus `itemNames`) always do; an empty unlisted element reads as null.
   */
  arrays?: readonly string[]
  /** Extra plural → singular names, as given to toOpen311Xml. */
  itemNames?: Readonly<Record<string, string>>
}

// Text stays text ("001" must not become 1), nothing is trimmed (a description may start
// with spaces), and attributes are kept so that we can refuse them: our XML has none.
// htmlEntities decodes character references (&#13;), which the default leaves as written.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
})

/** A node of fast-xml-parser's ordered output: `{ tag: children, ":@"?: attributes }`. */
type OrderedNode = Record<string, unknown>

/**
 * Open311 XML back in its JSON shape: the root element (which must be `root`) unwrapped;
 * a wrapper whose children are all its singular item element becomes an array (even with one
 * child); an empty element becomes null, or [] when it is a known plural wrapper; text stays a
 * string unless `options` says otherwise. Throws on malformed XML, a different root,
 * attributes, mixed content or an element repeated inside an object.
 */
export function xmlToJson(xml: string, root: string, options: XmlReadOptions = {}): unknown {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    throw new Error(`Open311 XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`)
  }
  const top = (parser.parse(xml) as OrderedNode[]).filter((n) => !('#text' in n && isBlank(n)))
  const [only] = top
  if (top.length !== 1 || only === undefined) throw new Error('Open311 XML: expected one root')
  const [name, children] = element(only)
  if (name !== root) throw new Error(`Open311 XML: root <${name}>, expected <${root}>`)
  return readElement(name, children, readOptions(options))
}

interface ReadOptions {
  booleans: ReadonlySet<string>
  numbers: ReadonlySet<string>
  arrays: ReadonlySet<string>
  itemNames: Readonly<Record<string, string>> | undefined
}

function readOptions(o: XmlReadOptions): ReadOptions {
  return {
    booleans: new Set(o.booleans),
    numbers: new Set(o.numbers),
    arrays: new Set(o.arrays),
    itemNames: o.itemNames,
  }
}

function element(node: OrderedNode): [string, OrderedNode[]] {
  const attributes = node[':@']
  const keys = Object.keys(node).filter((k) => k !== ':@')
  const [name] = keys
  if (keys.length !== 1 || name === undefined) throw new Error('Open311 XML: unexpected node')
  if (attributes !== undefined) {
    throw new Error(`Open311 XML: <${name}> has attributes; Open311 XML uses none`)
  }
  return [name, node[name] as OrderedNode[]]
}

function isBlank(node: OrderedNode): boolean {
  return /^[ \t\r\n]*$/.test(String(node['#text']))
}

/**
 * Whether an empty `<name></name>` stands for an empty array rather than null: only wrappers
 * named in a table or in `arrays`, since "strip the s" alone would turn every empty
 * plural-looking element (`<extended_attributes/>`) into [].
 */
function isKnownWrapper(name: string, o: ReadOptions): boolean {
  return (
    o.arrays.has(name) ||
    Object.hasOwn(OPEN311_ITEM_NAMES, name) ||
    (o.itemNames !== undefined && Object.hasOwn(o.itemNames, name))
  )
}

function readElement(name: string, children: OrderedNode[], o: ReadOptions): WireJson {
  const texts = children.filter((c) => '#text' in c)
  const elements = children.filter((c) => !('#text' in c))
  if (elements.length === 0) {
    const text = texts.map((t) => String(t['#text'])).join('')
    if (text === '') return isKnownWrapper(name, o) ? [] : null
    return typed(name, text, o)
  }
  if (!texts.every(isBlank)) throw new Error(`Open311 XML: <${name}> mixes text and elements`)
  const parsed = elements.map(element)
  const item = open311ItemName(name, o.itemNames)
  if (item !== undefined && parsed.every(([child]) => child === item)) {
    return parsed.map(([child, grand]) => readElement(child, grand, o))
  }
  const object: { [key: string]: WireJson } = {}
  for (const [child, grand] of parsed) {
    if (Object.hasOwn(object, child)) {
      throw new Error(`Open311 XML: <${child}> appears twice in <${name}>`)
    }
    object[child] = readElement(child, grand, o)
  }
  return object
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/

function typed(name: string, text: string, o: ReadOptions): WireJson {
  if (o.booleans.has(name) && (text === 'true' || text === 'false')) return text === 'true'
  if (o.numbers.has(name) && JSON_NUMBER.test(text)) return Number(text)
  return text
}

/**
 * `json` as it comes back from xmlToJson(toOpen311Xml(root, json), root, options): what the
 * trip through XML keeps and what it cannot. Scalars become their XML text (except booleans
 * and numbers under the keys `options` names); "" and {} become null, like an empty element;
 * an empty array becomes null unless its wrapper is known; characters XML 1.0 cannot carry are
 * gone.
 */
export function throughXml(json: unknown, root: string, options: XmlReadOptions = {}): unknown {
  // JSON's own view first: toJSON, dropped undefined keys, NaN → null.
  const wire = JSON.parse(JSON.stringify(json) ?? 'null') as WireJson
  return reshape(root, wire, readOptions(options))
}

function reshape(name: string, value: WireJson, o: ReadOptions): WireJson {
  if (value === null) return null
  if (Array.isArray(value)) {
    if (value.length === 0) return isKnownWrapper(name, o) ? [] : null
    const item = open311ItemName(name, o.itemNames) ?? name
    return value.map((v) => reshape(item, v, o))
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) return null
    return Object.fromEntries(entries.map(([k, v]) => [k, reshape(k, v, o)]))
  }
  if (typeof value === 'boolean' && o.booleans.has(name)) return value
  if (typeof value === 'number' && o.numbers.has(name)) return value
  const text = stripInvalidXmlChars(String(value))
  return text === '' ? null : text
}

/**
 * Where the XML and the JSON of one response disagree under the Spark mapping, as
 * "path: xml … json …" lines; empty when they say the same thing.
 */
export function xmlJsonDifferences(
  xml: string,
  root: string,
  json: unknown,
  options: XmlReadOptions = {},
): string[] {
  const fromXml = xmlToJson(xml, root, options) as WireJson
  const fromJson = throughXml(json, root, options) as WireJson
  const out: string[] = []
  diff(root, fromXml, fromJson, out)
  return out
}

function diff(path: string, a: WireJson, b: WireJson, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: xml has ${a.length} items, json ${b.length}`)
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      diff(`${path}[${i}]`, a[i] as WireJson, b[i] as WireJson, out)
    }
    return
  }
  if (isObject(a) && isObject(b)) {
    // Order is not compared: no client reads meaning into it, and the spec's own examples
    // list a service's fields in different orders.
    for (const k of Object.keys(a)) {
      if (!Object.hasOwn(b, k)) out.push(`${path}.${k}: only in xml`)
      else diff(`${path}.${k}`, a[k] as WireJson, b[k] as WireJson, out)
    }
    for (const k of Object.keys(b)) {
      if (!Object.hasOwn(a, k)) out.push(`${path}.${k}: only in json`)
    }
    return
  }
  if (a !== b) out.push(`${path}: xml ${JSON.stringify(a)}, json ${JSON.stringify(b)}`)
}

function isObject(v: WireJson): v is { [key: string]: WireJson } {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

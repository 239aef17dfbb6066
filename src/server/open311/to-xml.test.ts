import { describe, expect, it } from 'vitest'
import { throughXml, xmlJsonDifferences, xmlToJson } from '../../../test/support/open311-wire.js'
import {
  isXmlName,
  open311ItemName,
  stripInvalidXmlChars,
  toOpen311Xml,
  XML_PROLOG,
  xmlEscape,
} from './to-xml.js'

// Exact documents: clients (FixMyStreet, SeeClickFix's validator) read element names and
// nesting literally, so the tests pin the whole output, not fragments of it.
const doc = (body: string) => `<?xml version="1.0" encoding="utf-8"?>${body}`

const services = [
  {
    service_code: '001',
    service_name: 'Cans left out 24x7',
    description: 'Garbage or recycling cans left out.',
    metadata: true,
    type: 'realtime',
    keywords: 'lorem, ipsum, dolor',
    group: 'sanitation',
  },
  {
    service_code: '002',
    service_name: 'Construction plate shifted',
    description: 'Metal plate moved.',
    metadata: false,
    type: 'batch',
    keywords: '',
    group: 'street',
  },
]

const definition = {
  service_code: 'DMV66',
  attributes: [
    {
      variable: true,
      code: 'WHISHETN',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 1,
      description: 'What is the ticket/tag/DL number?',
      values: [
        { key: '123', name: 'Ford' },
        { key: '124', name: 'Chrysler' },
      ],
    },
  ],
}

const requests = [
  {
    service_request_id: '638344',
    status: 'closed',
    status_notes: 'Duplicate request.',
    service_name: 'Sidewalk and Curb Issues',
    service_code: '006',
    description: null,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: '2010-04-14T06:37:38-08:00',
    updated_datetime: '2010-04-14T06:37:38-08:00',
    expected_datetime: null,
    address: '8TH AVE and JUDAH ST',
    address_id: '545483',
    zipcode: '94122',
    lat: 37.762221815,
    long: -122.4651145,
    media_url: null,
  },
]

const discovery = {
  changeset: '2026-01-05T09:00:00Z',
  contact: 'open311@city.gov',
  key_service: 'Ask the 311 office for a key.',
  endpoints: [
    {
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: 'https://city.gov/open311/v2',
      changeset: '2026-01-05T09:00:00Z',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    },
  ],
}

const extended = [
  {
    service_request_id: '7',
    status: 'open',
    extended_attributes: { channel: 'phone', police_district: 'NE', duplicate: null },
    notes: [
      {
        datetime: '2026-01-05T09:00:00Z',
        type: 'opened',
        description: 'Taken by phone',
        extended_attributes: { unit: '4A12' },
      },
      { datetime: '2026-01-05T10:00:00Z', type: 'closed', description: null },
    ],
  },
]

describe('toOpen311Xml', () => {
  it('writes the service list as <services><service>', () => {
    expect(toOpen311Xml('services', services)).toBe(
      doc(
        '<services>' +
          '<service><service_code>001</service_code><service_name>Cans left out 24x7</service_name>' +
          '<description>Garbage or recycling cans left out.</description><metadata>true</metadata>' +
          '<type>realtime</type><keywords>lorem, ipsum, dolor</keywords><group>sanitation</group>' +
          '</service>' +
          '<service><service_code>002</service_code>' +
          '<service_name>Construction plate shifted</service_name>' +
          '<description>Metal plate moved.</description><metadata>false</metadata>' +
          '<type>batch</type><keywords></keywords><group>street</group></service>' +
          '</services>',
      ),
    )
  })

  it('writes a service definition as an object root with attributes and values', () => {
    expect(toOpen311Xml('service_definition', definition)).toBe(
      doc(
        '<service_definition><service_code>DMV66</service_code><attributes><attribute>' +
          '<variable>true</variable><code>WHISHETN</code><datatype>singlevaluelist</datatype>' +
          '<required>true</required><datatype_description></datatype_description>' +
          '<order>1</order><description>What is the ticket/tag/DL number?</description>' +
          '<values><value><key>123</key><name>Ford</name></value>' +
          '<value><key>124</key><name>Chrysler</name></value></values>' +
          '</attribute></attributes></service_definition>',
      ),
    )
  })

  it('writes requests as <service_requests><request>, null as an empty element', () => {
    expect(toOpen311Xml('service_requests', requests)).toBe(
      doc(
        '<service_requests><request><service_request_id>638344</service_request_id>' +
          '<status>closed</status><status_notes>Duplicate request.</status_notes>' +
          '<service_name>Sidewalk and Curb Issues</service_name><service_code>006</service_code>' +
          '<description></description><agency_responsible></agency_responsible>' +
          '<service_notice></service_notice>' +
          '<requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>' +
          '<updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>' +
          '<expected_datetime></expected_datetime><address>8TH AVE and JUDAH ST</address>' +
          '<address_id>545483</address_id><zipcode>94122</zipcode><lat>37.762221815</lat>' +
          '<long>-122.4651145</long><media_url></media_url></request></service_requests>',
      ),
    )
  })

  it('writes an empty request list as an empty root', () => {
    expect(toOpen311Xml('service_requests', [])).toBe(doc('<service_requests></service_requests>'))
  })

  it('writes errors as <errors><error>', () => {
    const errors = [
      { code: 403, description: "Invalid api_key received -- can't proceed with create_request." },
      { code: 400, description: 'service_code was not provided' },
    ]
    expect(toOpen311Xml('errors', errors)).toBe(
      doc(
        '<errors><error><code>403</code>' +
          '<description>Invalid api_key received -- can&apos;t proceed with create_request.' +
          '</description></error>' +
          '<error><code>400</code><description>service_code was not provided</description>' +
          '</error></errors>',
      ),
    )
  })

  it('writes discovery with <endpoints><endpoint> and <formats><format>', () => {
    expect(toOpen311Xml('discovery', discovery)).toBe(
      doc(
        '<discovery><changeset>2026-01-05T09:00:00Z</changeset>' +
          '<contact>open311@city.gov</contact>' +
          '<key_service>Ask the 311 office for a key.</key_service>' +
          '<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>' +
          '<url>https://city.gov/open311/v2</url><changeset>2026-01-05T09:00:00Z</changeset>' +
          '<type>production</type>' +
          '<formats><format>text/xml</format><format>application/json</format></formats>' +
          '</endpoint></endpoints></discovery>',
      ),
    )
  })

  it('writes extended_attributes as an element with children, notes as <notes><note>', () => {
    expect(toOpen311Xml('service_requests', extended)).toBe(
      doc(
        '<service_requests><request><service_request_id>7</service_request_id>' +
          '<status>open</status><extended_attributes><channel>phone</channel>' +
          '<police_district>NE</police_district><duplicate></duplicate></extended_attributes>' +
          '<notes><note><datetime>2026-01-05T09:00:00Z</datetime><type>opened</type>' +
          '<description>Taken by phone</description>' +
          '<extended_attributes><unit>4A12</unit></extended_attributes></note>' +
          '<note><datetime>2026-01-05T10:00:00Z</datetime><type>closed</type>' +
          '<description></description></note></notes></request></service_requests>',
      ),
    )
  })

  it('writes mySociety updates as <service_request_updates><request_update>', () => {
    const updates = [
      {
        update_id: 'u1',
        service_request_id: '7',
        status: 'in_progress',
        updated_datetime: '2026-01-05T10:00:00Z',
        description: 'Crew on site',
        media_url: '',
      },
    ]
    expect(toOpen311Xml('service_request_updates', updates)).toBe(
      doc(
        '<service_request_updates><request_update><update_id>u1</update_id>' +
          '<service_request_id>7</service_request_id><status>in_progress</status>' +
          '<updated_datetime>2026-01-05T10:00:00Z</updated_datetime>' +
          '<description>Crew on site</description><media_url></media_url>' +
          '</request_update></service_request_updates>',
      ),
    )
  })

  it('names items of other plurals by stripping the "s", or as itemNames says', () => {
    expect(toOpen311Xml('request', { groups: ['street', 'waste'] })).toBe(
      doc('<request><groups><group>street</group><group>waste</group></groups></request>'),
    )
    expect(toOpen311Xml('request', { media: ['a.jpg'] }, { media: 'medium' })).toBe(
      doc('<request><media><medium>a.jpg</medium></media></request>'),
    )
    expect(toOpen311Xml('errors', [{ code: 1 }], { errors: 'problem' })).toBe(
      doc('<errors><problem><code>1</code></problem></errors>'),
    )
  })

  it('writes what JSON.stringify writes: toJSON, no undefined keys, NaN as empty', () => {
    const value = {
      at: new Date(Date.UTC(2026, 0, 5, 9)),
      gone: undefined,
      lat: Number.NaN,
      n: -0,
      big: 1e21,
      items: [undefined, null],
    }
    expect(toOpen311Xml('x', value)).toBe(
      doc(
        '<x><at>2026-01-05T09:00:00.000Z</at><lat></lat><n>0</n><big>1e+21</big>' +
          '<items><item></item><item></item></items></x>',
      ),
    )
  })

  it('starts with the UTF-8 prolog and declares no namespace', () => {
    const xml = toOpen311Xml('services', services)
    expect(xml.startsWith(XML_PROLOG)).toBe(true)
    expect(XML_PROLOG).toBe('<?xml version="1.0" encoding="utf-8"?>')
    expect(xml).not.toContain('xmlns')
  })

  it('refuses keys that are not XML names', () => {
    expect(() => toOpen311Xml('x', { 'bad key': 1 })).toThrow(/not an XML name/)
    expect(() => toOpen311Xml('x', { '1st': 1 })).toThrow(/not an XML name/)
    expect(() => toOpen311Xml('x', { 'a<b': 1 })).toThrow(/not an XML name/)
    expect(() => toOpen311Xml('x', { 'ns:tag': 1 })).toThrow(/not an XML name/)
    expect(() => toOpen311Xml('x', { '': 1 })).toThrow(/not an XML name/)
    expect(() => toOpen311Xml('bad root', {})).toThrow(/not an XML name/)
    expect(() => toOpen311Xml('x', [1], { x: 'no good' })).toThrow(/not an XML name/)
  })

  it('refuses shapes the convention cannot write', () => {
    expect(() => toOpen311Xml('lists', [[1]])).toThrow(/holds an array directly/)
    expect(() => toOpen311Xml('x', { media: ['a'] })).toThrow(/no item element for the array/)
    expect(() => toOpen311Xml('x', { n: 1n })).toThrow(/bigint/)
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(() => toOpen311Xml('x', loop)).toThrow(/refers back to itself/)
  })

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { a: 1 }
    expect(toOpen311Xml('x', { p: shared, q: shared })).toBe(
      doc('<x><p><a>1</a></p><q><a>1</a></q></x>'),
    )
  })
})

describe('xmlEscape', () => {
  it('escapes the five markup characters', () => {
    expect(xmlEscape(`Tom & Jerry's <b>"cat"</b>`)).toBe(
      'Tom &amp; Jerry&apos;s &lt;b&gt;&quot;cat&quot;&lt;/b&gt;',
    )
  })

  it('keeps tab and LF, writes CR as a reference so a parser cannot fold it into LF', () => {
    expect(xmlEscape('a\tb\nc\r\nd')).toBe('a\tb\nc&#13;\nd')
  })

  it('keeps emoji and other non-ASCII text as it is', () => {
    expect(xmlEscape('Pothole 🕳️ near Café №5 😀')).toBe('Pothole 🕳️ near Café №5 😀')
  })

  it('drops characters XML 1.0 cannot carry: C0 controls, lone surrogates, U+FFFE/U+FFFF', () => {
    expect(xmlEscape('a\u0001b\u0000c\u001Fd\u000Be')).toBe('abcde')
    expect(xmlEscape('x\uD83Dy\uDE00z')).toBe('xyz')
    expect(xmlEscape('p\uFFFEq\uFFFFr')).toBe('pqr')
    // A well-formed pair survives even next to a lone half.
    expect(xmlEscape('\uD83D\uD83D\uDE00')).toBe('😀')
    expect(stripInvalidXmlChars('\u007F\u0085\uFFFD')).toBe('\u007F\u0085\uFFFD')
  })

  it('escapes through toOpen311Xml too', () => {
    const xml = toOpen311Xml('errors', [
      { code: 400, description: 'A & B <script>\u0001 😀 \uD800 "q" \'s\'' },
    ])
    expect(xml).toBe(
      doc(
        '<errors><error><code>400</code>' +
          '<description>A &amp; B &lt;script&gt; 😀  &quot;q&quot; &apos;s&apos;</description>' +
          '</error></errors>',
      ),
    )
  })
})

describe('names', () => {
  it('knows the Open311 plurals and strips an "s" otherwise', () => {
    expect(open311ItemName('service_requests')).toBe('request')
    expect(open311ItemName('service_request_updates')).toBe('request_update')
    expect(open311ItemName('values')).toBe('value')
    expect(open311ItemName('media_urls')).toBe('media_url')
    expect(open311ItemName('media')).toBeUndefined()
    expect(open311ItemName('s')).toBeUndefined()
    expect(open311ItemName('service_requests', { service_requests: 'sr' })).toBe('sr')
  })

  it('accepts XML names without a colon', () => {
    expect(isXmlName('service_code')).toBe(true)
    expect(isXmlName('_x-1.2')).toBe(true)
    expect(isXmlName('código')).toBe(true)
    expect(isXmlName('x:y')).toBe(false)
    expect(isXmlName('-x')).toBe(false)
  })
})

describe('round trip through fast-xml-parser', () => {
  const cases: [string, string, unknown][] = [
    ['services', 'services', services],
    ['service definition', 'service_definition', definition],
    ['requests', 'service_requests', requests],
    ['discovery', 'discovery', discovery],
    ['extensions', 'service_requests', extended],
    ['errors', 'errors', [{ code: 404, description: 'No service_code "X" & <Y>' }]],
    ['one request', 'service_requests', [{ service_request_id: '1', status: 'open' }]],
    ['empty list', 'service_requests', []],
  ]

  it.each(cases)('%s: the XML says what the JSON says', (_, root, json) => {
    expect(xmlJsonDifferences(toOpen311Xml(root, json), root, json)).toEqual([])
  })

  it('gives back the JSON itself when told which keys are booleans and numbers', () => {
    const options = {
      booleans: ['metadata', 'variable', 'required'],
      numbers: ['order', 'lat', 'long', 'code'],
    }
    for (const [, root, json] of cases) {
      expect(xmlToJson(toOpen311Xml(root, json), root, options)).toEqual(
        throughXml(json, root, options),
      )
    }
    // No empty strings in these, so nothing is lost at all.
    for (const [root, json] of [
      ['service_definition', definition],
      ['service_requests', requests],
      ['discovery', discovery],
      ['service_requests', extended],
    ] as const) {
      expect(xmlToJson(toOpen311Xml(root, json), root, options)).toEqual(json)
    }
  })

  it('reads an empty string back as null: XML has one empty element for both', () => {
    const xml = toOpen311Xml('services', services)
    const read = xmlToJson(xml, 'services') as { keywords: unknown }[]
    expect(read[1]?.keywords).toBeNull()
    expect(xmlJsonDifferences(xml, 'services', services)).toEqual([])
  })

  it('keeps text exactly: spaces, CR LF, quotes, emoji', () => {
    const json = [{ code: 400, description: '  two\r\nlines\t"q" & \'a\' 😀  ' }]
    expect(xmlToJson(toOpen311Xml('errors', json), 'errors', { numbers: ['code'] })).toEqual(json)
  })

  it('reports where XML and JSON disagree', () => {
    const xml = toOpen311Xml('services', services)
    const changed = [{ ...services[0], service_name: 'Other' }, services[1]]
    expect(xmlJsonDifferences(xml, 'services', changed)).toEqual([
      'services[0].service_name: xml "Cans left out 24x7", json "Other"',
    ])
    expect(xmlJsonDifferences(xml, 'services', services.slice(0, 1))).toEqual([
      'services: xml has 2 items, json 1',
    ])
  })
})

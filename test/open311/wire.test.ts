import { describe, expect, it } from 'vitest'
import { toOpen311Xml } from '../../src/server/open311/to-xml.js'
import { throughXml, validateWith, xmlJsonDifferences, xmlToJson } from '../support/open311-wire.js'

/**
 * The conformance tools themselves: the JSON Schemas must accept the spec's own examples and
 * refuse what the spec forbids, and the XML reader must undo the XML writer, or the
 * conformance suite built on them proves nothing.
 *
 * The examples are those of the GeoReport v2 wiki page and Service_Discovery.md, with the ids
 * quoted: the page writes `"service_code":001`, which is not even JSON, and every schema
 * artifact types ids as strings (shared/research/open311-anchors.md §1.1 G12).
 */

const SPEC_DISCOVERY = {
  changeset: '2011-02-03 14:18',
  contact: 'You can email or call for assistance api@mycity.org +1 (555) 555-5555',
  key_service: 'You can request a key here: http://api.mycity.gov/api_key/request',
  endpoints: [
    {
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: 'http://open311.mycity.gov/v2',
      changeset: '2010-11-23 09:01',
      type: 'production',
      formats: ['text/xml'],
    },
    {
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: 'http://open311.mycity.gov/test/v2',
      changeset: '2010-10-02 09:01',
      type: 'test',
      formats: ['text/xml', 'application/json'],
    },
    {
      specification: 'http://wiki.open311.org/GeoReport_v3',
      url: 'http://open311.mycity.gov/v3',
      changeset: '2011-02-03 14:18',
      type: 'test',
      formats: ['text/xml', 'application/json'],
    },
  ],
}

const SPEC_SERVICES = [
  {
    service_code: '001',
    service_name: 'Cans left out 24x7',
    description:
      'Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.',
    metadata: true,
    type: 'realtime',
    keywords: 'lorem, ipsum, dolor',
    group: 'sanitation',
  },
  {
    service_code: '002',
    metadata: true,
    type: 'realtime',
    keywords: 'lorem, ipsum, dolor',
    group: 'street',
    service_name: 'Construction plate shifted',
    description: 'Metal construction plate covering the street or sidewalk has been moved.',
  },
  {
    service_code: '003',
    metadata: true,
    type: 'realtime',
    keywords: 'lorem, ipsum, dolor',
    group: 'street',
    service_name: 'Curb or curb ramp defect',
    description:
      'Sidewalk curb or ramp has problems such as cracking, missing pieces, holes, and/or chipped curb.',
  },
]

const SPEC_DEFINITION = {
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

const SPEC_POST_RESPONSE = [
  {
    service_request_id: '293944',
    service_notice:
      'The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code',
    account_id: null,
  },
]

const SPEC_REQUESTS = [
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
    expected_datetime: '2010-04-15T06:37:38-08:00',
    address: '8TH AVE and JUDAH ST',
    address_id: '545483',
    zipcode: '94122',
    lat: 37.762221815,
    long: -122.4651145,
    media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638344.jpg ',
  },
  {
    service_request_id: '638349',
    status: 'open',
    status_notes: null,
    service_name: 'Sidewalk and Curb Issues',
    service_code: '006',
    description: null,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: '2010-04-19T06:37:38-08:00',
    updated_datetime: '2010-04-19T06:37:38-08:00',
    expected_datetime: '2010-04-19T06:37:38-08:00',
    address: '8TH AVE and JUDAH ST',
    address_id: '545483',
    zipcode: '94122',
    lat: 37.762221815,
    long: -122.4651145,
    media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638349.jpg',
  },
]

const SPEC_ERRORS = [
  { code: 403, description: "Invalid api_key received -- can't proceed with create_request." },
]

const UPDATES = [
  {
    update_id: '9001',
    service_request_id: '638344',
    status: 'in_progress',
    updated_datetime: '2026-01-05T10:00:00Z',
    description: 'A crew is on its way.',
    media_url: '',
    external_status_code: null,
  },
]

/** A deep copy to break: the fixtures above stay as the spec wrote them. */
function copy<T>(value: T): T {
  return structuredClone(value)
}

describe('the schemas accept the spec’s own examples', () => {
  it.each([
    ['discovery.json', SPEC_DISCOVERY],
    ['services.json', SPEC_SERVICES],
    ['service-definition.json', SPEC_DEFINITION],
    ['post-response.json', SPEC_POST_RESPONSE],
    ['post-response.json', [{ token: '12345' }]],
    ['requests.json', SPEC_REQUESTS],
    ['requests.json', SPEC_REQUESTS.slice(0, 1)],
    ['requests.json', []],
    ['errors.json', SPEC_ERRORS],
    ['request-updates.json', UPDATES],
  ])('%s', (schema, example) => {
    expect(validateWith(schema, example)).toEqual([])
  })

  it('accepts extension fields on a request (extended_attributes, notes)', () => {
    const [first] = copy(SPEC_REQUESTS)
    const extended = {
      ...first,
      extended_attributes: { channel: 'phone', police_district: 'NE' },
      notes: [{ datetime: '2026-01-05T09:00:00Z', type: 'opened', description: 'Taken' }],
    }
    expect(validateWith('requests.json', [extended])).toEqual([])
  })

  it('accepts a request without the fields the spec says "may not be returned"', () => {
    const [first] = copy(SPEC_REQUESTS)
    const { status_notes, agency_responsible, service_notice, expected_datetime, ...rest } = first!
    expect(validateWith('requests.json', [rest])).toEqual([])
  })

  it('accepts every datetime form of G8: Z and ±HH:MM', () => {
    for (const at of [
      '2010-01-01T00:00:00Z',
      '1994-11-05T08:15:30-05:00',
      '2026-06-30T23:59:59+14:00',
    ]) {
      const [first] = copy(SPEC_REQUESTS)
      expect(validateWith('requests.json', [{ ...first, requested_datetime: at }])).toEqual([])
    }
  })
})

describe('the schemas refuse what the spec forbids', () => {
  it('a request without a required field', () => {
    const [first] = copy(SPEC_REQUESTS)
    const { service_code, ...rest } = first!
    expect(validateWith('requests.json', [rest])).toEqual([
      "/0 must have required property 'service_code'",
    ])
  })

  it('a status other than open/closed', () => {
    const [first] = copy(SPEC_REQUESTS)
    expect(validateWith('requests.json', [{ ...first, status: 'in_progress' }])).toEqual([
      '/0/status must be equal to one of the allowed values ["open","closed"]',
    ])
  })

  it('a datetime without a zone, with fractions, or date only', () => {
    for (const at of ['2010-04-14T06:37:38', '2010-04-14T06:37:38.000Z', '2010-04-14']) {
      const [first] = copy(SPEC_REQUESTS)
      const errors = validateWith('requests.json', [{ ...first, requested_datetime: at }])
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(/^\/0\/requested_datetime must match pattern/)
    }
    const [first] = copy(SPEC_REQUESTS)
    expect(
      validateWith('requests.json', [{ ...first, expected_datetime: '2010-04-15 06:37:38' }]),
    ).toHaveLength(1)
  })

  it('a description of 4,001 characters (4,000 is the limit)', () => {
    const [first] = copy(SPEC_REQUESTS)
    expect(validateWith('requests.json', [{ ...first, description: 'x'.repeat(4000) }])).toEqual([])
    expect(validateWith('requests.json', [{ ...first, description: 'x'.repeat(4001) }])).toEqual([
      '/0/description must NOT have more than 4000 characters',
    ])
  })

  it('numeric ids, as the spec examples print them (G12: ids are strings)', () => {
    const [first] = copy(SPEC_REQUESTS)
    expect(validateWith('requests.json', [{ ...first, service_request_id: 638344 }])).toEqual([
      '/0/service_request_id must be string',
    ])
    const [service] = copy(SPEC_SERVICES)
    expect(validateWith('services.json', [{ ...service, service_code: 1 }])).toEqual([
      '/0/service_code must be string',
    ])
  })

  it('a single request as an object rather than an array of one', () => {
    expect(validateWith('requests.json', SPEC_REQUESTS[0])).toEqual(['(root) must be array'])
  })

  it('a service with a bad type, a string metadata or keywords as an array', () => {
    const [service] = copy(SPEC_SERVICES)
    expect(
      validateWith('services.json', [
        { ...service, type: 'instant', metadata: 'true', keywords: ['a', 'b'] },
      ]),
    ).toEqual([
      '/0/metadata must be boolean',
      '/0/type must be equal to one of the allowed values ["realtime","batch","blackbox"]',
      '/0/keywords must be string',
    ])
  })

  it('a list attribute without values, an unknown datatype, an order of 0', () => {
    const definition = copy(SPEC_DEFINITION)
    const [attribute] = definition.attributes
    const { values, ...withoutValues } = attribute!
    expect(
      validateWith('service-definition.json', { ...definition, attributes: [withoutValues] }),
    ).toEqual([
      "/attributes/0 must have required property 'values'",
      '/attributes/0 must match "then" schema',
    ])
    // A string attribute needs no values.
    expect(
      validateWith('service-definition.json', {
        ...definition,
        attributes: [{ ...withoutValues, datatype: 'string' }],
      }),
    ).toEqual([])
    expect(
      validateWith('service-definition.json', {
        ...definition,
        attributes: [{ ...attribute, datatype: 'checkbox', order: 0 }],
      }),
    ).toEqual([
      '/attributes/0/datatype must be equal to one of the allowed values ["string","number","datetime","text","singlevaluelist","multivaluelist"]',
      '/attributes/0/order must be >= 1',
    ])
  })

  it('a POST response with both an id and a token, or neither', () => {
    expect(validateWith('post-response.json', [{ service_request_id: '1', token: '2' }])).toEqual([
      '/0 must match exactly one schema in oneOf',
    ])
    expect(validateWith('post-response.json', [{ service_request_id: '1', extra: 1 }])).toEqual([
      '/0 must NOT have additional properties (extra)',
    ])
    expect(validateWith('post-response.json', [{ service_notice: 'Thanks' }])).toEqual([
      "/0 must have required property 'service_request_id'",
      "/0 must have required property 'token'",
      '/0 must match exactly one schema in oneOf',
    ])
    expect(validateWith('post-response.json', [])).toEqual([
      '(root) must NOT have fewer than 1 items',
    ])
  })

  it('errors: an empty list, a string code, a missing description', () => {
    expect(validateWith('errors.json', [])).toEqual(['(root) must NOT have fewer than 1 items'])
    expect(validateWith('errors.json', [{ code: '403', description: 'No key' }])).toEqual([
      '/0/code must be integer',
    ])
    expect(validateWith('errors.json', [{ code: 403 }])).toEqual([
      "/0 must have required property 'description'",
    ])
  })

  it('discovery: a missing field, a bad endpoint type, a v2 endpoint without text/xml', () => {
    const { key_service, ...rest } = copy(SPEC_DISCOVERY)
    expect(validateWith('discovery.json', rest)).toEqual([
      "(root) must have required property 'key_service'",
    ])
    const broken = copy(SPEC_DISCOVERY)
    broken.endpoints[0]!.type = 'staging'
    broken.endpoints[1]!.formats = ['application/json']
    expect(validateWith('discovery.json', broken)).toEqual([
      '/endpoints/0/type must be equal to one of the allowed values ["production","test"]',
      '/endpoints/1/formats/0 must be equal to constant "text/xml"',
      '/endpoints/1/formats must contain at least 1 valid item(s)',
      '/endpoints/1 must match "then" schema',
    ])
  })

  it('updates: a missing media_url, an upper-case status', () => {
    const [update] = copy(UPDATES)
    const { media_url, ...rest } = update!
    expect(validateWith('request-updates.json', [rest])).toEqual([
      "/0 must have required property 'media_url'",
    ])
    expect(validateWith('request-updates.json', [{ ...update, status: 'FIXED' }])).toHaveLength(1)
  })
})

describe('xmlToJson undoes toOpen311Xml', () => {
  const typed = {
    booleans: ['metadata', 'variable', 'required'],
    numbers: ['order', 'lat', 'long', 'code'],
  }

  it.each([
    ['discovery', 'discovery', SPEC_DISCOVERY],
    ['services', 'services', SPEC_SERVICES],
    ['service_definition', 'service_definition', SPEC_DEFINITION],
    ['POST response', 'service_requests', SPEC_POST_RESPONSE],
    ['requests', 'service_requests', SPEC_REQUESTS],
    ['errors', 'errors', SPEC_ERRORS],
    ['updates', 'service_request_updates', UPDATES],
  ])('%s', (_, root, json) => {
    const xml = toOpen311Xml(root, json)
    expect(xmlToJson(xml, root, typed)).toEqual(throughXml(json, root, typed))
    expect(xmlJsonDifferences(xml, root, json)).toEqual([])
  })

  it('gives the JSON itself back when nothing in it is an empty string', () => {
    for (const [root, json] of [
      ['discovery', SPEC_DISCOVERY],
      ['services', SPEC_SERVICES],
      ['service_definition', SPEC_DEFINITION],
      ['service_requests', SPEC_REQUESTS],
      ['errors', SPEC_ERRORS],
    ] as const) {
      expect(xmlToJson(toOpen311Xml(root, json), root, typed)).toEqual(json)
    }
  })

  it('reads a wrapper with one child as an array of one', () => {
    const xml = toOpen311Xml('service_requests', [{ service_request_id: '1' }])
    expect(xmlToJson(xml, 'service_requests')).toEqual([{ service_request_id: '1' }])
    const formats = toOpen311Xml('discovery', { endpoints: [{ formats: ['text/xml'] }] })
    expect(xmlToJson(formats, 'discovery')).toEqual({ endpoints: [{ formats: ['text/xml'] }] })
  })

  it('reads an empty known wrapper as [], any other empty element as null', () => {
    const xml = toOpen311Xml('service_requests', [
      { notes: [], extended_attributes: {}, groups: [], status_notes: null },
    ])
    expect(xmlToJson(xml, 'service_requests')).toEqual([
      { notes: [], extended_attributes: null, groups: null, status_notes: null },
    ])
    expect(xmlToJson(xml, 'service_requests', { arrays: ['groups'] })).toEqual([
      { notes: [], extended_attributes: null, groups: [], status_notes: null },
    ])
    expect(xmlToJson(toOpen311Xml('errors', []), 'errors')).toEqual([])
  })

  it('keeps text as text unless told: "001" stays "001", "true" stays "true"', () => {
    const xml = toOpen311Xml('services', [{ service_code: '001', metadata: true, order: 2 }])
    expect(xmlToJson(xml, 'services')).toEqual([
      { service_code: '001', metadata: 'true', order: '2' },
    ])
    expect(xmlToJson(xml, 'services', { booleans: ['metadata'], numbers: ['order'] })).toEqual([
      { service_code: '001', metadata: true, order: 2 },
    ])
    // A listed key whose text is not a boolean or a number stays text, so a test sees it.
    const odd = toOpen311Xml('services', [{ metadata: 'yes', order: 'first' }])
    expect(xmlToJson(odd, 'services', { booleans: ['metadata'], numbers: ['order'] })).toEqual([
      { metadata: 'yes', order: 'first' },
    ])
  })

  it('honours itemNames as the writer does', () => {
    const xml = toOpen311Xml('x', { media: ['a.jpg', 'b.jpg'] }, { media: 'medium' })
    expect(xmlToJson(xml, 'x', { itemNames: { media: 'medium' } })).toEqual({
      media: ['a.jpg', 'b.jpg'],
    })
  })

  it('reads the spec’s own pretty-printed XML as its JSON', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
    <service_definition>
        <service_code>DMV66</service_code>
        <attributes>
            <attribute>
                <variable>true</variable>
                <code>WHISHETN</code>
                <datatype>singlevaluelist</datatype>
                <required>true</required>
                <datatype_description></datatype_description>
                <order>1</order>
                <description>What is the ticket/tag/DL number?</description>
                <values>
                    <value>
                        <key>123</key>
                        <name>Ford</name>
                    </value>
                    <value>
                        <key>124</key>
                        <name>Chrysler</name>
                    </value>
                </values>
            </attribute>
        </attributes>
    </service_definition>`
    expect(xmlToJson(xml, 'service_definition', typed)).toEqual(SPEC_DEFINITION)
    expect(xmlJsonDifferences(xml, 'service_definition', SPEC_DEFINITION)).toEqual([])
  })

  it('names the differences between an XML and a JSON answer', () => {
    const xml = toOpen311Xml('service_requests', SPEC_REQUESTS)
    const json = copy(SPEC_REQUESTS)
    json[0]!.status = 'open'
    const { media_url, ...rest } = json[1]!
    expect(xmlJsonDifferences(xml, 'service_requests', [json[0], rest])).toEqual([
      'service_requests[0].status: xml "closed", json "open"',
      'service_requests[1].media_url: only in xml',
    ])
  })

  it('refuses what Open311 XML never is', () => {
    expect(() => xmlToJson('<services><service>', 'services')).toThrow(/not well-formed/)
    expect(() => xmlToJson(toOpen311Xml('errors', SPEC_ERRORS), 'services')).toThrow(
      /root <errors>, expected <services>/,
    )
    expect(() => xmlToJson('<errors><error code="1"/></errors>', 'errors')).toThrow(/attributes/)
    expect(() => xmlToJson('<x>text<y>1</y></x>', 'x')).toThrow(/mixes text and elements/)
    expect(() => xmlToJson('<x><y>1</y><y>2</y><z/></x>', 'x')).toThrow(/appears twice/)
  })
})

import { describe, expect, it } from 'vitest'
import { blockKey, parseLocation, streetLabel } from './address.js'

const read = (text: string) => {
  const p = parseLocation(text)
  switch (p.kind) {
    case 'address':
      return `address ${p.number}${p.numberSuffix} ${streetLabel(p.street)}${p.unit ? ` unit ${p.unit}` : ''}`
    case 'block':
      return `block ${p.number} ${streetLabel(p.street)}`
    case 'intersection':
      return `intersection ${p.streets.map(streetLabel).join(' & ')}`
    case 'street':
      return `street ${streetLabel(p.street)}`
    default:
      return 'unparsed'
  }
}

describe('parseLocation', () => {
  it.each([
    ['4300 E Lombard St', 'address 4300 E LOMBARD ST'],
    ['4300 east lombard street', 'address 4300 E LOMBARD ST'],
    ['4300 E. Lombard St., Apt 2', 'address 4300 E LOMBARD ST'],
    ['2300 N Charles Street #4B', 'address 2300 N CHARLES ST unit 4B'],
    ['101 N CLINTON ST, Baltimore City, 21224', 'address 101 N CLINTON ST'],
    ['12 First Street', 'address 12 1ST ST'],
    ['12 1st st', 'address 12 1ST ST'],
    ['500 W Twenty Second St', 'address 500 W 22ND ST'],
    ['100 St Paul St', 'address 100 SAINT PAUL ST'],
    ['100 Saint Paul Street', 'address 100 SAINT PAUL ST'],
    ['3401 Mt Royal Terrace', 'address 3401 MOUNT ROYAL TER'],
    ['1500 Harford Road', 'address 1500 HARFORD RD'],
    ['1500 Harford Rd', 'address 1500 HARFORD RD'],
    ['1200 North Ave', 'address 1200 NORTH AVE'],
    ['1200 E North Ave', 'address 1200 E NORTH AVE'],
    ['800 Park Ave', 'address 800 PARK AVE'],
    ['25 S Broadway', 'address 25 S BROADWAY'],
    ['1100 BLK CLOVERDALE RD', 'block 1100 CLOVERDALE RD'],
    ['1150 block of Cloverdale Rd', 'block 1100 CLOVERDALE RD'],
    ['E Lombard St & S Broadway', 'intersection E LOMBARD ST & S BROADWAY'],
    ['Lombard and Broadway', 'intersection LOMBARD & BROADWAY'],
    ['lombard at broadway', 'intersection LOMBARD & BROADWAY'],
    ['SIGNAL 65 - CHARLES / NORTH, Baltimore City, 21201', 'intersection CHARLES & NORTH'],
    ['SIGNAL 1770 25TH / GUILFORD', 'intersection 25TH & GUILFORD'],
    ['Russell St', 'street RUSSELL ST'],
    ['', 'unparsed'],
    ['   ,  ', 'unparsed'],
  ])('%s → %s', (text, expected) => {
    expect(read(text)).toBe(expected)
  })

  it('names the hundred-block', () => {
    expect(blockKey(4317, { predir: 'E', name: 'LOMBARD', suffix: 'ST', postdir: '' })).toBe(
      '4300 BLOCK E LOMBARD ST',
    )
    expect(blockKey(17, { predir: '', name: 'GAY', suffix: 'ST', postdir: '' })).toBe(
      '0 BLOCK GAY ST',
    )
  })
})

/**
 * The words of street addresses, to USPS Publication 28 standard abbreviations. City files and
 * callers spell them every way ('AV', 'AVE', 'AVENUE'; 'ROAD', 'RD'); both sides are normalised
 * to the same form before they are compared.
 */

/** Street suffix spellings → the USPS abbreviation. */
export const SUFFIXES: Readonly<Record<string, string>> = (() => {
  const groups: Record<string, string[]> = {
    ALY: ['ALLEY', 'ALLY', 'ALY', 'AL'],
    AVE: ['AVENUE', 'AVE', 'AV', 'AVEN', 'AVENU', 'AVN', 'AVNUE'],
    BLVD: ['BOULEVARD', 'BLVD', 'BOUL', 'BOULV', 'BLV'],
    CIR: ['CIRCLE', 'CIR', 'CIRC', 'CIRCL', 'CRCL', 'CRCLE'],
    CT: ['COURT', 'CT', 'CRT'],
    CV: ['COVE', 'CV'],
    DR: ['DRIVE', 'DR', 'DRIV', 'DRV'],
    DWY: ['DRIVEWAY', 'DWY', 'DRWY'],
    EXPY: ['EXPRESSWAY', 'EXPY', 'EXPW', 'EXPR', 'EXP'],
    GTH: ['GARTH', 'GRTH', 'GTH'],
    GRN: ['GREEN', 'GRN'],
    HL: ['HILL', 'HL'],
    HWY: ['HIGHWAY', 'HWY', 'HIGHWY', 'HIWAY', 'HIWY', 'HWAY'],
    LN: ['LANE', 'LN'],
    MALL: ['MALL'],
    MEWS: ['MEWS'],
    PASS: ['PASS'],
    PATH: ['PATH', 'PATHS'],
    PIKE: ['PIKE', 'PIKES'],
    PKWY: ['PARKWAY', 'PKWY', 'PARKWY', 'PKWAY', 'PKY', 'PW'],
    PL: ['PLACE', 'PL'],
    PLZ: ['PLAZA', 'PLZ', 'PLZA'],
    PT: ['POINT', 'PT'],
    RD: ['ROAD', 'RD'],
    ROW: ['ROW'],
    RUN: ['RUN'],
    SQ: ['SQUARE', 'SQ', 'SQR', 'SQRE', 'SQU'],
    ST: ['STREET', 'ST', 'STR', 'STRT'],
    TER: ['TERRACE', 'TER', 'TERR'],
    TRL: ['TRAIL', 'TRL', 'TRAILS', 'TRLS'],
    TUN: ['TUNNEL', 'TUN', 'TUNL', 'TUNNL'],
    WALK: ['WALK', 'WALKS'],
    WAY: ['WAY', 'WY'],
  }
  const out: Record<string, string> = {}
  for (const [std, spellings] of Object.entries(groups)) for (const s of spellings) out[s] = std
  return out
})()

/** Direction spellings → N, S, E, W, NE, NW, SE, SW. */
export const DIRECTIONS: Readonly<Record<string, string>> = {
  N: 'N',
  NORTH: 'N',
  S: 'S',
  SOUTH: 'S',
  E: 'E',
  EAST: 'E',
  W: 'W',
  WEST: 'W',
  NE: 'NE',
  NORTHEAST: 'NE',
  NW: 'NW',
  NORTHWEST: 'NW',
  SE: 'SE',
  SOUTHEAST: 'SE',
  SW: 'SW',
  SOUTHWEST: 'SW',
}

const ORDINAL_WORDS: Record<string, number> = {
  FIRST: 1,
  SECOND: 2,
  THIRD: 3,
  FOURTH: 4,
  FIFTH: 5,
  SIXTH: 6,
  SEVENTH: 7,
  EIGHTH: 8,
  NINTH: 9,
  TENTH: 10,
  ELEVENTH: 11,
  TWELFTH: 12,
  THIRTEENTH: 13,
  FOURTEENTH: 14,
  FIFTEENTH: 15,
  SIXTEENTH: 16,
  SEVENTEENTH: 17,
  EIGHTEENTH: 18,
  NINETEENTH: 19,
  TWENTIETH: 20,
  THIRTIETH: 30,
  FORTIETH: 40,
  FIFTIETH: 50,
}
const TENS: Record<string, number> = { TWENTY: 20, THIRTY: 30, FORTY: 40, FIFTY: 50, SIXTY: 60 }

/** 1 → '1ST', 22 → '22ND', 13 → '13TH'. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const last = n % 10
  const suffix = teen ? 'TH' : last === 1 ? 'ST' : last === 2 ? 'ND' : last === 3 ? 'RD' : 'TH'
  return `${n}${suffix}`
}

/** Name words with more than one common spelling → the one used in keys. */
const NAME_WORDS: Record<string, string> = {
  MT: 'MOUNT',
  MOUNT: 'MOUNT',
  FT: 'FORT',
  FORT: 'FORT',
  SAINT: 'SAINT',
  STE: 'SAINTE',
  MLK: 'MARTIN LUTHER KING JR',
  JR: 'JR',
  'JR.': 'JR',
}

/**
 * Normalises the tokens of a street *name* (not its suffix or directions): ordinals as
 * numbers ('FIRST' and '1' → '1ST', 'TWENTY SECOND' → '22ND', '05TH' → '5TH'), 'ST' at the
 * start of a name as SAINT, 'MT' as MOUNT.
 */
export function normaliseNameTokens(tokens: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string
    const tens = TENS[t]
    const next = tokens[i + 1]
    if (
      tens !== undefined &&
      next &&
      ORDINAL_WORDS[next] !== undefined &&
      (ORDINAL_WORDS[next] as number) < 10
    ) {
      out.push(ordinal(tens + (ORDINAL_WORDS[next] as number)))
      i++
      continue
    }
    const word = ORDINAL_WORDS[t]
    if (word !== undefined) {
      out.push(ordinal(word))
      continue
    }
    const numbered = t.match(/^0*(\d+)(ST|ND|RD|TH)?$/)
    if (numbered && (numbered[2] || tokens.length === 1)) {
      out.push(ordinal(Number(numbered[1])))
      continue
    }
    if (t === 'ST' && i === 0 && tokens.length > 1) {
      out.push('SAINT')
      continue
    }
    const alias = NAME_WORDS[t]
    if (alias) {
      out.push(...alias.split(' '))
      continue
    }
    out.push(t)
  }
  return out
}

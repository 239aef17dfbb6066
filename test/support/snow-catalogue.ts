import { MINI_CATALOGUE } from './test-app.js'

/** The mini catalogue with the snow call types and the welfare check a wellness call opens (the default catalogue has them all). */
export const SNOW_CATALOGUE = `${MINI_CATALOGUE.trimEnd()}
  - code: SNOW_UNPLOWED_STREET
    name: Street not plowed
    group: Snow
    family: SNOW
    synonyms: [not plowed]
    apco: PUBWKS
    defaultPriority: 4
    defaultMode: referral
    referral: DPW
    public: true
    slaHours: 24
  - code: SNOW_CAR_BLOCKING_PLOW
    name: Car blocking a plow
    group: Snow
    family: SNOW
    synonyms: [car in the way of the plow]
    apco: PARKING
    defaultPriority: 3
    defaultMode: referral
    referral: DPW
    public: true
    slaHours: 4
  - code: WELFARE_CHECK
    name: Check on someone's welfare
    group: Health and welfare
    family: WELFARE
    synonyms: [wellness check]
    apco: WELFARE
    defaultPriority: 2
    defaultMode: dispatch_immediate
    public: false
    slaHours: 2
    questions:
      - { code: concern, prompt: What worries you most?, type: single, options: [no_contact_unanswered, possible_fall_or_illness, other], required: true }
      - { code: hours_since_contact, prompt: Hours since anyone heard from them?, type: number, required: true }
      - { code: vulnerable, prompt: Do any of these apply?, type: multi, options: [elderly, medical_condition, disabled, none], required: true }
`

import type { Migration, MigrationProvider } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'
import { initial } from './0001-initial.js'
import { geography } from './0002-geography.js'
import { accountsAndAudit } from './0003-accounts-and-audit.js'
import { reportNumbers } from './0004-report-numbers.js'
import { units } from './0005-units.js'
import { assignmentsAndReferrals } from './0006-assignments-and-referrals.js'
import { followUp } from './0007-follow-up.js'
import { appointments } from './0008-appointments.js'
import { open311 } from './0009-open311.js'
import { callHistory } from './0010-call-history.js'
import { rollups } from './0011-rollups.js'
import { problems } from './0012-problems.js'
import { evaluation } from './0013-evaluation.js'
import { emergencyInformation } from './0014-emergency-information.js'
import { registryAndSnow } from './0015-registry-and-snow.js'
import { campaigns } from './0016-campaigns.js'
import { blockYears } from './0017-block-years.js'

/** Every migration in order. Add new ones at the end; never edit one that has shipped. */
export function migrationProvider(d: StoreDialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-initial': initial(d),
        '0002-geography': geography(d),
        '0003-accounts-and-audit': accountsAndAudit(d),
        '0004-report-numbers': reportNumbers(d),
        '0005-units': units(d),
        '0006-assignments-and-referrals': assignmentsAndReferrals(d),
        '0007-follow-up': followUp(d),
        '0008-appointments': appointments(d),
        '0009-open311': open311(d),
        '0010-call-history': callHistory(d),
        '0011-rollups': rollups(d),
        '0012-problems': problems(d),
        '0013-evaluation': evaluation(d),
        '0014-emergency-information': emergencyInformation(d),
        '0015-registry-and-snow': registryAndSnow(d),
        '0016-campaigns': campaigns(d),
        '0017-block-years': blockYears(d),
      }
    },
  }
}

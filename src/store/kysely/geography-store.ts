import type { Kysely } from 'kysely'
import type { StreetName } from '../../domain/geography/address.js'
import type {
  Area,
  NamedIntersection,
  Place,
  StreetSegment,
} from '../../domain/geography/city-geography.js'
import type { Position } from '../../domain/geography/geo-math.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { CityGeographyData, GeographyLayer, GeographyStore, LayerRows } from '../ports.js'
import type { Database } from './database.js'
import { type StoreDialect, writeJson } from './dialect.js'

const CHUNK = 400

/** The city's geography over Kysely. A layer is replaced whole, in one transaction. */
export class KyselyGeographyStore implements GeographyStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db
    this.#d = dialect
  }

  async layers(): Promise<GeographyLayer[]> {
    const rows = await this.#db.selectFrom('geo_layer').selectAll().orderBy('layer').execute()
    return rows.map((r) => ({
      layer: r.layer,
      source: r.source,
      checksum: r.checksum,
      features: r.features,
      importedAt: Number(r.imported_at),
      importedBy: r.imported_by,
    }))
  }

  async replaceLayer(
    rows: LayerRows,
    meta: { source: string; checksum: string; at: Instant; actor: string },
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    const layer = rows.kind === 'areas' ? `area:${rows.layer}` : rows.kind
    await this.#db.transaction().execute(async (trx) => {
      const total = rows.items.length
      const report = (i: number) => onProgress?.(Math.min(i, total), total)
      if (rows.kind === 'streets') {
        await trx.deleteFrom('geo_segment').execute()
        for (let i = 0; i < total; i += CHUNK) {
          await trx
            .insertInto('geo_segment')
            .values(
              rows.items.slice(i, i + CHUNK).map((s) => ({
                id: s.id,
                predir: s.street.predir,
                name: s.street.name,
                suffix: s.street.suffix,
                postdir: s.street.postdir,
                from_left: s.fromLeft,
                to_left: s.toLeft,
                from_right: s.fromRight,
                to_right: s.toRight,
                road_class: s.roadClass,
                line: writeJson(s.line),
              })),
            )
            .execute()
          report(i + CHUNK)
        }
      } else if (rows.kind === 'intersections') {
        await trx.deleteFrom('geo_intersection').execute()
        for (let i = 0; i < total; i += CHUNK) {
          await trx
            .insertInto('geo_intersection')
            .values(
              rows.items
                .slice(i, i + CHUNK)
                .map((x) => ({ id: x.id, streets: writeJson(x.streets), lat: x.lat, lon: x.lon })),
            )
            .execute()
          report(i + CHUNK)
        }
      } else if (rows.kind === 'areas') {
        await trx.deleteFrom('geo_area').where('layer', '=', rows.layer).execute()
        for (let i = 0; i < total; i += 50) {
          await trx
            .insertInto('geo_area')
            .values(
              rows.items.slice(i, i + 50).map((a) => ({
                layer: rows.layer,
                id: a.id,
                name: a.name,
                polygons: writeJson(a.polygons),
              })),
            )
            .execute()
          report(i + 50)
        }
      } else {
        await trx.deleteFrom('geo_place').execute()
        for (let i = 0; i < total; i += CHUNK) {
          await trx
            .insertInto('geo_place')
            .values(rows.items.slice(i, i + CHUNK))
            .execute()
          report(i + CHUNK)
        }
      }
      const row = {
        source: meta.source,
        checksum: meta.checksum,
        features: total,
        imported_at: meta.at,
        imported_by: meta.actor,
      }
      await trx
        .insertInto('geo_layer')
        .values({ layer, ...row })
        .onConflict((oc) => oc.column('layer').doUpdateSet(row))
        .execute()
    })
  }

  async load(): Promise<CityGeographyData> {
    const d = this.#d
    const [segments, intersections, areas, places] = await Promise.all([
      this.#db.selectFrom('geo_segment').selectAll().execute(),
      this.#db.selectFrom('geo_intersection').selectAll().execute(),
      this.#db.selectFrom('geo_area').selectAll().execute(),
      this.#db.selectFrom('geo_place').selectAll().execute(),
    ])
    return {
      segments: segments.map(
        (r): StreetSegment => ({
          id: r.id,
          street: { predir: r.predir, name: r.name, suffix: r.suffix, postdir: r.postdir },
          fromLeft: r.from_left,
          toLeft: r.to_left,
          fromRight: r.from_right,
          toRight: r.to_right,
          roadClass: r.road_class,
          line: d.readJson<Position[]>(r.line),
        }),
      ),
      intersections: intersections.map(
        (r): NamedIntersection => ({
          id: r.id,
          streets: d.readJson<StreetName[]>(r.streets),
          lat: r.lat,
          lon: r.lon,
        }),
      ),
      areas: areas.map(
        (r): Area => ({
          layer: r.layer,
          id: r.id,
          name: r.name,
          polygons: d.readJson<Position[][][]>(r.polygons),
        }),
      ),
      places: places.map(
        (r): Place => ({ id: r.id, name: r.name, kind: r.kind, lat: r.lat, lon: r.lon }),
      ),
    }
  }
}

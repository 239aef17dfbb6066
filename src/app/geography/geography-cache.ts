import { CityGeography } from '../../domain/geography/city-geography.js'
import type { Store } from '../../store/ports.js'

/**
 * The city's geography, loaded from the store once and kept in memory (the geocoder and
 * autocomplete answer in microseconds from it). An import replaces it.
 */
export class GeographyCache {
  readonly #store: Store
  #city: Promise<CityGeography | null> | null = null

  constructor(store: Store) {
    this.#store = store
  }

  /** The geography, or null when none has been imported yet. */
  get(): Promise<CityGeography | null> {
    if (!this.#city) {
      this.#city = this.#load()
      this.#city.catch(() => {
        this.#city = null
      })
    }
    return this.#city
  }

  invalidate(): void {
    this.#city = null
  }

  async #load(): Promise<CityGeography | null> {
    const data = await this.#store.geography.load()
    if (data.segments.length === 0 && data.areas.length === 0) return null
    return new CityGeography(data)
  }
}

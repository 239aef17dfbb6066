/** Produces new unique ids. Passed in, like the clock, so tests and the simulator control them. */
export interface IdGenerator {
  next(): string
}

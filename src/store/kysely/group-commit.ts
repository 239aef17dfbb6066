/**
 * Group commit: writes that arrive together are committed together, in one transaction and
 * one fsync, the way databases batch commits from many sessions. Each caller's promise
 * settles only after the batch holding its write has committed, so a 2xx still means durable.
 *
 * A batch that fails as a whole is retried one write at a time, so one bad write fails alone
 * and never takes its neighbours with it.
 */
interface Pending<J, R> {
  job: J
  resolve: (r: R) => void
  reject: (e: unknown) => void
}

export class GroupCommit<J, R> {
  readonly #commitBatch: (jobs: J[]) => Promise<Array<R | Error>>
  readonly #maxBatch: number
  readonly #maxConcurrent: number
  #queue: Array<Pending<J, R>> = []
  #running = 0
  #scheduled = false

  /**
   * @param commitBatch writes all jobs in one transaction; returns one result per job, or an
   *   Error for a job that failed on its own without spoiling the transaction.
   */
  constructor(
    commitBatch: (jobs: J[]) => Promise<Array<R | Error>>,
    options: { maxBatch: number; maxConcurrent: number },
  ) {
    this.#commitBatch = commitBatch
    this.#maxBatch = options.maxBatch
    this.#maxConcurrent = options.maxConcurrent
  }

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject })
      this.#schedule()
    })
  }

  // Waiting one turn of the event loop lets every request parsed in this turn join the batch.
  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#drain()
    })
  }

  #drain(): void {
    while (this.#running < this.#maxConcurrent && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch)
      this.#running++
      void this.#run(batch).finally(() => {
        this.#running--
        if (this.#queue.length > 0) this.#drain()
      })
    }
  }

  async #run(batch: Array<Pending<J, R>>): Promise<void> {
    try {
      const results = await this.#commitBatch(batch.map((b) => b.job))
      batch.forEach((b, i) => {
        settle(b, results[i] as R | Error)
      })
    } catch (batchError) {
      if (batch.length === 1) {
        batch[0]?.reject(batchError)
        return
      }
      for (const b of batch) {
        try {
          const [result] = await this.#commitBatch([b.job])
          settle(b, result as R | Error)
        } catch (err) {
          b.reject(err)
        }
      }
    }
  }
}

function settle<R>(
  b: { resolve: (r: R) => void; reject: (e: unknown) => void },
  r: R | Error,
): void {
  if (r instanceof Error) b.reject(r)
  else b.resolve(r)
}

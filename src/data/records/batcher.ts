// Micro-batching: callers submit one item each and wait for their own result, while the work
// runs over everything submitted meanwhile in one go (one SQL transaction = one fsync for many
// API calls; one DuckDB query for many records). While a batch runs the next one accumulates, so
// batches grow with the load and an idle service answers without waiting.

/** A per-item failure returned by the batch work (the other items of the batch still succeed). */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running: Promise<void> | undefined;

  constructor(
    /** Results in item order; an ItemFailure rejects that item's caller. Throwing rejects the whole batch. */
    private readonly work: (items: I[]) => Promise<(O | ItemFailure)[]>,
    private readonly maxItems = 500,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once everything submitted so far has been worked off. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop lets requests whose bytes already arrived join the batch.
        await new Promise<void>((r) => setImmediate(r));
        const batch = this.queue.splice(0, this.maxItems);
        let results: (O | ItemFailure)[];
        try {
          results = await this.work(batch.map((w) => w.item));
        } catch (e) {
          results = batch.map(() => new ItemFailure(e));
        }
        batch.forEach((w, i) => {
          const r = results[i];
          if (r instanceof ItemFailure) w.reject(r.error);
          else w.resolve(r);
        });
      }
    } finally {
      this.running = undefined;
    }
  }
}

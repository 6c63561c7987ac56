/**
 * Tasks run `concurrency` at a time, with more added while it runs (the per-resource calls of a
 * subscription that the batch API refused join as soon as it refuses). The first failure stops it:
 * no task starts after it, and done() rejects with it once the running tasks have ended.
 */
export class WorkQueue<T> {
  private readonly tasks: (T | undefined)[] = [];
  private next = 0;
  private running = 0;
  private failure: { error: unknown } | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly work: (task: T) => Promise<void>,
  ) {}

  /** Adds tasks (ignored after a failure). */
  add(tasks: Iterable<T>): void {
    for (const t of tasks) this.tasks.push(t);
    this.pump();
  }

  /** Starts no more tasks (the run failed elsewhere). */
  stop(error: unknown): void {
    this.failure ??= { error };
  }

  private pump(): void {
    while (this.failure === undefined && this.running < this.concurrency && this.next < this.tasks.length) {
      const t = this.tasks[this.next]!;
      this.tasks[this.next++] = undefined;
      this.running++;
      this.work(t)
        .catch((error: unknown) => {
          this.failure ??= { error };
        })
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0) for (const w of this.waiters.splice(0)) w();
        });
    }
  }

  /** Resolves when every task added so far has ended; rejects with the first failure. */
  async done(): Promise<void> {
    while (this.running > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure !== undefined) throw this.failure.error;
  }
}

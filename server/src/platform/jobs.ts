/**
 * Periodic background jobs of the modules (wake snoozed conversations, and later SLA clocks and
 * scheduled reports). Each run of a job finishes before the next starts; errors are logged.
 */
export class JobScheduler {
  private readonly jobs: Array<{ name: string; everyMs: number; run: () => Promise<unknown> }> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();
  private readonly stoppers: Array<() => Promise<unknown>> = [];
  private readonly starters: Array<{ name: string; start: () => Promise<unknown> | unknown }> = [];

  constructor(private readonly onError: (name: string, error: unknown) => void) {}

  every(name: string, everyMs: number, run: () => Promise<unknown>): void {
    this.jobs.push({ name, everyMs, run });
  }

  /** A long-running listener (an SMTP server) to start with the workers; it registers its own stop. */
  onStart(name: string, start: () => Promise<unknown> | unknown): void {
    this.starters.push({ name, start });
  }

  start(): void {
    for (const starter of this.starters) {
      void Promise.resolve()
        .then(starter.start)
        .catch((error) => this.onError(starter.name, error));
    }
    for (const job of this.jobs) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        const run = job
          .run()
          .catch((error) => this.onError(job.name, error))
          .finally(() => {
            busy = false;
            this.running.delete(run);
          });
        this.running.add(run);
      }, job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Work to finish when the workers stop (long-running loops a module started from a job). */
  onStop(stop: () => Promise<unknown>): void {
    this.stoppers.push(stop);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
    await Promise.allSettled(this.stoppers.map((stop) => stop()));
  }
}

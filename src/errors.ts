/**
 * Typed errors and the exit codes they map to. Commands throw these (or return an exit code); only
 * src/cli/entry.ts turns them into a process exit status. The exit-code table of docs/exit-codes.md mirrors EXIT.
 */
export const EXIT = {
  /** Success; for `check`, every error-level rule passed. */
  OK: 0,
  /** `check`: at least one error-level rule failed. */
  GATE_FAILED: 1,
  /** Bad command line, unknown name, invalid rules file. */
  USAGE: 2,
  /** The data could not be obtained or read: bad fixture, Azure error, network, credentials. */
  DATA: 3,
  /** Partial results: the data was printed or written, but some resource or metric could not be fetched (--allow-partial: 0). */
  PARTIAL: 4,
  /** A bug in acs-metrics itself. */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error meant for the user: printed as one line per problem, no stack trace. */
export class CliError extends Error {
  readonly problems: readonly string[];
  constructor(
    readonly exitCode: ExitCode,
    problems: string | readonly string[],
    options?: { cause?: unknown },
  ) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'), options);
    this.problems = list;
  }
}

/** The command line, a name or a rules file is wrong (exit 2). */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(problems: string | readonly string[], options?: { cause?: unknown }) {
    super(EXIT.USAGE, problems, options);
  }
}

/** The data could not be obtained or is not what it should be (exit 3). */
export class DataError extends CliError {
  override name = 'DataError';
  constructor(problems: string | readonly string[], options?: { cause?: unknown }) {
    super(EXIT.DATA, problems, options);
  }
}

/** The run was interrupted by a signal (exit 130). */
export class InterruptedError extends CliError {
  override name = 'InterruptedError';
  constructor(message = 'interrupted') {
    super(EXIT.INTERRUPTED, message);
  }
}

/** Gathers problems so that a command can report all of them at once. */
export class Problems {
  private readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
  /** Runs fn, keeping its CliError problems instead of throwing; returns undefined on failure. */
  try<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CliError) {
        this.list.push(...err.problems);
        return undefined;
      }
      throw err;
    }
  }
  /** tryAsync: the same for a promise. */
  async tryAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CliError) {
        this.list.push(...err.problems);
        return undefined;
      }
      throw err;
    }
  }
  get count(): number {
    return this.list.length;
  }
  /** Throws every problem (each once, in the order first added). */
  throwIfAny(make: (problems: string[]) => CliError = (p) => new UsageError(p)): void {
    if (this.list.length > 0) throw make([...new Set(this.list)]);
  }
}

/** The world a command sees. Tests pass their own; entry.ts passes the process's. */
export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The clock, for "--since 24h" against live data. */
  readonly now: () => Date;
  /** Aborted on SIGINT: long-running work should stop promptly. */
  readonly signal?: AbortSignal;
}

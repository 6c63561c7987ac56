// Placeholder: replaced by the fixture-source implementation.
import type { Io } from '../cli/io.js';
import type { Query } from '../core/model.js';
import type { MetricsSource, SourceResult } from './source.js';

export class FixtureSource implements MetricsSource {
  readonly label: string;
  constructor(
    private readonly paths: readonly string[],
    private readonly io: Io,
  ) {
    this.label = paths.join(', ');
  }
  async fetch(_queries: readonly Query[]): Promise<SourceResult> {
    void this.io;
    throw new Error('not implemented');
  }
}

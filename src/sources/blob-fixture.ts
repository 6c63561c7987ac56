/**
 * `--fixture https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX`: the files of a blob archive that
 * the queries need (archive-files.ts: the manifest's finished files; in Parquet only the partitions
 * of the queries' metrics and months), copied to a temp folder that the fixture reader reads as a
 * local archive and removes when it is done.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Query } from '../core/model.js';
import { DataError } from '../errors.js';
import { archiveFiles } from './archive-files.js';
import { openBlobStore } from './blob-store.js';
import { MANIFEST } from './export-store.js';

/** Downloads at once. */
const PARALLEL = 8;

export interface Downloaded {
  /** The temp folder; `made` was told of it as soon as it existed. */
  readonly dir: string;
  /** The files copied, relative, "/"-separated, in path order. */
  readonly files: readonly string[];
  readonly shown: string;
}

export async function downloadArchive(
  url: string,
  queries: readonly Query[],
  env: Readonly<Record<string, string | undefined>>,
  made: (dir: string) => void,
  signal?: AbortSignal,
): Promise<Downloaded> {
  const store = await openBlobStore(url, env);
  const listing = await archiveFiles(store, queries, signal);
  if (listing === undefined) throw new DataError(`${store.shown}: no acs-metrics archive here (no ${MANIFEST} and no .parquet files)`);
  if (listing.total === 0) throw new DataError(`${store.shown}: the export holds no finished file yet: run acs-metrics export ${store.shown}`);
  const bad = listing.files.find((f) => f.split('/').some((p) => p === '' || p === '.' || p === '..'));
  if (bad !== undefined) throw new DataError(`${store.name(bad)}: not a file name an archive holds (empty, . or .. in it): the manifest is damaged`);
  const dir = await mkdtemp(join(tmpdir(), 'acs-metrics-blob-'));
  made(dir);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listing.files.length) {
      const file = listing.files[next++]!;
      const data = await store.read(file, signal);
      if (data === undefined)
        throw new DataError(`${store.name(file)}: missing, though the manifest lists it: check with acs-metrics export --verify ${store.shown}`);
      const path = join(dir, ...file.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, listing.files.length) }, worker));
  return { dir, files: listing.files, shown: store.shown };
}

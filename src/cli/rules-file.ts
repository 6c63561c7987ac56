/**
 * A rules file read into a value: its text from disk, then JSON (a key given twice refused) or YAML
 * (the yaml package is loaded only then), numbers a double cannot hold refused in both. What the
 * value says is checked by check-config.ts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findDuplicateKeys, pathText } from '../sources/json-duplicates.js';
import { CliError, UsageError } from '../errors.js';
import { parseJson } from '../sources/parse-response.js';
import type { Io } from './io.js';
import { refuseUnreadable } from './rules-numbers.js';

/** The file's text; a file that cannot be read is a usage error naming why. */
export async function readRulesText(path: string, origin: string, io: Io): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (err as Error).message;
    throw new UsageError(`cannot read rules file ${origin}: ${why}`, { cause: err });
  }
}

/** The file's text as a value: JSON, or YAML (the yaml package is loaded only then). */
export async function parseRulesText(text: string, origin: string, format: 'json' | 'yaml'): Promise<unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new UsageError(`${origin}: empty rules file`);
  return format === 'json' ? parseRulesJson(body, origin) : parseRulesYaml(body, origin);
}

async function parseRulesJson(body: string, origin: string): Promise<unknown> {
  let value: unknown;
  try {
    value = parseJson(body, origin);
  } catch (err) {
    if (err instanceof CliError) throw new UsageError(err.problems, { cause: err });
    throw err;
  }
  // JSON.parse keeps the last of a key given twice; YAML refuses it, and so does a JSON rules file.
  const twice = findDuplicateKeys(body);
  if (twice.length > 0) {
    throw new UsageError(
      twice.map(
        (d) =>
          `${origin}: ${pathText([...d.path, d.key])} is given twice (line ${d.line}, column ${d.column}; ${d.first}, then ${d.second}): give each key once`,
      ),
    );
  }
  await refuseUnreadable(value, body, origin);
  return value;
}

/** The most expansions of one alias (the yaml package's default, said here so that the message names it). */
const YAML_MAX_ALIASES = 100;

async function parseRulesYaml(body: string, origin: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(body);
  if (doc.errors.length > 0) {
    // The first line of each message: "Map keys must be unique at line 2, column 1:".
    throw new UsageError(doc.errors.map((e) => `${origin}: not valid YAML: ${e.message.split('\n')[0]!.replace(/:\s*$/, '')}`));
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: YAML_MAX_ALIASES });
  } catch (err) {
    // An alias bomb ("billion laughs") or an alias the document cannot resolve: an invalid rules file.
    const why = /alias count/i.test((err as Error).message)
      ? `aliases expand too far (more than ${YAML_MAX_ALIASES} times a node): a rules file needs few aliases`
      : (err as Error).message.split('\n')[0]!;
    throw new UsageError(`${origin}: not valid YAML: ${why}`, { cause: err });
  }
  await refuseUnreadable(value, doc, origin);
  return value;
}

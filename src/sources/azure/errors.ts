/** Azure SDK and network failures as one clear line each (DataError, exit 3). */
import { didYouMean, suggest } from '../../catalog/names.js';
import type { MetricDef } from '../../catalog/types.js';
import { humanDuration } from '../../core/duration.js';
import { CliError, DataError, InterruptedError } from '../../errors.js';
import { credentialError, oneLine } from './credentials.js';
import { BadAnswerError, RequestTimeoutError, RetriesExhaustedError } from './pipeline.js';
import type { ResourceId } from './resource-id.js';

export interface ErrorContext {
  /** host[:port] of the endpoint. */
  readonly host: string;
  readonly resource: ResourceId;
  /** The metric the request was for, when there is one. */
  readonly metric?: MetricDef;
  /** Where the token came from: the advice for a 401 differs. */
  readonly tokenKind: 'env-token' | 'default';
  readonly signal?: AbortSignal;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|EPROTO$|HOSTNAME_MISMATCH)/;

function networkLine(code: string, message: string, host: string): string | undefined {
  if (code === 'ECONNREFUSED') return `cannot reach ${host}: connection refused (ECONNREFUSED); check --endpoint and your network`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot reach ${host}: host name not found (${code}); check --endpoint and your network`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `the connection to ${host} was closed before an answer came (${code}); try again`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `cannot reach ${host} (${code}); check your network or proxy`;
  if (TLS_CODES.test(code)) return `cannot reach ${host}: TLS problem (${code}): ${oneLine(message, 200)}`;
  return undefined;
}

/** The service's hint for a rejected metric or dimension name, with the catalog's view. */
function badRequestHint(message: string, ctx: ErrorContext): string {
  const metric = ctx.metric;
  if (!metric) return '';
  const valid = /valid metrics:\s*([^.;]+)/i.exec(message)?.[1];
  if (valid) {
    const names = valid
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const dym = didYouMean(
      suggest(
        metric.rest,
        names.map((n) => ({ names: [n], label: n, value: n })),
      ),
    );
    return `${dym ? ` (${dym})` : ''}; the built-in catalog may not match this resource: run "acs-metrics definitions" with the same --resource to compare`;
  }
  if (/metric/i.test(message) && /(configuration|not found|unknown|invalid|does not)/i.test(message)) {
    return `; the built-in catalog may not match this resource: run "acs-metrics definitions" with the same --resource to compare`;
  }
  if (/dimension/i.test(message)) {
    const dims = metric.dimensions.map((d) => d.rest).join(', ');
    return `; the catalog's dimensions for ${metric.alias} are ${dims}: run "acs-metrics definitions" with the same --resource to compare`;
  }
  return '';
}

function httpLine(status: number, code: string | undefined, message: string, ctx: ErrorContext): string {
  const tag = `HTTP ${status}${code ? ` ${code}` : ''}`;
  const id = `/${ctx.resource.id}`;
  const what = ctx.metric ? ` for ${ctx.metric.rest}` : '';
  switch (status) {
    case 401:
      return ctx.tokenKind === 'env-token'
        ? `Azure rejected the access token in ACS_METRICS_ACCESS_TOKEN (${tag}): it has expired or is for another tenant or cloud; get a new one (az account get-access-token)`
        : `Azure rejected the access token (${tag}): it has expired or is for another tenant or cloud; sign in again (az login)`;
    case 403:
      return `access denied to ${id} (${tag}): reading metrics needs the Monitoring Reader role on the resource (or its resource group or subscription)`;
    case 404:
      return `resource not found: ${id} (${tag}): check the subscription, resource group and name`;
    case 400:
      return `Azure Monitor rejected the request${what} (${tag}): ${oneLine(message)}${badRequestHint(message, ctx)}`;
    default:
      return `Azure Monitor failed${what} (${tag}): ${oneLine(message)}`;
  }
}

function exhaustedLine(err: RetriesExhaustedError, ctx: ErrorContext): string {
  const what =
    err.status === 429
      ? 'Azure Monitor is throttling requests (HTTP 429)'
      : err.status === 529
        ? 'the Azure Monitor metrics back end is busy (HTTP 529)'
        : `Azure Monitor failed${ctx.metric ? ` for ${ctx.metric.rest}` : ''} (HTTP ${err.status}${err.serviceCode ? ` ${err.serviceCode}` : ''}${err.serviceMessage ? `: ${oneLine(err.serviceMessage, 200)}` : ''})`;
  if (err.askedWaitMs !== undefined) {
    return `${what} and asked to wait ${humanDuration(err.askedWaitMs)}, longer than acs-metrics waits; try again later`;
  }
  return `${what}, still after ${err.retries} ${err.retries === 1 ? 'retry' : 'retries'}; try again later`;
}

/** Maps any failure of a request to a CliError; rethrows what is not an Azure or network failure. */
export function toCliError(err: unknown, ctx: ErrorContext): CliError {
  if (err instanceof CliError) return err;
  if (ctx.signal?.aborted) return new InterruptedError();
  if (err instanceof RequestTimeoutError) return new DataError(`${err.message}; raise --timeout`, { cause: err });
  if (err instanceof BadAnswerError) return new DataError(`${err.message}; try again`, { cause: err });
  if (err instanceof RetriesExhaustedError) return new DataError(exhaustedLine(err, ctx), { cause: err });
  const cred = credentialError(err, ctx.signal);
  if (cred) return cred as CliError;
  const e = err as { name?: unknown; statusCode?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (e.name === 'RestError') {
    if (typeof e.statusCode === 'number' && code !== 'PARSE_ERROR') return new DataError(httpLine(e.statusCode, code, message, ctx), { cause: err });
    if (code === 'PARSE_ERROR') return new DataError(`the answer from ${ctx.host} was cut short or is not valid JSON; try again`, { cause: err });
    const line = code ? networkLine(code, message, ctx.host) : undefined;
    if (line) return new DataError(line, { cause: err });
    return new DataError(`cannot reach ${ctx.host}: ${oneLine(message, 200)}${code ? ` (${code})` : ''}`, { cause: err });
  }
  if (code) {
    const line = networkLine(code, message, ctx.host);
    if (line) return new DataError(line, { cause: err });
  }
  throw err;
}

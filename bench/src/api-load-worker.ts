// node dist/src/api-load-worker.js '<ApiLoadSpec as JSON>': one phase of history API load with
// autocannon, every answer timed and counted (api-responses.ts); prints {"event":"started"} as
// the first request goes out, then {"event":"result","summary":{…}}, one JSON object a line.
// Run by ApiLoad (api-load.ts), never by hand.
import autocannon from 'autocannon';
import { buildApiMix } from './api-mix.js';
import type { ApiRequestKind } from './api-mix.js';
import type { ApiLoadSpec } from './api-load.js';
import { ResponseLog } from './api-responses.js';

/** What a connection's autocannon context holds about its request in flight (pipelining 1). */
interface InFlight {
  kind?: ApiRequestKind;
  path?: string;
}

/** A phase that is not over this long after its duration has hung: say so and stop. */
const GRACE_MS = 30_000;

const emit = (event: object): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as ApiLoadSpec;
  const requests = buildApiMix(spec.mix);
  const log = new ResponseLog();
  let next = 0;
  /**
   * The kind of the response being counted: autocannon calls a request's onResponse and then,
   * synchronously, emits the instance's 'response' event for the same answer
   * (lib/httpClient.js, kOnMessageComplete), which alone has its time and bytes.
   */
  let answered: ApiRequestKind = 'recent-1m';
  /** The ETag of the last 200 to each path, for the reloads' If-None-Match. */
  const etags = new Map<string, string>();
  const request: autocannon.Request = {
    method: 'GET',
    setupRequest: (base, context) => {
      const chosen = requests[next++ % requests.length];
      if (chosen === undefined) throw new Error('the API mix is empty');
      const inFlight = context as InFlight;
      inFlight.kind = chosen.kind;
      inFlight.path = chosen.path;
      const etag = chosen.revalidate ? etags.get(chosen.path) : undefined;
      return {
        ...base,
        path: chosen.path,
        headers: etag === undefined ? {} : { 'If-None-Match': etag },
      };
    },
    onResponse: (status, _body, context, headers = {}) => {
      const { kind = 'recent-1m', path = '' } = context as InFlight;
      answered = kind;
      const header = (name: string): string => {
        const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
        return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
      };
      const etag = header('etag');
      if (status === 200 && etag !== '') etags.set(path, etag);
    },
  };

  const { pacing } = spec;
  // A lane whose share rounds to 0 would send unbounded: there is none (the plan has lanes ≤ rate).
  const lanes =
    pacing.kind === 'paced'
      ? Array.from({ length: pacing.lanes }, (_, i) => ({
          connections: 1,
          overallRate: share(pacing.rate, pacing.lanes, i),
          delayMs: (i * 1_000) / pacing.lanes,
        })).filter((lane) => lane.overallRate > 0)
      : [{ connections: pacing.connections, overallRate: 0, delayMs: 0 }];

  const hung = setTimeout(
    () => {
      emit({
        event: 'error',
        message: `the phase did not end within ${spec.durationS} s + ${GRACE_MS} ms`,
      });
      process.exit(1);
    },
    spec.durationS * 1_000 + GRACE_MS,
  );
  emit({ event: 'started' });
  const results = await Promise.all(
    lanes.map(async (lane) => {
      if (lane.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, lane.delayMs));
      return new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: spec.url,
            connections: lane.connections,
            ...(lane.overallRate > 0 ? { overallRate: lane.overallRate } : {}),
            duration: spec.durationS,
            pipelining: 1,
            // Each lane's own copy: autocannon keeps the built request on the object.
            requests: [{ ...request }],
          },
          (error: unknown, result) => {
            if (error) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
            else resolve(result);
          },
        );
        instance.on('response', (_client, statusCode, resBytes, responseTime) => {
          log.record(answered, statusCode, responseTime, resBytes);
        });
      });
    }),
  );
  clearTimeout(hung);
  for (const result of results) log.failed(result.errors, result.timeouts);
  // Each lane sends for `durationS` seconds from its own start: the rate is over one lane's span.
  const spanMs = (results.reduce((sum, r) => sum + r.duration, 0) / results.length) * 1_000;
  emit({ event: 'result', summary: log.summary(spanMs) });
  // Alive until the harness has read this process's CPU time, then ended by it (SIGTERM).
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
}

/** Lane `i`'s part of `total` requests a second over `lanes` lanes: they add up to `total`. */
function share(total: number, lanes: number, i: number): number {
  return Math.floor(total / lanes) + (i < total % lanes ? 1 : 0);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);

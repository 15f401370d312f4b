// The five servers under test, each started as a user would start it, and the wire format the
// load generator must speak to it; and the feed server scaled out (`ticker-gw<N>`: one source,
// its own Redis, N gateways), measured on request.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { peersDir } from './paths.js';

/** The load generator's modes (loadgen.c): how a server frames ticks. */
export type WireMode = 'ticker' | 'bundle' | 'json' | 'socketio';

export interface Contender {
  readonly name: string;
  readonly label: string;
  /** The Node script that runs it. */
  readonly script: string;
  readonly mode: WireMode;
  /** Peers start their feed on the harness's signal; the feed server runs as users run it. */
  readonly startsOnSignal: boolean;
  /**
   * Scale-out contenders only: how many `gateway` processes share the clients, fed by one
   * `source` process through a Redis the harness starts for the run.
   */
  readonly gateways?: number;
}

/**
 * Another build of the feed server to run as `ticker` (and scaled out) instead of the
 * workspace's, named by BENCH_FEED_SERVER (its dist/main.js): e.g. a saved copy of the previous
 * server, for a before/after comparison on the same machine. Null: the workspace's build.
 */
export const FEED_SERVER_OVERRIDE: string | null = process.env.BENCH_FEED_SERVER ?? null;

const feedServerMain =
  FEED_SERVER_OVERRIDE ??
  join(
    dirname(createRequire(import.meta.url).resolve('@ticker/feed-server/package.json')),
    'dist',
    'main.js',
  );

const peer = (name: string, label: string, mode: WireMode): Contender => ({
  name,
  label,
  script: join(peersDir, `${name}.js`),
  mode,
  startsOnSignal: true,
});

/** This project first: every ratio in the report is a peer's figure over this one's. */
export const CONTENDERS: readonly Contender[] = [
  {
    name: 'ticker',
    label: 'Ticker feed server (uWS, binary batches)',
    script: feedServerMain,
    mode: 'ticker',
    startsOnSignal: false,
  },
  peer('ws-batch', 'ws, binary batches, one frame per client per flush', 'bundle'),
  peer('uws-json', 'uWebSockets.js, JSON per tick', 'json'),
  peer('ws-json', 'ws, JSON per tick', 'json'),
  peer('socketio-json', 'Socket.IO, room per symbol, JSON per tick', 'socketio'),
];

export const OURS = 'ticker';

/** Gateways one scale-out deployment may have (the load generator takes up to 16 ports). */
export const MAX_GATEWAYS = 8;

const SCALE_OUT_NAME = /^ticker-gw([1-9]\d*)$/;

/**
 * `ticker-gw<N>`: the feed server as docs/DEPLOY.md scales it out, one `source` and N
 * `gateway` processes of the same dist/main.js; null for any other name or N out of range.
 */
export function scaleOutContender(name: string): Contender | null {
  const gateways = Number(SCALE_OUT_NAME.exec(name)?.[1]);
  if (!Number.isInteger(gateways) || gateways < 1 || gateways > MAX_GATEWAYS) return null;
  return {
    name: `ticker-gw${gateways}`,
    label: `Ticker scaled out: 1 source, its own redis-server, ${gateways} gateway${gateways > 1 ? 's' : ''} sharing the clients`,
    script: feedServerMain,
    mode: 'ticker',
    startsOnSignal: false,
    gateways,
  };
}

export const isScaleOut = (name: string): boolean => scaleOutContender(name) !== null;

/** One of the five servers or a scale-out deployment, by name; null if there is none. */
export function findContender(name: string): Contender | null {
  return CONTENDERS.find((c) => c.name === name) ?? scaleOutContender(name);
}

// The five servers under test, each started as a user would start it, and the wire format the
// load generator must speak to it.
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
}

const feedServerMain = join(
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

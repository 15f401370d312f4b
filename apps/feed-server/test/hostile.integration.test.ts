import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ErrorCode,
  MessageType,
  PROTOCOL_VERSION,
  decodeSnapshot,
  encodePing,
  encodeResync,
  encodeSubscribe,
  encodeUnsubscribe,
} from '@ticker/protocol';
import type { ErrorReply } from '@ticker/protocol';
import {
  Peer,
  Random,
  RawPeer,
  ServerProcess,
  closedWith,
  closesByCode,
  hex,
  pollUntil,
  rejected,
  runPool,
  undecodable,
  Watcher,
  upgradeRequest,
  within,
} from './hostile-harness.js';
import type { BadFrame, CloseEvent, Metrics, Reason } from './hostile-harness.js';
import { closeCodeLabel } from '../src/gateway/server-stats.js';

/*
 * The hardening suite: hundreds of hostile clients, in waves, against one server process while a
 * well-behaved client watches its feed. Every hostile client proves from the replies it gets that
 * the server answered exactly as documented (README "Limits and bad input"), and reports what it
 * caused; at the end /metrics must hold exactly those counts, the server must still be alive and
 * its memory back near where it started.
 *
 * A failing run prints its seed; HOSTILE_SEED=<seed> replays the same frames (timing aside), and
 * HOSTILE_WAVES=25 turns it into a longer soak (about 2,350 clients in 10 s on two cores).
 * To add a behaviour: write an `async (attack) => Outcome` below and give it a share in PLAN.
 */

const BTC = 1;
const ETH = 2;
/** Low, so a flood can cross it with a handful of known symbols. */
const MAX_SUBSCRIPTIONS = 8;
/** The default, spelled out because the flood arithmetic below depends on it. */
const MAX_MESSAGES_PER_SECOND = 20;
/**
 * The token bucket starts full with twice the rate; past that many refusals in a run lasting over
 * a second, 1008 (PROTOCOL.md "Message rate").
 */
const BURST = 2 * MAX_MESSAGES_PER_SECOND;
/** A flood's pace after its first burst: five times the rate, so it is refused without a break. */
const FLOOD_INTERVAL_MS = 10;
/** uWS's own payload cap in feed-server.ts (UWS_PAYLOAD_BACKSTOP_BYTES, not exported). */
const UWS_BACKSTOP_BYTES = 64 * 1024;
const WAVES = Number(process.env.HOSTILE_WAVES ?? 5);
const PAUSE_BETWEEN_WAVES_MS = 200;
/** Hostile clients in flight at once; the server allows 1,000 per address here. */
const CONCURRENCY = 48;

const seed = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** What one hostile client caused, as it can prove from what it sent and what came back. */
interface Outcome {
  readonly rejected: Partial<Record<Reason, number>>;
  /**
   * The close code the server's close handler saw, or null when the server may never have
   * opened the connection at all (given up during the upgrade).
   */
  readonly serverClose: number | null;
}

interface Attack {
  readonly url: string;
  readonly port: number;
  readonly random: Random;
  /** As announced in the hello (MaxClientFrameBytes): 4,096. */
  readonly frameLimit: number;
  readonly knownIds: readonly number[];
  /** Larger than every id in the directory. */
  readonly unknownId: number;
}

type Behaviour = (attack: Attack) => Promise<Outcome>;

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

function checkReplies(actual: readonly ErrorReply[], frames: readonly BadFrame[]): void {
  check(actual.length === frames.length, () => `${actual.length} replies to ${frames.length}`);
  frames.forEach((frame, i) => {
    const reply = actual[i];
    check(
      reply?.requestId === frame.reply.requestId &&
        reply.code === frame.reply.code &&
        reply.message === frame.reply.message,
      () =>
        `frame ${hex(frame.bytes)} answered ${JSON.stringify(reply)}, expected ${JSON.stringify(frame.reply)}`,
    );
  });
}

/** Leaves as a client may: a close handshake with or without a code, or a dropped socket. */
async function leave(peer: Peer, random: Random): Promise<number> {
  const how = random.int(0, 2);
  if (how === 2) {
    peer.socket.terminate();
    return 1006;
  }
  const expected = how === 0 ? 1000 : 1005;
  if (how === 0) peer.socket.close(1000);
  else peer.socket.close(); // an empty close frame: the server reports 1005 (RFC 6455 7.1.5)
  const { code } = await peer.waitClosed('the close handshake');
  check(code === expected, () => `closed with ${code}, expected ${expected}`);
  return expected;
}

const CLIENT_TYPES = [
  MessageType.Subscribe,
  MessageType.Unsubscribe,
  MessageType.Resync,
  MessageType.Ping,
];

/** Random bytes, half of them behind a valid header so the body decoders are reached too. */
const randomBytes: Behaviour = async ({ url, random }) => {
  const peer = await Peer.open(url);
  // Fewer messages than the burst: this client is testing the decoder, not the rate limit.
  const frames = Array.from({ length: random.int(10, BURST - 10) }, () =>
    undecodable(() =>
      random.chance(0.5)
        ? random.bytes(random.int(0, 512))
        : Uint8Array.of(
            PROTOCOL_VERSION,
            random.pick(CLIENT_TYPES),
            ...random.bytes(random.int(0, 40)),
          ),
    ),
  );
  for (const frame of frames) peer.send(frame.bytes);
  await peer.until(() => peer.errors().length >= frames.length, `${frames.length} error replies`);
  checkReplies(peer.errors(), frames);
  await peer.pingPong(1); // the connection stays open
  return { rejected: { malformed: frames.length }, serverClose: await leave(peer, random) };
};

function validRequest({ random, knownIds }: Attack): Uint8Array {
  const requestId = random.int(1, 2 ** 31);
  const symbolIds = Array.from({ length: random.int(1, 20) }, () => random.pick(knownIds));
  switch (random.int(0, 3)) {
    case 0:
      return encodeSubscribe({ requestId, symbolIds }).slice();
    case 1:
      return encodeUnsubscribe({ requestId, symbolIds }).slice();
    case 2:
      return encodeResync({ requestId, symbolId: random.pick(knownIds) }).slice();
    default:
      return encodePing({ nonce: random.int(0, 2 ** 40) }).slice();
  }
}

/** Valid requests cut short after the header, with bytes trailing, or naming too many ids. */
const truncatedFrames: Behaviour = async (attack) => {
  const { url, random, knownIds } = attack;
  const peer = await Peer.open(url);
  const frames = Array.from({ length: random.int(10, BURST - 10) }, () =>
    undecodable(() => {
      const valid = validRequest(attack);
      switch (random.int(0, 5)) {
        case 0:
          return Uint8Array.of(...valid, ...random.bytes(random.int(1, 8))); // trailing bytes
        case 1: // 257+ ids: the decoder's bound (code 5), still counted as malformed
          return encodeSubscribe({
            requestId: 1,
            symbolIds: Array.from({ length: random.int(257, 600) }, () => random.pick(knownIds)),
          }).slice();
        default:
          return valid.subarray(0, random.int(2, valid.length - 1)); // header kept, body cut
      }
    }),
  );
  for (const frame of frames) peer.send(frame.bytes);
  await peer.until(() => peer.errors().length >= frames.length, `${frames.length} error replies`);
  checkReplies(peer.errors(), frames);
  check(
    peer
      .errors()
      .every(
        (reply) =>
          reply.code === ErrorCode.MalformedFrame || reply.code === ErrorCode.LimitExceeded,
      ),
    () =>
      `codes ${peer
        .errors()
        .map((reply) => reply.code)
        .join(',')}`,
  );
  await peer.pingPong(2);
  return { rejected: { malformed: frames.length }, serverClose: await leave(peer, random) };
};

/** Frames over the announced limit (but under uWS's own cap): close 1009 with its reason. */
const oversizedFrames: Behaviour = async ({ url, random, frameLimit }) => {
  const peer = await Peer.open(url);
  const size = random.int(frameLimit + 1, UWS_BACKSTOP_BYTES);
  let malformed = 0;
  switch (random.int(0, 3)) {
    case 0:
      peer.send(random.bytes(size));
      break;
    case 1: {
      // The boundary: exactly the limit is read (and refused as malformed), one byte more is not.
      const atLimit = undecodable(() => Uint8Array.of(0, ...random.bytes(frameLimit - 1)));
      peer.send(atLimit.bytes);
      await peer.until(() => peer.errors().length === 1, 'the reply to a frame at the limit');
      checkReplies(peer.errors(), [atLimit]);
      malformed = 1;
      peer.send(random.bytes(frameLimit + 1));
      break;
    }
    case 2:
      // Valid UTF-8 text over the limit: the size is checked before the frame type.
      await peer.pingPong(3);
      peer.send(Buffer.from('é'.repeat(Math.ceil(size / 2))), false);
      break;
    default: {
      // The limit is on the message: small fragments that add up to too much.
      const fragments = Array.from({ length: 5 }, () => random.bytes(Math.ceil(size / 5)));
      peer.sendFragments(fragments, true);
      break;
    }
  }
  const closed = await peer.waitClosed('close 1009');
  check(
    closed.code === 1009 && closed.reason === `frame exceeds ${frameLimit} bytes`,
    () => `closed with ${closed.code} "${closed.reason}" after ${size} bytes`,
  );
  check(peer.errors().length === malformed, () => `unexpected replies before the close`);
  return { rejected: { frame_too_large: 1, malformed }, serverClose: 1009 };
};

/**
 * Over uWS's own payload cap: uWS drops the TCP connection itself before the server's size check
 * can answer (the client sees 1006); the server reads "Received too big message" in its close
 * handler and counts it as `frame_too_large` all the same.
 */
const overBackstop: Behaviour = async ({ url, random }) => {
  const peer = await Peer.open(url);
  peer.send(random.bytes(random.int(UWS_BACKSTOP_BYTES + 1, 256 * 1024)));
  const closed = await peer.waitClosed('a drop past the backstop');
  check(closed.code === 1006, () => `closed with ${closed.code} "${closed.reason}"`);
  return { rejected: { frame_too_large: 1 }, serverClose: 1006 };
};

const TEXTS = ['{"op":"subscribe","symbols":["BTC-USD"]}', '', 'Ünïcödé ✓ 🚀', 'ping', '\u0000'];

/** Valid text frames, whole or split mid-character: error 6 each, and the connection stays. */
const textFrames: Behaviour = async ({ url, random }) => {
  const peer = await Peer.open(url);
  const count = random.int(1, 8);
  for (let i = 0; i < count; i++) {
    const text = Buffer.from(random.pick(TEXTS) + String(random.int(0, 1e6)) + '€');
    if (random.chance(0.3)) {
      const cut = text.length - 2; // inside the three bytes of the euro sign
      peer.sendFragments([text.subarray(0, cut), text.subarray(cut)], false);
    } else {
      peer.send(text, false);
    }
  }
  await peer.until(() => peer.errors().length >= count, `${count} text-frame replies`);
  check(
    peer
      .errors()
      .every((reply) => reply.code === ErrorCode.TextFrameNotSupported && reply.requestId === 0),
    () => `replies ${JSON.stringify(peer.errors())}`,
  );
  await peer.pingPong(4);
  return { rejected: { text_frame: count }, serverClose: await leave(peer, random) };
};

const INVALID_UTF8 = [
  [0xff],
  [0x80], // a lone continuation byte
  [0xc0, 0xaf], // an overlong '/'
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0x61, 0xe2, 0x82], // cut mid-character at the end
];

/**
 * Invalid UTF-8 in a text frame: uWS validates text before the server sees it and drops the
 * connection without a close frame (the client sees 1006); the server reads "Received invalid
 * UTF-8" in its close handler and counts `invalid_utf8`. A valid text frame first is still
 * answered and counted.
 */
const invalidUtf8: Behaviour = async ({ url, random }) => {
  const peer = await Peer.open(url);
  const textFirst = random.chance(0.5);
  if (textFirst) {
    peer.send(Buffer.from('hello'), false);
    await peer.until(() => peer.errors().length === 1, 'the reply to a valid text frame');
  }
  if (random.chance(0.3)) {
    // Invalid only across fragments: the first ends mid-character, the next does not continue it.
    peer.sendFragments([Uint8Array.of(0x61, 0xe2), Uint8Array.of(0x41)], false);
  } else {
    peer.send(Uint8Array.from(random.pick(INVALID_UTF8)), false);
  }
  const closed = await peer.waitClosed('the drop for invalid UTF-8');
  check(closed.code === 1006, () => `closed with ${closed.code} "${closed.reason}"`);
  check(peer.errors().length === (textFirst ? 1 : 0), () => 'invalid UTF-8 was answered');
  return { rejected: { text_frame: textFirst ? 1 : 0, invalid_utf8: 1 }, serverClose: 1006 };
};

const isRateError = (reply: ErrorReply): boolean =>
  reply.code === ErrorCode.LimitExceeded &&
  reply.message === `at most ${MAX_MESSAGES_PER_SECOND} messages per second`;

/**
 * After a burst of `burst` frames, keeps sending frames at five times the rate until the
 * server closes the connection (bounded by `waitClosed`): refused without a break for over a
 * second, it must.
 */
async function floodUntilClosed(
  peer: Peer,
  burst: number,
  frame: (i: number) => Uint8Array,
): Promise<CloseEvent> {
  let i = 0;
  while (i < burst) peer.send(frame(i++));
  const flood = setInterval(() => {
    if (peer.closeEvent === null) peer.send(frame(i++));
  }, FLOOD_INTERVAL_MS);
  try {
    return await peer.waitClosed('close 1008');
  } finally {
    clearInterval(flood);
  }
}

/**
 * Pings far past the rate: pongs while the burst lasts, then error 5 each (request id 0: a ping
 * has none), then close 1008.
 */
const pingFlood: Behaviour = async ({ url }) => {
  const peer = await Peer.open(url);
  const closed = await floodUntilClosed(peer, 4 * BURST, (nonce) => encodePing({ nonce }));
  check(
    closed.code === 1008 && closed.reason === 'message rate limit exceeded',
    () => `closed with ${closed.code} "${closed.reason}"`,
  );
  const rateErrors = peer.errors().filter(isRateError);
  const pongs = peer.of(MessageType.Pong).length;
  check(
    pongs >= BURST && rateErrors.length >= BURST && rateErrors.every((e) => e.requestId === 0),
    () => `${pongs} pongs, ${rateErrors.length} rate errors`,
  );
  return { rejected: { rate_limit: rateErrors.length, rate_limit_close: 1 }, serverClose: 1008 };
};

/**
 * A subscription flood. First, within the burst (so every answer is certain): unknown ids (all or
 * nothing, also in unsubscribe and resync), and requests past MAX_SUBSCRIPTIONS; then the same
 * subscribe again and again: answered while tokens last (an ack, and snapshots only the first
 * time: the symbols are held after that), then refused with their own request ids, then closed
 * with 1008.
 */
const subscriptionFlood: Behaviour = async ({ url, random, unknownId }) => {
  const peer = await Peer.open(url);
  const unknown = (): number => unknownId + random.int(0, 1e6);
  const requests = [
    encodeSubscribe({ requestId: 1, symbolIds: [1, 2, 3, 4] }),
    encodeSubscribe({ requestId: 2, symbolIds: [unknown()] }),
    encodeSubscribe({ requestId: 3, symbolIds: [5, unknown()] }),
    encodeSubscribe({ requestId: 4, symbolIds: [5, 6, 7, 8, 9] }), // 4 + 5 > 8
    encodeSubscribe({ requestId: 5, symbolIds: Array.from({ length: 200 }, unknown) }),
    encodeUnsubscribe({ requestId: 6, symbolIds: [unknown()] }),
    encodeResync({ requestId: 7, symbolId: unknown() }),
    encodeSubscribe({ requestId: 8, symbolIds: [5, 6, 7, 8] }), // exactly 8: fine
    encodeSubscribe({ requestId: 9, symbolIds: [10] }), // 9 > 8
  ];
  for (const request of requests) peer.send(request);
  const closed = await floodUntilClosed(peer, 3 * BURST, (i) =>
    encodeSubscribe({ requestId: 100 + i, symbolIds: [BTC, ETH] }),
  );
  check(
    closed.code === 1008 && closed.reason === 'message rate limit exceeded',
    () => `closed with ${closed.code} "${closed.reason}"`,
  );
  const rateErrors = peer.errors().filter(isRateError);
  const answers = peer.errors().filter((reply) => !isRateError(reply));
  const codeOf = (requestId: number): number | undefined =>
    answers.find((reply) => reply.requestId === requestId)?.code;
  const expected: Array<[number, number]> = [
    [2, ErrorCode.UnknownSymbol],
    [3, ErrorCode.UnknownSymbol],
    [4, ErrorCode.LimitExceeded],
    [5, ErrorCode.UnknownSymbol],
    [6, ErrorCode.UnknownSymbol],
    [7, ErrorCode.UnknownSymbol],
    [9, ErrorCode.LimitExceeded],
  ];
  check(
    answers.length === expected.length && expected.every(([id, code]) => codeOf(id) === code),
    () => `answers ${JSON.stringify(answers)}`,
  );
  // Refused requests applied nothing, and the flood asks for BTC and ETH, held since request 1:
  // a symbol already held is acked without a second snapshot. So snapshots answer 1 and 8 only.
  const snapshotIds = peer.of(MessageType.Snapshot).map((frame) => decodeSnapshot(frame).requestId);
  check(
    snapshotIds.filter((id) => id === 1).length === 4 &&
      snapshotIds.filter((id) => id === 8).length === 4 &&
      snapshotIds.length === 8,
    () => `snapshots for requests ${snapshotIds.join(',')}`,
  );
  check(
    rateErrors.length >= BURST && rateErrors.every((e) => e.requestId >= 100),
    () => `${rateErrors.length} rate errors, ids ${rateErrors.map((e) => e.requestId).join(',')}`,
  );
  return {
    rejected: {
      unknown_symbol: 5,
      subscription_limit: 2,
      rate_limit: rateErrors.length,
      rate_limit_close: 1,
    },
    serverClose: 1008,
  };
};

/**
 * Open, then leave at once with a close handshake: 1000, no code (1005), or an application code.
 * uWS echoes 1000–1015 and 4000–4999 (the server counts the client's code), but takes 3000–3999
 * (registered codes, valid per RFC 6455 7.4.2) for a protocol error: its close handler gets 1006
 * and it answers with an empty close frame, which the client reads as 1005.
 */
const openAndClose: Behaviour = async ({ url, random }) => {
  const peer = await Peer.open(url);
  const code = random.pick([1000, 1005, random.int(4000, 4999), random.int(3000, 3999)]);
  if (code === 1005) peer.socket.close();
  else peer.socket.close(code);
  const registered = code >= 3000 && code < 4000;
  const echoed = registered ? 1005 : code;
  const closed = await peer.waitClosed('the close handshake');
  check(
    closed.code === echoed,
    () => `closed with ${closed.code} after ${code}, expected ${echoed}`,
  );
  return { rejected: {}, serverClose: registered ? 1006 : code };
};

/** Open, then drop the TCP connection without a close frame. */
const openAndDrop: Behaviour = async ({ url }) => {
  const peer = await Peer.open(url);
  peer.socket.terminate();
  return { rejected: {}, serverClose: 1006 };
};

/** Give up during the upgrade, at once or a moment later: the server may or may not open it. */
const abortUpgrade: Behaviour = async ({ url, random }) => {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  socket.on('error', () => undefined); // "closed before the connection was established"
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      resolve();
    });
  });
  const delay = random.int(0, 3);
  if (delay === 0) socket.terminate();
  else {
    setTimeout(() => {
      socket.terminate();
    }, delay);
  }
  await within(closed, 10_000, 'the aborted socket to close');
  return { rejected: {}, serverClose: null };
};

/** Raw TCP churn: connect only, half an upgrade request, a whole one then gone, or junk. */
const rawChurn: Behaviour = async ({ port, random }) => {
  const raw = await RawPeer.connect(port);
  const request = upgradeRequest(port);
  switch (random.int(0, 3)) {
    case 0:
      break;
    case 1:
      raw.socket.write(request.slice(0, random.int(1, request.length - 2)));
      break;
    case 2:
      raw.socket.write(request);
      break;
    default:
      raw.socket.write(random.bytes(random.int(1, 2_000)));
      break;
  }
  raw.destroy();
  await within(raw.closed, 10_000, 'the raw socket to close');
  return { rejected: {}, serverClose: null };
};

/** Bytes that break WebSocket framing itself (RFC 6455 section 5); uWS must drop the peer. */
/** A frame header announcing 2^63 - 1 bytes. */
const TOO_BIG_FRAME = [0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4];

const BAD_FRAMES = [
  [0xf2, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9], // RSV bits set without an extension
  [0x83, 0x83, 1, 2, 3, 4, 5, 6, 7], // reserved opcode 3
  [0x80, 0x81, 1, 2, 3, 4, 5], // a continuation with nothing to continue
  [0x89, 0xfe, 0, 200, 1, 2, 3, 4, ...new Array<number>(200).fill(0)], // a ping over 125 bytes
  TOO_BIG_FRAME,
];

/** After a hand-made upgrade: broken framing (the server must drop it) or half a frame, then gone. */
const rawBadFraming: Behaviour = async ({ port, random }) => {
  const raw = await RawPeer.connect(port);
  await raw.upgrade(port); // once the 101 is out the server has opened the connection
  if (random.chance(0.6)) {
    const frame = random.pick(BAD_FRAMES);
    raw.socket.write(Uint8Array.of(...frame, ...random.bytes(random.int(0, 64))));
    await within(raw.closed, 5_000, 'the server to drop a peer with broken framing');
    // uWS reports the frame past its payload cap as too big: counted as `frame_too_large`.
    return { rejected: frame === TOO_BIG_FRAME ? { frame_too_large: 1 } : {}, serverClose: 1006 };
  } else {
    // A header that promises more than ever comes, then the peer vanishes.
    raw.socket.write(
      random.chance(0.5)
        ? Uint8Array.of(0x82, 0xfe)
        : Uint8Array.of(0x82, 0xfe, 0xea, 0x60, 1, 2, 3, 4, 5),
    );
    raw.destroy();
    await within(raw.closed, 10_000, 'the raw socket to close');
  }
  return { rejected: {}, serverClose: 1006 };
};

/** One wave's mix: 94 hostile clients, 470 over the five waves. */
const PLAN: ReadonlyArray<readonly [Behaviour, number]> = [
  [randomBytes, 15],
  [truncatedFrames, 10],
  [oversizedFrames, 8],
  [overBackstop, 2],
  [textFrames, 8],
  [invalidUtf8, 8],
  [pingFlood, 5],
  [subscriptionFlood, 6],
  [openAndClose, 8],
  [openAndDrop, 5],
  [abortUpgrade, 8],
  [rawChurn, 8],
  [rawBadFraming, 3],
];

const MB = 1024 * 1024;
/** What the server may retain after the attack beyond what it held before, after a collection. */
const RETAINED_SLACK = 10 * MB;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

let server: ServerProcess | null = null;
let watcher: Watcher | null = null;
afterAll(async () => {
  await watcher?.close().catch(() => undefined);
  await server?.stop();
});

describe('a server under attack by hundreds of hostile clients', () => {
  it('stays up, keeps one good client gapless and on time, counts every rejection and returns its memory', async () => {
    const started = Date.now();
    server = await ServerProcess.start(
      {
        LOG_LEVEL: 'warn',
        // Ten times the default: BTC's history fills in seconds, so snapshots are full size and
        // the subscription floods move megabytes.
        TICK_RATE: '10000',
        MAX_CONNECTIONS_PER_IP: '1000',
        // A cap on upgrades per second per address, where the server has one, is not under test.
        MAX_UPGRADES_PER_SECOND: '1000000',
        MAX_SUBSCRIPTIONS: String(MAX_SUBSCRIPTIONS),
        MAX_MESSAGES_PER_SECOND: String(MAX_MESSAGES_PER_SECOND),
      },
      { inspector: true },
    );
    const live = server;
    const context = (): string => `seed ${seed}; server log tail: ${live.log.slice(-2_000)}`;

    watcher = await Watcher.connect(live.url, [BTC, ETH]);
    const good = watcher;
    // Running and warmed up: both series have started.
    await pollUntil(
      () => Promise.resolve(good.batchesOf(BTC) >= 10 && good.batchesOf(ETH) >= 3),
      'the watcher’s first batches',
      15_000,
    );
    expect(good.frameLimit).toBe(4096);
    // Memory is compared after a full collection, before and after: what the attack left
    // retained, not the garbage the collector had not yet got round to.
    await live.collectGarbage();
    const baselineRss = live.rssBytes();
    const before = await live.metrics();

    const random = new Random(seed);
    const attack: Attack = {
      url: live.url,
      port: live.port,
      random,
      frameLimit: good.frameLimit,
      knownIds: good.directoryIds,
      unknownId: Math.max(...good.directoryIds) + 1,
    };
    let peakRss = baselineRss;
    const sampler = setInterval(() => {
      if (live.exit === null) peakRss = Math.max(peakRss, live.rssBytes());
    }, 100);
    const attackStart = Date.now();
    const outcomes: Outcome[] = [];
    const waveRss: number[] = [];
    const failures: string[] = [];
    try {
      for (let wave = 0; wave < WAVES; wave++) {
        const behaviours = random.shuffle(
          PLAN.flatMap(([behaviour, count]) => new Array<Behaviour>(count).fill(behaviour)),
        );
        const results = await runPool(
          behaviours.map((behaviour) => () => behaviour(attack)),
          CONCURRENCY,
        );
        results.forEach((result, i) => {
          if (result.status === 'fulfilled') outcomes.push(result.value);
          else {
            const reason: unknown = result.reason;
            failures.push(
              `wave ${wave} ${behaviours[i]?.name}: ${reason instanceof Error ? reason.message : String(reason)}`,
            );
          }
        });
        expect(live.exit, `the server exited during wave ${wave}; ${context()}`).toBeNull();
        waveRss.push(live.rssBytes());
        // A breath between waves, so the watcher is also seen between attacks, not only under one.
        await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_WAVES_MS));
      }
    } finally {
      clearInterval(sampler);
    }
    const attackEnd = Date.now();
    expect(failures.slice(0, 10), context()).toEqual([]);

    // Alive, and every hostile connection gone (its close handler has run): only the watcher.
    expect(live.exit, context()).toBeNull();
    expect(await live.http('/healthz')).toEqual({ status: 200, text: 'ok\n' });
    let after: Metrics = before;
    await pollUntil(
      async () => {
        after = await live.metrics();
        return after.get('ticker_connections') === 1;
      },
      'the hostile connections to be closed',
      15_000,
    );
    expect(after.get('ticker_subscriptions{view="chart"}')).toBe(2);

    // Every rejection counted, exactly: each one answered the client that caused it.
    const reasons: Reason[] = [
      'malformed',
      'text_frame',
      'frame_too_large',
      'unknown_symbol',
      'subscription_limit',
      'rate_limit',
      'rate_limit_close',
      'invalid_utf8',
    ];
    const caused = Object.fromEntries(
      reasons.map((reason) => [
        reason,
        outcomes.reduce((sum, o) => sum + (o.rejected[reason] ?? 0), 0),
      ]),
    );
    const counted = Object.fromEntries(
      reasons.map((reason) => [reason, rejected(after, reason) - rejected(before, reason)]),
    );
    expect(counted, context()).toEqual(caused);
    for (const reason of reasons) expect(caused[reason], reason).toBeGreaterThan(0);

    // Every close counted by code: exactly where the client knows the code the server saw; 1006
    // may also include connections given up during the upgrade that the server had opened.
    const knownCloses = new Map<string, number>();
    let unknownCloses = 0;
    for (const { serverClose } of outcomes) {
      if (serverClose === null) unknownCloses += 1;
      else {
        const label = closeCodeLabel(serverClose);
        knownCloses.set(label, (knownCloses.get(label) ?? 0) + 1);
      }
    }
    const closedNow = closesByCode(after);
    const closedBefore = closesByCode(before);
    for (const [label, count] of closedNow) {
      const delta = count - (closedBefore.get(label) ?? 0);
      const known = knownCloses.get(label) ?? 0;
      if (label === '1006') {
        expect(delta, `closes with 1006; ${context()}`).toBeGreaterThanOrEqual(known);
        expect(delta, `closes with 1006; ${context()}`).toBeLessThanOrEqual(known + unknownCloses);
      } else {
        expect(delta, `closes labelled ${label}; ${context()}`).toBe(known);
      }
    }
    for (const [label, count] of knownCloses) {
      expect(
        closedWith(after, label) - closedWith(before, label),
        `closes labelled ${label}`,
      ).toBeGreaterThanOrEqual(count);
    }
    // Every connection opened was closed and counted once.
    const accepted = (m: Metrics): number => m.get('ticker_connections_accepted_total') ?? 0;
    const closes = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    expect(accepted(after) - accepted(before)).toBe(closes(closedNow) - closes(closedBefore));

    // The watcher's feed went on throughout: gapless, without a resync, never silent for long,
    // and fresh. The bounds only catch a stalled server (a 50 ms flush normally carries BTC);
    // timing goals belong in the benchmarks.
    expect(good.problems, context()).toEqual([]);
    expect(good.longestSilenceMs(BTC, attackStart, attackEnd)).toBeLessThan(2_000);
    expect(good.longestSilenceMs(ETH, attackStart, attackEnd)).toBeLessThan(3_000);
    expect(good.maxLagMs).toBeLessThan(2_000);
    expect(good.minLagMs).toBeGreaterThanOrEqual(-50); // no tick from the future
    expect(good.maxRttMs).toBeLessThan(2_000);

    // Memory back near the baseline, after a full collection. What the heap and the buffers
    // outside it retain is compared closely, within RETAINED_SLACK (a leak of 20 KB per hostile
    // connection crosses it): measured on this machine, heap used after was 4 MB below to 0.2 MB
    // above before, in runs of 470 clients and a 2,350-client soak (HOSTILE_WAVES=25); external
    // memory +0.6 MB. RSS gets a looser bound: how much freed memory the allocator hands back to
    // the system varies (raw RSS without a collection once ended 54 MB above a busy CI
    // machine's baseline), and after a collection it was 1.5 MB above to 30 MB below it; 40 MB
    // catches a leak outside V8's heap (uWS's own structures).
    await live.collectGarbage();
    const retained = await live.metrics();
    const afterRss = live.rssBytes();
    const heapUsed = (m: Metrics): number => m.get('nodejs_heap_size_used_bytes') ?? NaN;
    const external = (m: Metrics): number => m.get('nodejs_external_memory_bytes') ?? NaN;
    console.info(
      `hostile: ${outcomes.length} clients in ${attackEnd - attackStart} ms (seed ${seed}); RSS baseline ${mb(baselineRss)}, peak ${mb(peakRss)}, after ${mb(afterRss)}, after each wave ${waveRss.map(mb).join(' ')}; heap used ${mb(heapUsed(before))} → ${mb(heapUsed(retained))}, external ${mb(external(before))} → ${mb(external(retained))}; longest BTC silence ${good.longestSilenceMs(BTC, attackStart, attackEnd)} ms, max lag ${good.maxLagMs} ms, max RTT ${good.maxRttMs} ms; total ${Date.now() - started} ms`,
    );
    expect(heapUsed(retained), 'heap used after the attack').toBeLessThanOrEqual(
      heapUsed(before) + RETAINED_SLACK,
    );
    expect(external(retained), 'external memory after the attack').toBeLessThanOrEqual(
      external(before) + RETAINED_SLACK,
    );
    expect(
      afterRss,
      `RSS after the attack (baseline ${mb(baselineRss)}, peak ${mb(peakRss)})`,
    ).toBeLessThanOrEqual(baselineRss + 40 * MB);

    // The watcher leaves too; the server then holds nobody and still shuts down cleanly.
    await good.close();
    await pollUntil(
      async () => (await live.metrics()).get('ticker_connections') === 0,
      'the watcher’s connection to be closed',
      10_000,
    );
    expect(await live.stop()).toBe('0');
  }, 90_000);
});

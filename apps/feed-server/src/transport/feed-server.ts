import {
  ByteWriter,
  DEFAULT_LIMITS,
  DecodeError,
  ErrorCode,
  LimitId,
  MessageType,
  decodeClientMessage,
  encodeAck,
  encodeErrorReply,
  encodeGoingAway,
  encodeHeartbeat,
  encodeHello,
  encodePong,
  encodeSnapshot,
  encodeSymbolDirectory,
  createTickColumns,
  CloseCode,
} from '@ticker/protocol';
import type { ServerLimit, SubscriptionRequest, SymbolInfo } from '@ticker/protocol';
import type {
  HttpResponse,
  TemplatedApp,
  WebSocket,
  us_listen_socket,
  us_socket_context_t,
} from 'uWebSockets.js';
import { selectedProtocol } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import { TokenBucket } from '../domain/rate-limiter.js';
import type { TradingHours } from '../domain/trading-hours.js';
import { TopicRegistry } from '../domain/topic-registry.js';
import type { SymbolSpec } from '../domain/universe.js';
import { createLocalFeed } from '../feeds/local-feed.js';
import type { FeedSink, MarketFeed } from '../feeds/market-feed.js';
import type { Logger } from '../logger.js';
import { Admission, OPEN_GRANT, isRefusal } from './admission.js';
import type { AccessConfig, ConnectionRequest, Refusal, RefusalReason } from './admission.js';
import { addHealthRoutes } from './health.js';
import { SECURITY_HEADERS, loadStaticFiles } from './static-files.js';
import type { StaticFile } from './static-files.js';
import { createMetrics } from './metrics.js';
import { listenOn, loadNativeUws } from './uws.js';

export interface ServerConfig {
  /** TCP port; 0 picks a free one (see `FeedServer.port` after `listen`). */
  readonly port: number;
  /** Interface to bind; undefined binds all interfaces. */
  readonly host: string | undefined;
  readonly seed: number;
  /** Total simulated ticks per second over all symbols. */
  readonly tickRate: number;
  /** How often each topic's pending ticks are encoded and published. */
  readonly flushIntervalMs: number;
  /** Stocks trade only within these hours; null means always open. */
  readonly stockHours: TradingHours | null;
  /**
   * Epoch ms to freeze the market at, for screenshots, demos and deterministic tests; null runs
   * live. Before listening the server simulates the FROZEN_WARM_UP_MS leading up to it, then its
   * clock (tick times, every serverTime) stays there: no more ticks, heartbeats go on. Overrides
   * `now` for everything clients see; rate limits and slow-consumer timeouts still use `now`.
   */
  readonly frozenAt: number | null;
  /**
   * A live market's history before the server listens: it simulates this much market up to now
   * first, so the first subscribers get full snapshots (0: it starts empty).
   */
  readonly warmUpMs: number;
  /** How often every client gets a heartbeat, so a silent link is a dead link (hello announces it). */
  readonly heartbeatIntervalMs: number;
  /** Built dashboard to serve at `/`; null serves only the feed and health endpoints. */
  readonly staticDir: string | null;
  readonly universe: readonly SymbolSpec[];
  readonly logger: Logger;
  readonly limits: ConnectionLimits;
  /** Tokens and origins; see the README's "Access control". */
  readonly access: AccessConfig;
  /** Wall clock for tick times and limits; tests may inject their own. */
  readonly now?: () => number;
}

/** What one client may do; each is announced, enforced, counted, and documented in the README. */
export interface ConnectionLimits {
  /** Topics one connection may be subscribed to at once. */
  readonly maxSubscriptions: number;
  /** Client messages per second, sustained; bursts of twice as many are allowed. */
  readonly maxMessagesPerSecond: number;
  /** Open connections from one IP address; more are refused with HTTP 429. */
  readonly maxConnectionsPerIp: number;
  /** New connections per second from one address, after a burst of `maxConnectionsPerIp` plus this; HTTP 429. */
  readonly maxUpgradesPerSecond: number;
  /** Seconds without any frame from the client (uWS pings it automatically) before closing. */
  readonly idleTimeoutSeconds: number;
  /** Bytes buffered for a client beyond which it stops getting batches until it drains. */
  readonly slowConsumerBytes: number;
  /** How long a client may stay paused as slow before it is closed with 4001. */
  readonly slowConsumerTimeoutMs: number;
}

/** Counters behind /metrics; all only ever grow except the gauges marked so. */
export interface ServerStats {
  connections: number; // gauge
  subscriptions: number; // gauge
  pausedConnections: number; // gauge
  /** Bytes uWS holds for all clients, as of the last flush. */
  bufferedBytes: number; // gauge
  connectionsAccepted: number;
  /** Connection requests turned away before the upgrade, by reason. */
  readonly refusedConnections: Map<RefusalReason, number>;
  /** Ticks the market generated (on a gateway: received from the source). */
  readonly ticksGenerated: number;
  batchesPublished: number;
  bytesPublished: number;
  snapshotsSent: number;
  slowConsumerPauses: number;
  slowConsumerCloses: number;
  rejectedRequests: Map<string, number>;
  /** Connections closed, by WebSocket close code (1006: dropped, e.g. idle). */
  /** Closes by code; codes a client picks freely (1000–4999 beyond ours) count as `other`. */
  closesByCode: Map<string, number>;
}

export interface FeedServer {
  /** Starts listening and the market; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops the market, tells every client it is going away (1001), and closes the port. */
  close(): Promise<void>;
  readonly port: number;
  /** Live counters (the same object every time). */
  readonly stats: ServerStats;
  /** Where the market comes from: simulated in this process unless another feed was given. */
  readonly feed: MarketFeed;
}

/** The parts of an upgrade request uWS needs to complete it, kept across the token check. */
interface Handshake {
  readonly key: string;
  readonly extensions: string;
  readonly context: us_socket_context_t;
}

interface Connection {
  readonly ip: string;
  /** What its token allows (everything, forever, without access control). */
  readonly grant: Grant;
  readonly subscriptions: Set<number>; // symbol indexes
  readonly bucket: TokenBucket;
  /** Messages refused in a row for exceeding the rate; past the burst, the client is closed. */
  overLimit: number;
  /** When it was paused as a slow consumer, or null while it is keeping up. */
  pausedSince: number | null;
}

/**
 * Client frames are a few bytes; anything larger is hostile or a bug and is closed with 1009 and
 * a reason. uWS's own cap sits above it as a backstop: past it uWS drops the TCP connection
 * without a close frame (the client sees 1006), so it must never be the limit clients meet.
 */
export const MAX_CLIENT_FRAME_BYTES = 4 * 1024;
const UWS_PAYLOAD_BACKSTOP_BYTES = 64 * 1024;

/** `..`, an encoded dot, slash or backslash, or a backslash: never part of a dashboard path. */
const SUSPICIOUS_PATH = /\.\.|%2e|%2f|%5c|\\/i;

/** Every connection subscribes to it, so one publish reaches everyone (heartbeats). */
const BROADCAST_TOPIC = 'broadcast';
/** Suggested wait before reconnecting after a shutdown notice; clients add their own jitter. */
const RECONNECT_AFTER_SHUTDOWN_MS = 1_000;

/** The limits this server enforces, as announced in every hello. */
function announcedLimits(limits: ConnectionLimits): readonly ServerLimit[] {
  return [
    { id: LimitId.MaxClientFrameBytes, value: MAX_CLIENT_FRAME_BYTES },
    { id: LimitId.MaxSymbolsPerRequest, value: DEFAULT_LIMITS.maxSymbolsPerRequest },
    { id: LimitId.MaxSubscriptions, value: limits.maxSubscriptions },
    { id: LimitId.MaxControlMessagesPerSecond, value: limits.maxMessagesPerSecond },
    { id: LimitId.MaxTicksPerBatch, value: DEFAULT_LIMITS.maxTicksPerBatch },
  ];
}

/**
 * The WebSocket gateway: clients subscribe to symbols and get each topic's batches as `feed`
 * produces them. By default the feed is the market simulated in this process (the `all` role);
 * a gateway role passes the Redis feed instead.
 */
export function createServer(
  config: ServerConfig,
  feed: MarketFeed = createLocalFeed(config),
): FeedServer {
  const uWS = loadNativeUws();
  const { logger, limits } = config;
  const { frozenAt } = config;
  // Two clocks, the same one unless frozen. The market's clock gives tick times and every
  // serverTime clients are told; the other times rate limits and slow consumers, which must keep
  // running in a frozen market or its token buckets would never refill and a stalled client
  // would never time out.
  const clock = config.now ?? Date.now;
  const now = frozenAt === null ? clock : () => frozenAt;
  const helloLimits = announcedLimits(limits);
  const admission = new Admission(limits, config.access, clock());
  const connectionsPerIp = new Map<string, number>();
  const stats: ServerStats = {
    connections: 0,
    subscriptions: 0,
    pausedConnections: 0,
    bufferedBytes: 0,
    connectionsAccepted: 0,
    refusedConnections: new Map(),
    get ticksGenerated() {
      return feed.stats.ticks;
    },
    batchesPublished: 0,
    bytesPublished: 0,
    snapshotsSent: 0,
    slowConsumerPauses: 0,
    slowConsumerCloses: 0,
    rejectedRequests: new Map(),
    closesByCode: new Map(),
  };
  const registry = new TopicRegistry(config.universe);
  const { histories } = feed;
  const replyWriter = new ByteWriter(256);
  const snapshotWriter = new ByteWriter(16 * 1024);
  const snapshotTicks = createTickColumns(2_048);
  const directoryFrame = encodeDirectory(config.universe);
  const staticFiles = loadDashboard(config.staticDir, logger);
  const sockets = new Set<WebSocket<Connection>>();

  let slowConsumerTimer: ReturnType<typeof setInterval> | null = null;
  let heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  let expiryTimer: ReturnType<typeof setInterval> | null = null;
  let listenSocket: us_listen_socket | null = null;
  let boundPort = 0;

  const app: TemplatedApp = uWS.App();

  app.ws<Connection>('/ws', {
    compression: uWS.DISABLED, // binary batches are already compact; deflate would cost CPU per socket
    maxPayloadLength: UWS_PAYLOAD_BACKSTOP_BYTES,
    idleTimeout: limits.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    // A backstop well above the slow-consumer pause: past it uWS drops every send, the close
    // frame included, so it must leave room for what arrives before the next flush notices.
    maxBackpressure: Math.max(limits.slowConsumerBytes * 4, 16 * 1024 * 1024),
    upgrade: (res, req, context) => {
      // Everything needed is read now: `req` is gone once this returns.
      const request: ConnectionRequest = {
        ip: Buffer.from(res.getRemoteAddressAsText()).toString(),
        origin: req.getHeader('origin'),
        host: req.getHeader('host'),
        query: req.getQuery(),
        protocols: req.getHeader('sec-websocket-protocol'),
      };
      const handshake: Handshake = {
        key: req.getHeader('sec-websocket-key'),
        extensions: req.getHeader('sec-websocket-extensions'),
        context,
      };
      const refusal = admission.check(request, connectionsPerIp.get(request.ip) ?? 0, clock());
      if (refusal) {
        refuse(res, request, refusal);
      } else if (!admission.requiresToken) {
        upgrade(res, request, handshake, OPEN_GRANT);
      } else {
        let aborted = false;
        res.onAborted(() => {
          aborted = true;
        });
        void admission.authorize(request, clock()).then((verdict) => {
          if (aborted) return;
          res.cork(() => {
            if (isRefusal(verdict)) refuse(res, request, verdict);
            else upgrade(res, request, handshake, verdict);
          });
        });
      }
    },
    open: (ws) => {
      sockets.add(ws);
      const { ip } = ws.getUserData();
      connectionsPerIp.set(ip, (connectionsPerIp.get(ip) ?? 0) + 1);
      stats.connections += 1;
      stats.connectionsAccepted += 1;
      ws.subscribe(BROADCAST_TOPIC);
      const hello = {
        serverTime: now(),
        heartbeatIntervalMs: config.heartbeatIntervalMs,
        limits: helloLimits,
      };
      ws.cork(() => {
        ws.send(encodeHello(hello, replyWriter), true);
        ws.send(directoryFrame, true);
      });
    },
    message: (ws, message, isBinary) => {
      // `message` is freed when this callback returns: decode synchronously, keep nothing.
      if (message.byteLength > MAX_CLIENT_FRAME_BYTES) {
        reject('frame_too_large', { bytes: message.byteLength });
        ws.end(CloseCode.MessageTooBig, `frame exceeds ${MAX_CLIENT_FRAME_BYTES} bytes`);
        return;
      }
      const connection = ws.getUserData();
      if (!connection.bucket.take(clock())) {
        connection.overLimit += 1;
        if (connection.overLimit > limits.maxMessagesPerSecond * 2) {
          reject('rate_limit_close');
          ws.end(CloseCode.PolicyViolation, 'message rate limit exceeded');
        } else {
          reject('rate_limit');
          sendError(
            ws,
            0,
            ErrorCode.LimitExceeded,
            `at most ${limits.maxMessagesPerSecond} messages per second`,
          );
        }
        return;
      }
      connection.overLimit = 0;
      if (!isBinary) {
        reject('text_frame');
        sendError(
          ws,
          0,
          ErrorCode.TextFrameNotSupported,
          'text frames are not supported; send binary protocol frames',
        );
        return;
      }
      handleClientFrame(ws, new Uint8Array(message));
    },
    drain: (ws) => {
      const connection = ws.getUserData();
      if (
        connection.pausedSince !== null &&
        ws.getBufferedAmount() < limits.slowConsumerBytes / 4
      ) {
        resume(ws, connection);
      }
    },
    close: (ws, code, message) => {
      sockets.delete(ws);
      const label = closeCodeLabel(code);
      stats.closesByCode.set(label, (stats.closesByCode.get(label) ?? 0) + 1);
      // uWS itself drops a client for invalid UTF-8 in a text frame, or a frame past its payload
      // backstop, before `message` could answer: it says so only here.
      if (code === 1006) {
        const why = Buffer.from(message).toString();
        if (why.includes('invalid UTF-8')) reject('invalid_utf8');
        else if (why.includes('too big')) reject('frame_too_large', { beyond: 'backstop' });
      }
      const connection = ws.getUserData();
      const left = (connectionsPerIp.get(connection.ip) ?? 1) - 1;
      if (left > 0) connectionsPerIp.set(connection.ip, left);
      else connectionsPerIp.delete(connection.ip);
      stats.connections -= 1;
      stats.subscriptions -= connection.subscriptions.size;
      if (connection.pausedSince !== null) stats.pausedConnections -= 1;
    },
  });

  // Ready once the feed can serve: at once in the all-in-one role; a gateway also needs its
  // broker and a complete copy of the market.
  addHealthRoutes(app, createMetrics(stats, feed), () => feed.unavailableReason());

  // A browser cannot read why an upgrade was refused; the dashboard asks here instead (same
  // checks, same answer, with the token in an Authorization header). 426 means it would pass.
  app.get('/ws', (res, req) => {
    const bearer = /^Bearer (\S+)$/.exec(req.getHeader('authorization'))?.[1];
    const request: ConnectionRequest = {
      ip: Buffer.from(res.getRemoteAddressAsText()).toString(),
      origin: req.getHeader('origin'),
      host: req.getHeader('host'),
      query: bearer ? `token=${bearer}` : req.getQuery(),
      protocols: '',
    };
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const answer = (status: string, message: string): void => {
      if (aborted) return;
      res.cork(() => {
        res.writeStatus(status).writeHeader('Content-Type', 'text/plain; charset=utf-8');
        res.writeHeader('Cache-Control', 'no-store').end(`${message}\n`);
      });
    };
    const refusal = admission.check(request, connectionsPerIp.get(request.ip) ?? 0, clock());
    if (refusal) {
      answer(refusal.status, refusal.message);
      return;
    }
    void admission.authorize(request, clock()).then((verdict) => {
      if (isRefusal(verdict)) answer(verdict.status, verdict.message);
      else answer('426 Upgrade Required', 'admitted: connect with a WebSocket');
    });
  });

  app.get('/*', (res, req) => {
    serveStatic(res, req.getUrl());
  });

  /** The tickers among `indexes` that the connection's token does not cover. */
  function notGranted(grant: Grant, indexes: readonly number[]): string[] {
    const { symbols } = grant;
    if (symbols === null) return [];
    return indexes.map((index) => registry.symbolAt(index).ticker).filter((t) => !symbols.has(t));
  }

  function refuse(res: HttpResponse, request: ConnectionRequest, refusal: Refusal): void {
    stats.refusedConnections.set(
      refusal.reason,
      (stats.refusedConnections.get(refusal.reason) ?? 0) + 1,
    );
    logger.info('refused a connection', {
      ip: request.ip,
      reason: refusal.reason,
      detail: refusal.message,
    });
    res
      .writeStatus(refusal.status)
      .writeHeader('Content-Type', 'text/plain; charset=utf-8')
      .end(`${refusal.message}\n`);
  }

  function upgrade(
    res: HttpResponse,
    request: ConnectionRequest,
    handshake: Handshake,
    grant: Grant,
  ): void {
    const burst = limits.maxMessagesPerSecond * 2;
    res.upgrade<Connection>(
      {
        ip: request.ip,
        grant,
        subscriptions: new Set(),
        bucket: new TokenBucket(limits.maxMessagesPerSecond, burst, clock()),
        overLimit: 0,
        pausedSince: null,
      },
      handshake.key,
      selectedProtocol(request.protocols),
      handshake.extensions,
      handshake.context,
    );
  }

  /** Connections whose token has expired are closed; they may come back with a fresh one. */
  function closeExpired(): void {
    const time = clock();
    for (const ws of sockets) {
      if (ws.getUserData().grant.expiresAt <= time) {
        ws.end(CloseCode.TokenExpired, 'access token expired');
      }
    }
  }

  function serveStatic(res: HttpResponse, url: string): void {
    // Files are served from memory by exact path, so nothing can escape the dashboard folder;
    // dot-dot and encoded separators are still refused outright rather than shown the app shell.
    if (SUSPICIOUS_PATH.test(url)) {
      res
        .writeStatus('400 Bad Request')
        .writeHeader('Content-Type', 'text/plain; charset=utf-8')
        .end('bad path\n');
      return;
    }
    if (!staticFiles) {
      res
        .writeStatus('503 Service Unavailable')
        .writeHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(
        'The dashboard is not built. Run `npm run build` (or `npm start`, which builds it).\n',
      );
      return;
    }
    // Paths without a file extension are app routes: answer with the app's index.html.
    const file =
      staticFiles.get(url) ??
      (url.endsWith('/') || !url.slice(url.lastIndexOf('/')).includes('.')
        ? staticFiles.get('/index.html')
        : undefined);
    if (!file) {
      res
        .writeStatus('404 Not Found')
        .writeHeader('Content-Type', 'text/plain; charset=utf-8')
        .end('not found\n');
      return;
    }
    res
      .writeHeader('Content-Type', file.contentType)
      .writeHeader('Cache-Control', file.cacheControl);
    for (const [name, value] of SECURITY_HEADERS) res.writeHeader(name, value);
    res.end(file.body);
  }

  function handleClientFrame(ws: WebSocket<Connection>, bytes: Uint8Array): void {
    let message;
    try {
      message = decodeClientMessage(bytes);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      reject('malformed', { error: error.message });
      sendError(ws, 0, error.code, error.message);
      return;
    }
    switch (message.type) {
      case MessageType.Subscribe:
        applySubscription(ws, message.request, true);
        break;
      case MessageType.Unsubscribe:
        applySubscription(ws, message.request, false);
        break;
      case MessageType.Ping:
        ws.send(encodePong({ nonce: message.ping.nonce, serverTime: now() }, replyWriter), true);
        break;
      case MessageType.Resync: {
        const { requestId, symbolId } = message.request;
        const index = registry.indexOfId(symbolId);
        if (index === undefined) {
          reject('unknown_symbol');
          sendError(ws, requestId, ErrorCode.UnknownSymbol, `unknown symbol id ${symbolId}`);
        } else if (notGranted(ws.getUserData().grant, [index]).length > 0) {
          reject('forbidden_symbol');
          sendError(
            ws,
            requestId,
            ErrorCode.Forbidden,
            `your access token does not cover ${registry.symbolAt(index).ticker}`,
          );
        } else if (!feed.isSynced(index)) {
          reject('catching_up');
          sendError(
            ws,
            requestId,
            ErrorCode.Unavailable,
            'catching up with the market; a snapshot follows when it is complete',
          );
        } else if (ws.getUserData().pausedSince !== null) {
          // It gets a fresh snapshot of every symbol when it drains; more now would only pile up.
          reject('paused');
          sendError(
            ws,
            requestId,
            ErrorCode.Unavailable,
            'paused as a slow consumer; snapshots follow when you catch up',
          );
        } else {
          sendSnapshot(ws, index, requestId);
        }
        break;
      }
    }
  }

  /** All or nothing: one unknown id rejects the whole request, so the client's view stays exact. */
  function applySubscription(
    ws: WebSocket<Connection>,
    request: SubscriptionRequest,
    subscribe: boolean,
  ): void {
    const indexes: number[] = [];
    const unknown: number[] = [];
    for (const id of request.symbolIds) {
      const index = registry.indexOfId(id);
      if (index === undefined) unknown.push(id);
      else indexes.push(index);
    }
    if (unknown.length > 0) {
      const list = unknown.slice(0, 8).join(', ') + (unknown.length > 8 ? ', …' : '');
      reject('unknown_symbol');
      sendError(ws, request.requestId, ErrorCode.UnknownSymbol, `unknown symbol id(s): ${list}`);
      return;
    }
    const connection = ws.getUserData();
    const { subscriptions } = connection;
    if (subscribe) {
      const forbidden = notGranted(connection.grant, indexes);
      if (forbidden.length > 0) {
        const list = forbidden.slice(0, 8).join(', ') + (forbidden.length > 8 ? ', …' : '');
        reject('forbidden_symbol');
        sendError(
          ws,
          request.requestId,
          ErrorCode.Forbidden,
          `your access token does not cover: ${list}`,
        );
        return;
      }
      const added = new Set(indexes.filter((index) => !subscriptions.has(index))).size;
      if (subscriptions.size + added > limits.maxSubscriptions) {
        reject('subscription_limit');
        sendError(
          ws,
          request.requestId,
          ErrorCode.LimitExceeded,
          `at most ${limits.maxSubscriptions} subscriptions per connection (have ${subscriptions.size}, asked for ${added} more)`,
        );
        return;
      }
    }
    ws.cork(() => {
      for (const index of indexes) {
        const before = subscriptions.size;
        if (subscribe) {
          subscriptions.add(index);
          // A paused client keeps its wishes; it is subscribed for real when it resumes.
          if (connection.pausedSince === null) ws.subscribe(registry.topic(index));
        } else {
          subscriptions.delete(index);
          ws.unsubscribe(registry.topic(index));
        }
        stats.subscriptions += subscriptions.size - before;
      }
      ws.send(encodeAck({ requestId: request.requestId }, replyWriter), true);
      // Between flushes, history holds exactly the sealed batches, so the next batch published to
      // this topic carries the snapshot's nextSeq: the client's series continues without a gap.
      if (subscribe && connection.pausedSince === null) {
        for (const index of indexes) sendSnapshot(ws, index, request.requestId);
      }
    });
  }

  /**
   * A symbol still catching up sends nothing yet: its subscribers get a snapshot published to
   * them all as soon as its history is complete (see `resynced`).
   */
  function sendSnapshot(ws: WebSocket<Connection>, index: number, requestId: number): void {
    if (!feed.isSynced(index)) return;
    ws.send(encodeSnapshotOf(index, requestId), true);
    stats.snapshotsSent += 1;
  }

  function encodeSnapshotOf(index: number, requestId: number): Uint8Array {
    const history = histories[index];
    if (!history) throw new RangeError(`no history for symbol index ${index}`);
    const snapshot = history.snapshot(registry.symbolAt(index).id, requestId, snapshotTicks);
    return encodeSnapshot(snapshot, snapshotWriter);
  }

  /** Every refusal goes through here: counted for /metrics and logged once, at debug (clients' mistakes are not the operator's). */
  function reject(reason: string, details: Record<string, unknown> = {}): void {
    stats.rejectedRequests.set(reason, (stats.rejectedRequests.get(reason) ?? 0) + 1);
    logger.debug('rejected a client request', { reason, ...details });
  }

  /**
   * A client whose buffer outgrew the limit stops getting batches (and heartbeats) instead of
   * growing server memory; the subscriptions it asked for are kept for when it drains.
   */
  function pause(ws: WebSocket<Connection>, connection: Connection): void {
    connection.pausedSince = clock();
    stats.pausedConnections += 1;
    stats.slowConsumerPauses += 1;
    logger.info('paused a slow client', {
      ip: connection.ip,
      bufferedBytes: ws.getBufferedAmount(),
    });
    ws.unsubscribe(BROADCAST_TOPIC);
    for (const index of connection.subscriptions) ws.unsubscribe(registry.topic(index));
  }

  /** Back in step: a fresh snapshot per symbol continues each series from where it is now. */
  function resume(ws: WebSocket<Connection>, connection: Connection): void {
    connection.pausedSince = null;
    stats.pausedConnections -= 1;
    ws.cork(() => {
      ws.subscribe(BROADCAST_TOPIC);
      for (const index of connection.subscriptions) {
        ws.subscribe(registry.topic(index));
        sendSnapshot(ws, index, 0);
      }
    });
  }

  function checkSlowConsumers(): void {
    const time = clock();
    let buffered = 0;
    for (const ws of sockets) {
      const connection = ws.getUserData();
      const bytes = ws.getBufferedAmount();
      buffered += bytes;
      if (connection.pausedSince === null) {
        if (bytes > limits.slowConsumerBytes) pause(ws, connection);
      } else if (time - connection.pausedSince > limits.slowConsumerTimeoutMs) {
        stats.slowConsumerCloses += 1;
        logger.info('closed a slow client (4001)', {
          ip: connection.ip,
          pausedMs: time - connection.pausedSince,
        });
        ws.end(CloseCode.SlowConsumer, 'slow consumer: could not keep up with the feed');
      }
    }
    stats.bufferedBytes = buffered;
  }

  function sendError(
    ws: WebSocket<Connection>,
    requestId: number,
    code: ErrorCode,
    message: string,
  ): void {
    ws.send(encodeErrorReply({ requestId, code, message }, replyWriter), true);
  }

  const sink: FeedSink = {
    wants: (index) => app.numSubscribers(registry.topic(index)) > 0,
    publish: (index, bytes) => {
      app.publish(registry.topic(index), bytes, true, false);
      stats.batchesPublished += 1;
      stats.bytesPublished += bytes.length;
    },
    // One snapshot, encoded once, for every subscriber: it restarts their series (requestId 0,
    // as after a slow-consumer resume). Paused clients get theirs when they resume.
    resynced: (index) => {
      const topic = registry.topic(index);
      if (app.numSubscribers(topic) === 0) return;
      app.publish(topic, encodeSnapshotOf(index, 0), true, false);
      stats.snapshotsSent += 1;
    },
  };

  return {
    get port() {
      return boundPort;
    },

    stats,
    feed,

    async listen() {
      const socket = await listenOn(app, config.host, config.port);
      listenSocket = socket;
      boundPort = uWS.us_socket_local_port(socket);
      feed.start(sink);
      slowConsumerTimer = setInterval(checkSlowConsumers, config.flushIntervalMs);
      if (admission.requiresToken) expiryTimer = setInterval(closeExpired, 1_000);
      heartbeatTimer = setInterval(() => {
        app.publish(
          BROADCAST_TOPIC,
          encodeHeartbeat({ serverTime: now() }, replyWriter),
          true,
          false,
        );
      }, config.heartbeatIntervalMs);
      return boundPort;
    },

    close() {
      if (slowConsumerTimer) clearInterval(slowConsumerTimer);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      if (expiryTimer) clearInterval(expiryTimer);
      slowConsumerTimer = heartbeatTimer = expiryTimer = null;
      const notice = encodeGoingAway(
        { reconnectAfterMs: RECONNECT_AFTER_SHUTDOWN_MS, reason: 'server shutting down' },
        replyWriter,
      );
      for (const ws of [...sockets]) {
        ws.cork(() => {
          ws.send(notice, true);
          ws.end(CloseCode.GoingAway, 'server shutting down');
        });
      }
      sockets.clear();
      if (listenSocket) uWS.us_listen_socket_close(listenSocket);
      listenSocket = null;
      return feed.stop();
    },
  };
}

/** The close codes counted one by one: ours, and the standard ones clients meet. */
const COUNTED_CLOSE_CODES = new Set([1000, 1001, 1005, 1006, 1008, 1009, 4000, 4001, 4002]);

/** The `code` label of a close: a hostile client choosing codes cannot add metric series. */
export function closeCodeLabel(code: number): string {
  return COUNTED_CLOSE_CODES.has(code) ? String(code) : 'other';
}

/** The directory every client gets first; a source and its gateways must send the same one. */
export function encodeDirectory(universe: readonly SymbolSpec[]): Uint8Array {
  return encodeSymbolDirectory({ symbols: universe.map(toSymbolInfo) }).slice();
}

function toSymbolInfo(spec: SymbolSpec): SymbolInfo {
  const { id, ticker, name, assetClass, priceDecimals, sizeDecimals, tickSize, lotSize } = spec;
  return { id, ticker, name, assetClass, priceDecimals, sizeDecimals, tickSize, lotSize };
}

function loadDashboard(dir: string | null, logger: Logger): Map<string, StaticFile> | null {
  if (dir === null) return null;
  try {
    const files = loadStaticFiles(dir);
    if (!files.has('/index.html')) throw new Error('no index.html');
    return files;
  } catch (error) {
    logger.warn('dashboard not served: not a built dashboard', {
      dir,
      reason: (error as Error).message,
    });
    return null;
  }
}

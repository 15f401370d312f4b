import { encodeGoingAway, encodeHeartbeat, encodeHello, ByteWriter } from '@ticker/protocol';
import type {
  HttpRequest,
  HttpResponse,
  TemplatedApp,
  WebSocket,
  us_socket_context_t,
} from 'uWebSockets.js';
import { selectedProtocol } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import { encodeDirectory } from '../domain/directory.js';
import { TokenBucket } from '../domain/rate-limiter.js';
import { TopicRegistry } from '../domain/topic-registry.js';
import type { TradingHours } from '../domain/trading-hours.js';
import type { SymbolSpec } from '../domain/universe.js';
import { createLocalFeed } from '../feeds/local-feed.js';
import type { MarketFeed } from '../feeds/market-feed.js';
import { ClientFrames } from '../gateway/client-frames.js';
import {
  MESSAGE_BURST_SECONDS,
  SNAPSHOT_BURST_SECONDS,
  UWS_PAYLOAD_BACKSTOP_BYTES,
  announcedLimits,
} from '../gateway/connection-limits.js';
import type { ConnectionLimits } from '../gateway/connection-limits.js';
import { Connections } from '../gateway/connections.js';
import { createFeedSink } from '../gateway/feed-sink.js';
import { MessageRate } from '../gateway/message-rate.js';
import { QuotePublisher } from '../gateway/quote-publisher.js';
import { RecentBatches } from '../gateway/recent-batches.js';
import { MarketWatch } from '../gateway/market-watch.js';
import { Replies } from '../gateway/replies.js';
import { createServerStats, increment } from '../gateway/server-stats.js';
import type { ServerStats } from '../gateway/server-stats.js';
import { Session } from '../gateway/session.js';
import { SlowConsumers } from '../gateway/slow-consumers.js';
import { SnapshotCache } from '../gateway/snapshot-cache.js';
import { SnapshotQueue } from '../gateway/snapshot-queue.js';
import { SubscriptionRules } from '../gateway/subscriptions.js';
import { TokenRefresh } from '../gateway/token-refresh.js';
import { symbolsAnswer } from '../history/history-answers.js';
import { HistoryThread } from '../history/history-thread.js';
import type { Logger } from '../logger.js';
import { LogThrottle, clip } from '../log-throttle.js';
import { Admission, OPEN_GRANT, isRefusal, misdirected } from './admission.js';
import type { AccessConfig, ConnectionRequest, Refusal } from './admission.js';
import { ClientAddress } from './client-address.js';
import { addHealthRoutes } from './health.js';
import { addHistoryApi } from './history-api.js';
import { answerText } from './http-answers.js';
import { listenForOperations, publicMetricsGate } from './operations.js';
import type { OperationsConfig, OperationsListener } from './operations.js';
import { createMetrics } from './metrics.js';
import { loadDashboard, serveStatic } from './static-files.js';
import { listenGroup } from './listen-group.js';
import type { ListenGroup } from './listen-group.js';
import { loadNativeUws } from './uws.js';

export type { ConnectionLimits } from '../gateway/connection-limits.js';
export { MAX_CLIENT_FRAME_BYTES } from '../gateway/connection-limits.js';
export type { ServerStats } from '../gateway/server-stats.js';

export interface ServerConfig {
  /** TCP port; 0 picks a free one (see `FeedServer.port` after `listen`). */
  readonly port: number;
  /** Interface to bind; undefined binds all interfaces. */
  readonly host: string | undefined;
  /** Connections the port holds before they are accepted (ListenGroup): a reconnect storm's room. */
  readonly listenBacklog: number;
  readonly seed: number;
  /** Total simulated ticks per second over all symbols. */
  readonly tickRate: number;
  /** How often each topic's pending ticks are encoded and published. */
  readonly flushIntervalMs: number;
  /** Stocks trade only within these hours; null means always open. */
  readonly stockHours: TradingHours | null;
  /**
   * Epoch ms to freeze the market at, for screenshots, demos and deterministic tests; null runs
   * live. The market's histories stand as they were at that instant, and the clock (tick times,
   * every serverTime) stays there: no more ticks, heartbeats go on. Overrides
   * `now` for everything clients see; rate limits and slow-consumer timeouts still use `now`.
   */
  readonly frozenAt: number | null;
  /** How often every client gets a heartbeat, so a silent link is a dead link (hello announces it). */
  readonly heartbeatIntervalMs: number;
  /** Built dashboard to serve at `/`; null serves only the feed and health endpoints. */
  readonly staticDir: string | null;
  readonly universe: readonly SymbolSpec[];
  readonly logger: Logger;
  readonly limits: ConnectionLimits;
  /** Tokens and origins; see the README's "Access control". */
  readonly access: AccessConfig;
  /** Peers whose X-Forwarded-For names the client (TRUSTED_PROXIES); see ClientAddress. */
  readonly trustedProxies: readonly string[];
  /** Where /metrics is served, and to whom (README "Endpoints"). */
  readonly operations: OperationsConfig;
  /** Wall clock for tick times and limits; tests may inject their own. */
  readonly now?: () => number;
}

export interface FeedServer {
  /** Starts listening and the market; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops the market, tells every client it is going away (1001), and closes the port. */
  close(): Promise<void>;
  readonly port: number;
  /** The operations port once listening, when it has one of its own (METRICS_PORT); else null. */
  readonly operationsPort: number | null;
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

/** Every connection subscribes to it, so one publish reaches everyone (heartbeats). */
const BROADCAST_TOPIC = 'broadcast';
/** How often the market's status is looked at (a change reaches clients within this). */
const MARKET_CHECK_MS = 1_000;
/** How long closing waits for clients to answer the close frame (they all do, within ms). */
const CLOSE_GRACE_MS = 1_000;
/** Suggested wait before reconnecting after a shutdown notice; clients add their own jitter. */
const RECONNECT_AFTER_SHUTDOWN_MS = 1_000;

/**
 * The WebSocket gateway: clients subscribe to symbols in a view and get each topic's batches or
 * quotes as `feed` produces them. By default the feed is the market simulated in this process
 * (the `all` role); a gateway role passes the Redis feed instead. This is wiring: uWS's
 * callbacks hand each event to the module (src/gateway/) whose rules it concerns.
 */
export function createServer(
  config: ServerConfig,
  feed: MarketFeed = createLocalFeed(config),
): FeedServer {
  const uWS = loadNativeUws();
  const { logger, limits, frozenAt } = config;
  // Two clocks, the same one unless frozen. The market's clock gives tick times and every
  // serverTime clients are told; the other times rate limits, budgets and slow consumers, which
  // must keep running in a frozen market or their buckets would never refill.
  const clock = config.now ?? Date.now;
  const now = frozenAt === null ? clock : () => frozenAt;
  const app: TemplatedApp = uWS.App();
  const stats = createServerStats(feed.stats);
  const registry = new TopicRegistry(config.universe);
  const isSynced = (index: number): boolean => feed.isSynced(index);
  const recent = new RecentBatches(config.universe.length);
  const cache = new SnapshotCache(feed.histories, registry, recent, stats, clock);
  const queue = new SnapshotQueue({
    cache,
    recent,
    registry,
    stats,
    isSynced,
    bytesPerSecondPerIp: limits.snapshotBytesPerSecondPerIp,
    // Snapshots wait while all clients' buffers hold a quarter of the cap (sampled every flush).
    mayBuffer: () => stats.bufferedBytes < limits.maxBufferedBytes / 4,
    clock,
  });
  const logs = new LogThrottle(logger);
  const replies = new Replies(stats, logs);
  const rules = new SubscriptionRules({
    registry,
    queue,
    replies,
    stats,
    isSynced,
    maxSubscriptions: limits.maxSubscriptions,
  });
  const frames = new ClientFrames({
    rules,
    replies,
    tokens: new TokenRefresh({ secret: config.access.secret, registry, replies, clock }),
    maxMessagesPerSecond: limits.maxMessagesPerSecond,
    clock,
    now,
  });
  const quotes = new QuotePublisher(app, registry, feed.histories, stats);
  const connections = new Connections(stats, rules, (reason) => {
    replies.count(reason);
  });
  const marketWatch = new MarketWatch(feed, app, BROADCAST_TOPIC, clock);
  const slowConsumers = new SlowConsumers({
    limits,
    stats,
    logs,
    registry,
    queue,
    quotes,
    broadcastTopic: BROADCAST_TOPIC,
    marketStatus: () => marketWatch.forRejoiningConnection,
    clock,
  });
  const admission = new Admission(limits, config.access, clock());
  const clientAddress = new ClientAddress(config.trustedProxies);
  const helloLimits = announcedLimits(limits);
  const writer = new ByteWriter(64);
  const directoryFrame = encodeDirectory(config.universe);
  const staticFiles = loadDashboard(config.staticDir, logger);
  const timers: Array<ReturnType<typeof setInterval>> = [];
  let listening: ListenGroup | null = null;
  let boundPort = 0;

  app.ws<SocketData>('/ws', {
    compression: uWS.DISABLED, // binary batches are already compact; deflate would cost CPU per socket
    maxPayloadLength: UWS_PAYLOAD_BACKSTOP_BYTES,
    idleTimeout: limits.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    // A backstop well above the slow-consumer pause: past it uWS drops every send, the close
    // frame included, so it must leave room for what arrives before the next check notices.
    maxBackpressure: Math.max(limits.slowConsumerBytes * 4, 16 * 1024 * 1024),
    upgrade: (res, req, context) => {
      // Everything needed is read now: `req` is gone once this returns.
      const request = connectionRequest(res, req);
      const handshake: Handshake = {
        key: req.getHeader('sec-websocket-key'),
        extensions: req.getHeader('sec-websocket-extensions'),
        context,
      };
      const withQuery = {
        ...request,
        query: req.getQuery(),
        protocols: req.getHeader('sec-websocket-protocol'),
      };
      admit(res, withQuery, (grant) => {
        upgrade(res, withQuery, handshake, grant);
      });
    },
    open: (ws) => {
      const { session } = ws.getUserData();
      connections.opened(session, ws);
      ws.subscribe(BROADCAST_TOPIC);
      const hello = {
        serverTime: now(),
        heartbeatIntervalMs: config.heartbeatIntervalMs,
        limits: helloLimits,
      };
      ws.cork(() => {
        ws.send(encodeHello(hello, writer), true);
        ws.send(directoryFrame, true);
        const delayed = marketWatch.forNewConnection;
        if (delayed !== null) ws.send(delayed, true);
      });
    },
    message: (ws, message, isBinary) => {
      frames.handle(ws.getUserData().session, message, isBinary);
    },
    drain: (ws) => {
      slowConsumers.drained(ws.getUserData().session);
    },
    close: (ws, code, message) => {
      connections.closed(ws.getUserData().session, code, Buffer.from(message).toString());
    },
  });

  // Ready once the feed can serve: at once in the all-in-one role; a gateway also needs its
  // broker and a complete copy of the market.
  const metrics = createMetrics(stats, feed);
  const unavailableReason = (): string | null => feed.unavailableReason();
  const accessControl = config.access.secret !== null;
  addHealthRoutes(
    app,
    metrics,
    unavailableReason,
    publicMetricsGate(config.operations, accessControl),
  );
  let operations: OperationsListener | null = null;

  // History is drawn on a thread of its own from a market path of its own: the same market as
  // the feed's (a function of the seed and the settings), while scroll-back far into the past
  // neither evicts the nodes the live market is playing nor delays its flushes.
  const historyThread = new HistoryThread(
    {
      universe: config.universe,
      seed: config.seed,
      tickRate: config.tickRate,
      stockHours: config.stockHours?.toString() ?? null,
      privateAnswers: accessControl,
    },
    (why) => {
      logs.log(
        'warn',
        'history thread lost',
        'the history thread was lost; the next request starts another',
        { why },
      );
    },
  );
  const historyApi = addHistoryApi(app, {
    candles: (query, grant, at) => historyThread.candles(query, grant, at),
    symbols: symbolsAnswer(config.universe, { private: accessControl }),
    admission,
    clientAddress,
    secret: config.access.secret,
    requestsPerSecond: limits.maxApiRequestsPerSecond,
    stats,
    now,
    clock,
  });

  // A browser cannot read why an upgrade was refused; the dashboard asks here instead (same
  // checks, same answer, with the token in an Authorization header). 426 means it would pass.
  app.get('/ws', (res, req) => {
    const bearer = /^Bearer (\S+)$/.exec(req.getHeader('authorization'))?.[1];
    const base = connectionRequest(res, req);
    const request = { ...base, query: bearer ? `token=${bearer}` : req.getQuery(), protocols: '' };
    admit(
      res,
      request,
      () => {
        answerText(res, '426 Upgrade Required', 'admitted: connect with a WebSocket');
      },
      (refusal) => {
        answerText(res, refusal.status, refusal.message);
      },
    );
  });

  app.get('/*', (res, req) => {
    const host = req.getHeader('host');
    if (admission.servesHost(host)) {
      serveStatic(res, req.getUrl(), staticFiles);
      return;
    }
    const refusal = misdirected(host);
    answerText(res, refusal.status, refusal.message);
  });

  /** What admission checks, read from the request before `req` is gone. */
  function connectionRequest(res: HttpResponse, req: HttpRequest): ConnectionRequest {
    const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
    return {
      ip: clientAddress.of(peer, req.getHeader('x-forwarded-for')),
      origin: req.getHeader('origin'),
      host: req.getHeader('host'),
      query: '',
      protocols: '',
    };
  }

  /**
   * Runs admission: the synchronous checks, then (with access control) the token's, which is
   * asynchronous, so the response may have been aborted by the time it answers.
   */
  function admit(
    res: HttpResponse,
    request: ConnectionRequest,
    admitted: (grant: Grant) => void,
    refused: (refusal: Refusal) => void = (refusal) => {
      refuse(res, request, refusal);
    },
  ): void {
    const refusal = admission.check(request, connections.countFrom(request.ip), clock());
    if (refusal) {
      refused(refusal);
      return;
    }
    if (!admission.requiresToken) {
      admitted(OPEN_GRANT);
      return;
    }
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    void admission.authorize(request, clock()).then((verdict) => {
      if (aborted) return;
      res.cork(() => {
        if (isRefusal(verdict)) refused(verdict);
        else admitted(verdict);
      });
    });
  }

  function refuse(res: HttpResponse, request: ConnectionRequest, refusal: Refusal): void {
    increment(stats.refusedConnections, refusal.reason);
    logs.log('info', `refused ${refusal.reason}`, 'refused a connection', {
      ip: request.ip,
      reason: refusal.reason,
      detail: clip(refusal.message),
    });
    answerText(res, refusal.status, refusal.message);
  }

  function upgrade(
    res: HttpResponse,
    request: ConnectionRequest,
    handshake: Handshake,
    grant: Grant,
  ): void {
    const start = clock();
    const { maxMessagesPerSecond, snapshotBytesPerSecond } = limits;
    const session = new Session(
      request.ip,
      grant,
      new MessageRate(maxMessagesPerSecond, maxMessagesPerSecond * MESSAGE_BURST_SECONDS, start),
      new TokenBucket(
        snapshotBytesPerSecond,
        snapshotBytesPerSecond * SNAPSHOT_BURST_SECONDS,
        start,
      ),
      start,
    );
    res.upgrade<SocketData>(
      { session },
      handshake.key,
      selectedProtocol(request.protocols),
      handshake.extensions,
      handshake.context,
    );
  }

  return {
    get port() {
      return boundPort;
    },

    get operationsPort() {
      return operations?.port ?? null;
    },

    stats,
    feed,

    async listen() {
      listening = await listenGroup(app, config.host, config.port, config.listenBacklog);
      boundPort = listening.port;
      operations = await listenForOperations(config.operations, metrics, unavailableReason);
      historyThread.start();
      feed.start(
        createFeedSink({
          publisher: app,
          registry,
          histories: feed.histories,
          cache,
          recent,
          queue,
          stats,
          // Quotes go out within the flush's callback: uWS then writes them to each socket
          // together with its batches, in one syscall, rather than in 4 more a second.
          afterFlush: () => {
            quotes.afterFlush(connections.sessions, clock());
          },
        }),
      );
      timers.push(
        setInterval(() => {
          slowConsumers.check(connections.sessions);
        }, config.flushIntervalMs),
        setInterval(() => {
          marketWatch.check();
        }, MARKET_CHECK_MS),
        setInterval(() => {
          app.publish(BROADCAST_TOPIC, encodeHeartbeat({ serverTime: now() }, writer), true, false);
        }, config.heartbeatIntervalMs),
      );
      if (admission.requiresToken) {
        timers.push(
          setInterval(() => {
            connections.closeExpired(clock());
          }, 1_000),
        );
      }
      return boundPort;
    },

    async close() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      queue.stop();
      historyApi.stop();
      logs.stop();
      const notice = encodeGoingAway(
        { reconnectAfterMs: RECONNECT_AFTER_SHUTDOWN_MS, reason: 'server shutting down' },
        writer,
      );
      connections.closeAll(notice);
      listening?.close();
      listening = null;
      operations?.close();
      operations = null;
      await connections.allClosed(CLOSE_GRACE_MS);
      await Promise.all([feed.stop(), historyThread.stop()]);
    },
  };
}

/**
 * What uWS keeps for each socket. uWS copies every own property of the object given to
 * `upgrade` onto the socket's object, one by one through V8's slow path, and `getUserData()`
 * returns that copy, not the object: a Session handed over as it is would cost ~15 copies per
 * connect (a tenth of a reconnect storm's CPU) and arrive without its class. One property
 * holding it costs one copy, and the gateway works on the Session itself.
 */
export interface SocketData {
  readonly session: Session;
}

/** `WebSocket<SocketData>` is what uWS hands the callbacks; the gateway sees it as a `Peer`. */
export type FeedSocket = WebSocket<SocketData>;

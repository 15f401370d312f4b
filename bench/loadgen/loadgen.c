/*
 * loadgen: a single-threaded epoll WebSocket load generator for the Ticker benchmarks.
 *
 * It opens --clients connections to one server, or to several (--port 8001,8002: client k goes
 * to the (k mod n)-th, so a scaled-out deployment's gateways share the clients evenly),
 * subscribes each to --per-client symbols in the chart view (and, with --quotes-per-client, to
 * as many others in the quote view) and measures what arrives: ticks, bytes, WebSocket messages,
 * snapshots, quotes, sequence gaps and the latency of every tick from the time written in it
 * (epoch ms) to the read() that delivered it. It has to stay far cheaper than the server under
 * test, so the hot path allocates nothing, reads into one shared buffer, copies only the tail of
 * a partial frame, and takes the clock once per read().
 *
 * Reconnect storms: --connect-concurrency as high as --clients puts every connect in flight at
 * once, and --source-addresses N binds client k to 127.1.0.1 + (k mod N) first, so that a
 * server's per-address limits see N addresses instead of one. The "ready" event then says how
 * long each client took to hold all its snapshots (p50, p99, max from the first connect).
 *
 * The harness (bench/src) drives it over stdin ("go", "stop", "exit") and reads one JSON event a
 * line on stdout ("ready", "result", "error"). Exit codes: 0 on "exit" or stdin EOF, 1 when the
 * run failed (connect error, closed before ready, an error or symbol refusal answering a
 * subscribe, protocol violation, ready timeout), 2 on bad arguments or an environment that
 * cannot host the run.
 *
 * Build: cc -O2 -Wall -Wextra -Werror -std=gnu11 -o loadgen loadgen.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { MODE_TICKER, MODE_BUNDLE, MODE_JSON, MODE_SOCKETIO };
enum state { ST_QUEUED, ST_CONNECTING, ST_UPGRADING, ST_OPEN }; /* closed: fd < 0 */
enum opcode { OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };
/* Ticker protocol v1 message types (packages/protocol/src/version.ts). */
enum msg_type { T_HELLO = 1, T_BATCH = 3, T_SNAPSHOT = 4, T_ACK = 5, T_ERROR = 6,
                T_REFUSALS = 0x0a, T_QUOTE_SNAPSHOT = 0x0b, T_QUOTE = 0x0c,
                T_SUBSCRIBE = 0x81, T_VIEW_SUBSCRIBE = 0x85 };
enum view { VIEW_CHART = 0, VIEW_QUOTE = 1 };
/* Hello limit ids (packages/protocol/src/messages/hello.ts): a server announcing 7 has views. */
#define LIMIT_QUOTE_INTERVAL_MS 7
#define MAX_HELLO_LIMITS 64

/* Each client sends at most two requests, with fixed ids; acks_missing holds one bit per id. */
#define CHART_REQUEST 1           /* subscribe, or view subscribe (chart) with --chart-view */
#define QUOTE_REQUEST 2           /* view subscribe (quote) */
#define REQUEST_BIT(id) (1u << ((id) - 1))
#define RECV_CAP (8u << 20)       /* largest frame one connection may buffer */
#define HEADER_CAP 16384          /* an upgrade answer longer than this is not a WebSocket server */
#define READ_CHUNK (256u << 10)   /* big enough to take a whole flush of one client in one read */
#define MAX_EVENTS 1024
#define STDIN_TAG UINT32_MAX      /* epoll tag of fd 0; connections are tagged with their index */
#define NOT_SUBSCRIBED UINT32_MAX /* expected-seq sentinels; real seqs stay far below them */
#define SEQ_UNSET (UINT32_MAX - 1)
#define QUOTE_WAITING (UINT32_MAX - 2) /* held as a quote, its quote snapshot not there yet */
#define QUOTE_HELD (UINT32_MAX - 3)    /* held as a quote, quote snapshot received */
#define MAX_PORTS 16              /* servers one run may spread its clients over */
#define MAX_SOURCE_ADDRESSES 65534 /* 127.1.0.1 to 127.1.255.254 */
#define SOURCE_BASE 0x7f010001u    /* 127.1.0.1: all of 127.0.0.0/8 is loopback on Linux */
/* The kernel's initial SYN retransmission timeout (RFC 6298 5.7; TCP_TIMEOUT_INIT): a handshake
 * this slow most likely lost its SYN or SYN-ACK, e.g. to a full listen backlog. */
#define SLOW_HANDSHAKE_US 1000000
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 /* Linux 4.2+; glibc 2.36 headers may lack it */
#endif

/* Latency histogram: 10 us buckets below 100 ms, 1 ms buckets up to 120 s, then one overflow. */
#define FINE_BUCKETS 10000
#define COARSE_BUCKETS 119900
#define HIST_BUCKETS (FINE_BUCKETS + COARSE_BUCKETS + 1)

struct conn {
    int fd;
    uint8_t state;
    bool ready;
    uint8_t acks_missing;       /* REQUEST_BIT of each request sent and not yet acked */
    uint32_t snapshots_missing; /* ticker mode: subscribed symbols without a snapshot yet */
    int64_t connect_us;         /* CLOCK_MONOTONIC when connect() was called */
    int64_t handshake_us;       /* from connect() to the upgrade's 101 */
    int64_t ready_us;           /* CLOCK_MONOTONIC when it held every snapshot */
    uint8_t *rbuf;              /* bytes not parsed yet: a partial header or frame */
    size_t rlen, rcap;
    uint8_t *wbuf; /* bytes a partial write left behind, sent on EPOLLOUT */
    size_t wlen;
};

/* Everything reported by "stop", zeroed by "go". */
struct window {
    uint64_t ticks, frames, bytes, gaps, out_of_order, resyncs, unexpected, disconnects;
    uint64_t server_errors, clock_anomalies, latency_n, latency_max_us;
    uint64_t snapshots, snapshot_bytes, quotes, quote_bytes;
};

/* Since start, never zeroed: what the "ready" event reports about the connect phase. */
static struct {
    uint64_t bytes, snapshots, snapshot_bytes;
} total;

static struct {
    uint16_t ports[MAX_PORTS];
    uint32_t port_count;
    int mode; /* -1 until --mode is given */
    uint32_t clients, symbols, per_client, quotes_per_client, concurrency, ready_timeout_s;
    uint32_t source_addresses; /* 0: the kernel picks the source address */
    uint64_t seed;
    bool idle, chart_view;
    const char *host;
    struct sockaddr_in addr[MAX_PORTS];
} opt = { .mode = -1, .symbols = 500, .per_client = 20, .seed = 1, .host = "127.0.0.1",
          .concurrency = 256, .ready_timeout_s = 120 };

static struct conn *conns;
/* clients x (symbols + 1): next seq, SEQ_UNSET, QUOTE_WAITING, QUOTE_HELD or NOT_SUBSCRIBED */
static uint32_t *expected;
/* clients x (per_client + quotes_per_client): each client's chart ids, then its quote ids */
static uint16_t *subs;
static uint32_t subs_per_client;
static int64_t *durations; /* clients: scratch for the readiness percentiles, sorted once */
static int ep;
static uint32_t next_to_connect, upgrading, ready_count;
static int64_t start_us, now_us; /* CLOCK_MONOTONIC at start; CLOCK_REALTIME of the last read */
static int64_t first_connect_us; /* CLOCK_MONOTONIC of the first connect(); 0 before it */
static bool printed_server_error;
static char upgrade_request[MAX_PORTS][512]; /* per port: the Host header names it */
static size_t upgrade_len[MAX_PORTS];
static uint8_t *msg, *frame_out; /* scratch for outgoing messages and their frames */

static struct window win;
static int64_t win_start_us;
static struct rusage win_rusage;
static uint64_t hist[HIST_BUCKETS];
static uint8_t inbuf[READ_CHUNK];

/* ---- output ---------------------------------------------------------------------------- */

__attribute__((format(printf, 1, 2))) static void emit(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* Prints {"event":"error"} with the message JSON-escaped, then exits with `code`. */
__attribute__((format(printf, 2, 3), noreturn)) static void die(int code, const char *fmt, ...) {
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fputs("{\"event\":\"error\",\"message\":\"", stdout);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    fputs("\"}\n", stdout);
    fflush(stdout);
    exit(code);
}

static uint32_t idx(const struct conn *c) { return (uint32_t)(c - conns); }

/* Which of the --port servers a client talks to: round-robin, so each gets an equal share. */
static uint32_t port_of(const struct conn *c) { return idx(c) % opt.port_count; }

/* ---- clock and latency histogram ------------------------------------------------------- */

static int64_t clock_us(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint32_t bucket_of(uint64_t us) {
    if (us < FINE_BUCKETS * 10) return (uint32_t)(us / 10);
    if (us < 120000000) return FINE_BUCKETS + (uint32_t)((us - FINE_BUCKETS * 10) / 1000);
    return HIST_BUCKETS - 1;
}

static uint64_t bucket_upper_us(uint32_t b) {
    if (b < FINE_BUCKETS) return (uint64_t)(b + 1) * 10;
    if (b < HIST_BUCKETS - 1) return FINE_BUCKETS * 10 + (uint64_t)(b - FINE_BUCKETS + 1) * 1000;
    return UINT64_MAX; /* overflow: clamped to the exact max by the caller */
}

/* Server tick times are floored to the ms, so latencies are over-estimated by < 1 ms. */
static void record_tick(uint64_t time_ms) {
    int64_t latency = now_us - (int64_t)(time_ms * 1000);
    win.ticks++;
    if (latency < 0) {
        win.clock_anomalies++;
        latency = 0;
    }
    hist[bucket_of((uint64_t)latency)]++;
    win.latency_n++;
    if ((uint64_t)latency > win.latency_max_us) win.latency_max_us = (uint64_t)latency;
}

/* The upper edge of the bucket holding the q-quantile (never above the exact max), in ms. */
static double percentile_ms(double q) {
    if (win.latency_n == 0) return 0;
    double target = q * (double)win.latency_n;
    uint64_t rank = (uint64_t)target;
    if ((double)rank < target) rank++; /* ceil, without libm */
    uint64_t seen = 0;
    uint32_t b = 0;
    for (; b < HIST_BUCKETS - 1; b++) {
        seen += hist[b];
        if (seen >= rank) break;
    }
    uint64_t us = bucket_upper_us(b);
    return (double)(us < win.latency_max_us ? us : win.latency_max_us) / 1000.0;
}

/* ---- options --------------------------------------------------------------------------- */

static uint64_t parse_uint(const char *name, const char *text, uint64_t min, uint64_t max) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || v < min || v > max)
        die(2, "--%s must be an integer in [%" PRIu64 ", %" PRIu64 "], got \"%s\"", name, min, max,
            text);
    return v;
}

/* "8001" or "8001,8002,...": the servers the clients are spread over. */
static void parse_ports(const char *name, const char *text) {
    char list[256];
    if (strlen(text) >= sizeof list) die(2, "--%s is too long: \"%s\"", name, text);
    strcpy(list, text);
    opt.port_count = 0;
    for (char *save = NULL, *part = strtok_r(list, ",", &save); part;
         part = strtok_r(NULL, ",", &save)) {
        if (opt.port_count == MAX_PORTS) die(2, "--%s takes at most %d ports", name, MAX_PORTS);
        opt.ports[opt.port_count++] = (uint16_t)parse_uint(name, part, 1, 65535);
    }
}

static int parse_mode(const char *text) {
    static const char *const names[] = { "ticker", "bundle", "json", "socketio" };
    for (int m = 0; m < 4; m++)
        if (strcmp(text, names[m]) == 0) return m;
    die(2, "--mode must be ticker, bundle, json or socketio, got \"%s\"", text);
}

static void parse_args(int argc, char **argv) {
    static const struct option options[] = {
        { "port", required_argument, 0, 'p' },  { "mode", required_argument, 0, 'm' },
        { "clients", required_argument, 0, 'c' }, { "symbols", required_argument, 0, 's' },
        { "per-client", required_argument, 0, 'k' }, { "seed", required_argument, 0, 'r' },
        { "idle", no_argument, 0, 'i' }, { "host", required_argument, 0, 'h' },
        { "connect-concurrency", required_argument, 0, 'C' },
        { "ready-timeout-s", required_argument, 0, 't' },
        { "quotes-per-client", required_argument, 0, 'q' },
        { "chart-view", no_argument, 0, 'v' },
        { "source-addresses", required_argument, 0, 'a' }, { 0, 0, 0, 0 },
    };
    opterr = 0; /* errors are reported as JSON events below, not by getopt */
    int o, at = 0;
    while ((o = getopt_long(argc, argv, ":", options, &at)) != -1) {
        const char *name = options[at].name; /* valid for every recognised option */
        switch (o) {
        case 'p': parse_ports(name, optarg); break;
        case 'm': opt.mode = parse_mode(optarg); break;
        case 'c': opt.clients = (uint32_t)parse_uint(name, optarg, 1, 1000000); break;
        case 's': opt.symbols = (uint32_t)parse_uint(name, optarg, 1, 9999); break;
        case 'k': opt.per_client = (uint32_t)parse_uint(name, optarg, 0, 4096); break;
        case 'r': opt.seed = parse_uint(name, optarg, 0, UINT64_MAX); break;
        case 'i': opt.idle = true; break;
        case 'h': opt.host = optarg; break;
        case 'C': opt.concurrency = (uint32_t)parse_uint(name, optarg, 1, 1000000); break;
        case 't': opt.ready_timeout_s = (uint32_t)parse_uint(name, optarg, 1, 86400); break;
        case 'q': opt.quotes_per_client = (uint32_t)parse_uint(name, optarg, 0, 4096); break;
        case 'v': opt.chart_view = true; break;
        case 'a':
            opt.source_addresses = (uint32_t)parse_uint(name, optarg, 1, MAX_SOURCE_ADDRESSES);
            break;
        case ':': die(2, "%s needs a value", argv[optind - 1]);
        default: die(2, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc) die(2, "unexpected argument \"%s\"", argv[optind]);
    if (!opt.port_count || opt.mode < 0 || !opt.clients)
        die(2, "--port, --mode and --clients are required");
    if ((opt.quotes_per_client || opt.chart_view) && opt.mode != MODE_TICKER)
        die(2, "--quotes-per-client and --chart-view need --mode ticker (views are its protocol's)");
    if (opt.mode != MODE_TICKER && opt.per_client == 0)
        die(2, "--per-client must be at least 1 in this mode");
    if (opt.per_client + opt.quotes_per_client == 0)
        die(2, "--per-client and --quotes-per-client are both 0: nothing to subscribe to");
    if (opt.per_client + opt.quotes_per_client > opt.symbols)
        die(2, "--per-client %u plus --quotes-per-client %u exceeds --symbols %u", opt.per_client,
            opt.quotes_per_client, opt.symbols);
    /* One request holds at most 256 ids (PROTOCOL.md "Limits"); a client sends one per view. */
    if (opt.mode == MODE_TICKER && (opt.per_client > 256 || opt.quotes_per_client > 256))
        die(2, "--per-client and --quotes-per-client take at most 256 in --mode ticker");
    subs_per_client = opt.per_client + opt.quotes_per_client;
    for (uint32_t p = 0; p < opt.port_count; p++) {
        opt.addr[p].sin_family = AF_INET;
        opt.addr[p].sin_port = htons(opt.ports[p]);
        if (inet_pton(AF_INET, opt.host, &opt.addr[p].sin_addr) != 1)
            die(2, "--host must be an IPv4 address, got \"%s\"", opt.host);
    }
    /* Bound to 127.1.x.y, a socket can only reach loopback addresses. */
    if (opt.source_addresses && (ntohl(opt.addr[0].sin_addr.s_addr) >> 24) != 127)
        die(2, "--source-addresses needs a loopback --host (127.x.y.z), got \"%s\"", opt.host);
}

/* Every connection is a descriptor: without enough of them the run would fail midway. */
static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) die(2, "getrlimit: %s", strerror(errno));
    uint64_t need = (uint64_t)opt.clients + 64;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
        die(2, "RLIMIT_NOFILE hard limit %llu is below clients + 64 = %" PRIu64 "; raise it",
            (unsigned long long)rl.rlim_max, need);
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) die(2, "setrlimit: %s", strerror(errno));
}

/* ---- subscriptions and sequence tracking ----------------------------------------------- */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Client k draws per_client + quotes_per_client distinct ids from 1..symbols, seeded so the
 * harness can redo it: the first per_client are its charts, the rest its quotes. The chart ids
 * are the same as without quotes, so adding quotes to a run does not change its charts. */
static void pick_subscriptions(void) {
    size_t row = (size_t)opt.symbols + 1;
    expected = malloc((size_t)opt.clients * row * sizeof *expected);
    subs = malloc((size_t)opt.clients * subs_per_client * sizeof *subs);
    conns = calloc(opt.clients, sizeof *conns);
    durations = malloc((size_t)opt.clients * sizeof *durations);
    if (!expected || !subs || !conns || !durations)
        die(2, "out of memory for %u clients", opt.clients);
    memset(expected, 0xff, (size_t)opt.clients * row * sizeof *expected); /* NOT_SUBSCRIBED */
    uint8_t requests = 0; /* what every client will have to see acked */
    if (opt.mode != MODE_TICKER && opt.mode != MODE_BUNDLE) requests = REQUEST_BIT(CHART_REQUEST);
    else {
        if (opt.per_client) requests |= REQUEST_BIT(CHART_REQUEST);
        if (opt.quotes_per_client) requests |= REQUEST_BIT(QUOTE_REQUEST);
    }
    for (uint32_t k = 0; k < opt.clients; k++) {
        uint64_t state = opt.seed * 1000003u + k;
        uint32_t *slots = &expected[k * row];
        /* Rejection sampling ends: per_client + quotes_per_client <= symbols (parse_args). */
        for (uint32_t j = 0; j < subs_per_client; j++) {
            uint32_t id;
            do id = 1 + (uint32_t)(splitmix64(&state) % opt.symbols);
            while (slots[id] != NOT_SUBSCRIBED);
            slots[id] = j < opt.per_client ? SEQ_UNSET : QUOTE_WAITING;
            subs[(size_t)k * subs_per_client + j] = (uint16_t)id;
        }
        conns[k].fd = -1;
        conns[k].acks_missing = requests;
        conns[k].snapshots_missing = opt.mode == MODE_TICKER ? subs_per_client : 0;
    }
}

/* The slot of (client, symbol) if the client holds the symbol, else NULL. */
static uint32_t *held_slot(const struct conn *c, uint64_t symbol) {
    if (symbol == 0 || symbol > opt.symbols) return NULL;
    uint32_t *slot = &expected[(size_t)idx(c) * (opt.symbols + 1) + symbol];
    return *slot == NOT_SUBSCRIBED ? NULL : slot;
}

static bool is_quote(uint32_t slot) { return slot == QUOTE_WAITING || slot == QUOTE_HELD; }

/* The expected-seq slot of a symbol the client holds as a chart, or NULL, counted as
 * unexpected, for any other symbol (one it holds as a quote included). */
static uint32_t *seq_slot(const struct conn *c, uint64_t symbol) {
    uint32_t *slot = held_slot(c, symbol);
    if (slot && !is_quote(*slot)) return slot;
    win.unexpected++;
    return NULL;
}

/* The slot of a symbol the client holds as a quote, or NULL, counted as unexpected. */
static uint32_t *quote_slot(const struct conn *c, uint64_t symbol) {
    uint32_t *slot = held_slot(c, symbol);
    if (slot && is_quote(*slot)) return slot;
    win.unexpected++;
    return NULL;
}

static void check_seq(uint32_t *slot, uint64_t seq) {
    if (*slot != SEQ_UNSET) {
        if (seq > *slot) win.gaps += seq - *slot;
        else if (seq < *slot) win.out_of_order++;
    }
    *slot = (uint32_t)(seq + 1);
}

static int compare_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank q-quantile of n sorted values (n >= 1): the smallest value with at least
 * q * n values at or below it. */
static int64_t nearest_rank(const int64_t *sorted, uint32_t n, double q) {
    double target = q * (double)n;
    uint64_t rank = (uint64_t)target;
    if ((double)rank < target) rank++; /* ceil, without libm */
    if (rank == 0) rank = 1;
    return sorted[rank - 1];
}

/* Sorts durations[0..n) and writes `"name":{"p50":...,"p99":...,"max":...}` in ms. */
static void print_spread(const char *name, uint32_t n) {
    qsort(durations, n, sizeof *durations, compare_i64);
    printf("\"%s\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}", name,
           (double)nearest_rank(durations, n, 0.5) / 1000.0,
           (double)nearest_rank(durations, n, 0.99) / 1000.0, (double)durations[n - 1] / 1000.0);
}

/* All clients ready: how long the connect phase took, as a whole and client by client. Each
 * client's readiness is timed from the first connect() of the run, so that with every connect
 * in flight at once (a reconnect storm) max is the time until every client holds all its
 * snapshots. */
static void print_ready(void) {
    uint32_t n = opt.clients, slow = 0;
    printf("{\"event\":\"ready\",\"clients\":%u,\"connectMs\":%.3f,", n,
           (double)(clock_us(CLOCK_MONOTONIC) - start_us) / 1000.0);
    for (uint32_t k = 0; k < n; k++) durations[k] = conns[k].ready_us - first_connect_us;
    print_spread("readyMs", n);
    for (uint32_t k = 0; k < n; k++) {
        durations[k] = conns[k].handshake_us;
        if (conns[k].handshake_us >= SLOW_HANDSHAKE_US) slow++;
    }
    putchar(',');
    print_spread("handshakeMs", n);
    printf(",\"slowHandshakes\":%u,\"bytes\":%" PRIu64 ",\"snapshots\":%" PRIu64
           ",\"snapshotBytes\":%" PRIu64 "}\n",
           slow, total.bytes, total.snapshots, total.snapshot_bytes);
    fflush(stdout);
}

static void mark_ready(struct conn *c) {
    if (c->ready) return;
    c->ready = true;
    c->ready_us = clock_us(CLOCK_MONOTONIC);
    if (++ready_count == opt.clients) print_ready();
}

static void check_ready(struct conn *c) {
    if (c->acks_missing == 0 && c->snapshots_missing == 0) mark_ready(c);
}

/* ---- connection lifecycle and writes --------------------------------------------------- */

static void close_conn(struct conn *c) {
    close(c->fd); /* also removes it from the epoll set */
    c->fd = -1;
    free(c->rbuf);
    free(c->wbuf);
    c->rbuf = c->wbuf = NULL;
    c->rlen = c->rcap = c->wlen = 0;
}

/* Losing a client before it is ready fails the run; afterwards it is a measured disconnect. */
static void connection_lost(struct conn *c, const char *why) {
    if (!c->ready) die(1, "client %u: %s before it was ready", idx(c), why);
    win.disconnects++;
    close_conn(c);
}

static void watch(struct conn *c, uint32_t events) {
    struct epoll_event ev = { .events = events, .data.u32 = idx(c) };
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) die(1, "epoll_ctl: %s", strerror(errno));
}

static void send_bytes(struct conn *c, const uint8_t *p, size_t n) {
    if (c->wlen == 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            connection_lost(c, strerror(errno));
            return;
        }
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        }
        if (n == 0) return;
        watch(c, EPOLLIN | EPOLLOUT);
    }
    uint8_t *grown = realloc(c->wbuf, c->wlen + n);
    if (!grown) die(1, "out of memory");
    memcpy(grown + c->wlen, p, n);
    c->wbuf = grown;
    c->wlen += n;
}

static void flush_pending(struct conn *c) {
    ssize_t w = send(c->fd, c->wbuf, c->wlen, MSG_NOSIGNAL);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR) connection_lost(c, strerror(errno));
        return;
    }
    c->wlen -= (size_t)w;
    memmove(c->wbuf, c->wbuf + w, c->wlen);
    if (c->wlen == 0) watch(c, EPOLLIN);
}

/* Client frames must be masked (RFC 6455 5.3); a fixed key is enough for a benchmark. */
static void send_frame(struct conn *c, enum opcode op, const uint8_t *payload, size_t len) {
    static const uint8_t key[4] = { 0x5a, 0x17, 0xc3, 0x8e };
    size_t n = 0;
    frame_out[n++] = (uint8_t)(0x80 | op);
    if (len < 126) {
        frame_out[n++] = (uint8_t)(0x80 | len);
    } else { /* --per-client <= 4096 keeps every message below 64 KiB */
        frame_out[n++] = 0x80 | 126;
        frame_out[n++] = (uint8_t)(len >> 8);
        frame_out[n++] = (uint8_t)len;
    }
    memcpy(frame_out + n, key, 4);
    n += 4;
    for (size_t i = 0; i < len; i++) frame_out[n++] = payload[i] ^ key[i & 3];
    send_bytes(c, frame_out, n);
}

static void send_text(struct conn *c, const char *text) {
    send_frame(c, OP_TEXT, (const uint8_t *)text, strlen(text));
}

static size_t put_varint(uint8_t *out, uint64_t v) {
    size_t n = 0;
    for (; v >= 0x80; v >>= 7) out[n++] = (uint8_t)(v | 0x80);
    out[n++] = (uint8_t)v;
    return n;
}

/* `"SYM001","SYM017",...`: the ticker names of a client's symbols for the text protocols. */
static size_t symbol_list(const struct conn *c, char *out) {
    const uint16_t *ids = &subs[(size_t)idx(c) * subs_per_client];
    size_t n = 0;
    for (uint32_t j = 0; j < opt.per_client; j++)
        n += (size_t)sprintf(out + n, "%s\"SYM%03u\"", j ? "," : "", (unsigned)ids[j]);
    return n;
}

/* Subscribe: 01 81 <requestId> <count> <ids>; view subscribe: 01 85 <requestId> <u8 view>
 * <count> <ids> (docs/PROTOCOL.md). `view` < 0 sends the plain subscribe. Never bundled. */
static void send_binary_subscribe(struct conn *c, uint64_t request, int view, uint32_t first,
                                  uint32_t count) {
    const uint16_t *ids = &subs[(size_t)idx(c) * subs_per_client + first];
    size_t n = 0;
    msg[n++] = 1;
    msg[n++] = view < 0 ? T_SUBSCRIBE : T_VIEW_SUBSCRIBE;
    n += put_varint(msg + n, request);
    if (view >= 0) msg[n++] = (uint8_t)view;
    n += put_varint(msg + n, count);
    for (uint32_t j = 0; j < count; j++) n += put_varint(msg + n, ids[j]);
    send_frame(c, OP_BINARY, msg, n);
}

static void send_subscribe(struct conn *c) {
    char *text = (char *)msg;
    size_t n = 0;
    switch (opt.mode) {
    case MODE_TICKER:
    case MODE_BUNDLE: /* the charts first, then the quotes: a dashboard opens its chart first */
        if (opt.per_client)
            send_binary_subscribe(c, CHART_REQUEST, opt.chart_view ? VIEW_CHART : -1, 0,
                                  opt.per_client);
        if (opt.quotes_per_client && c->fd >= 0)
            send_binary_subscribe(c, QUOTE_REQUEST, VIEW_QUOTE, opt.per_client,
                                  opt.quotes_per_client);
        return;
    case MODE_JSON:
        n = (size_t)sprintf(text, "{\"type\":\"subscribe\",\"symbols\":[");
        n += symbol_list(c, text + n);
        n += (size_t)sprintf(text + n, "]}");
        break;
    case MODE_SOCKETIO: /* event "subscribe" with ack id 1 */
        n = (size_t)sprintf(text, "421[\"subscribe\",[");
        n += symbol_list(c, text + n);
        n += (size_t)sprintf(text + n, "]]");
        break;
    }
    send_frame(c, OP_TEXT, msg, n);
}

/* ---- ticker protocol v1 (ticker and bundle modes) -------------------------------------- */

struct reader {
    const uint8_t *p, *end;
    bool bad; /* truncated or over-long varint; checked once per message */
};

static inline uint64_t read_varint(struct reader *r) {
    if (r->p < r->end && *r->p < 0x80) return *r->p++; /* most fields are one byte */
    uint64_t v = 0;
    for (int shift = 0; shift < 56 && r->p < r->end; shift += 7) {
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80) return v;
    }
    r->bad = true;
    return 0;
}

/* serverTime, heartbeatIntervalMs, count, then count (id, value) pairs. A view subscribe to a
 * server without views would only come back as error 3; its hello says so first. */
static void on_hello(struct conn *c, struct reader *r) {
    read_varint(r);
    read_varint(r);
    uint64_t count = read_varint(r);
    if (count > MAX_HELLO_LIMITS) r->bad = true;
    bool has_views = false;
    for (uint64_t i = 0; i < count && !r->bad; i++) {
        uint64_t id = read_varint(r);
        read_varint(r);
        if (id == LIMIT_QUOTE_INTERVAL_MS) has_views = true;
    }
    if (r->bad) return;
    if (!has_views && (opt.quotes_per_client || opt.chart_view))
        die(1, "client %u: the server's hello does not announce QuoteIntervalMs (limit %d): it "
               "has no views, so it cannot take --quotes-per-client or --chart-view",
            idx(c), LIMIT_QUOTE_INTERVAL_MS);
    if (opt.idle) mark_ready(c);
    else send_subscribe(c);
}

/* symbolId, seq, baseTime, then (zigzag priceDelta, sizeSide, timeDelta) to the end. */
static void on_batch(struct conn *c, struct reader *r) {
    uint64_t symbol = read_varint(r), seq = read_varint(r), time = read_varint(r);
    uint32_t *slot = seq_slot(c, symbol);
    if (!slot) return;
    check_seq(slot, seq);
    while (r->p < r->end && !r->bad) {
        read_varint(r); /* price and size are not measured */
        read_varint(r);
        time += read_varint(r);
        record_tick(time);
    }
}

/* Snapshots of either view, counted with their framing (the bytes a client's link carries). */
static void count_snapshot(size_t wire) {
    win.snapshots++;
    win.snapshot_bytes += wire;
    total.snapshots++;
    total.snapshot_bytes += wire;
}

/* Only the header fields are read: the rest (session, candles, history) is not measured. */
static void on_snapshot(struct conn *c, struct reader *r, size_t wire) {
    uint64_t request = read_varint(r), symbol = read_varint(r), next_seq = read_varint(r);
    count_snapshot(wire);
    uint32_t *slot = seq_slot(c, symbol);
    if (!slot) return;
    if (request == 0) win.resyncs++; /* the server resynced a slow consumer */
    /* A symbol's first snapshot comes before its first batch, so UNSET means "first". It may
     * answer the subscribe or, if the server paused the client meanwhile, a resync. */
    if (*slot == SEQ_UNSET && c->snapshots_missing > 0) c->snapshots_missing--;
    *slot = (uint32_t)next_seq;
    check_ready(c);
}

/* requestId, symbolId, then the session and closes, which are not measured. */
static void on_quote_snapshot(struct conn *c, struct reader *r, size_t wire) {
    uint64_t request = read_varint(r), symbol = read_varint(r);
    count_snapshot(wire);
    uint32_t *slot = quote_slot(c, symbol);
    if (!slot) return;
    if (request == 0) win.resyncs++;
    if (*slot == QUOTE_WAITING) {
        *slot = QUOTE_HELD;
        if (c->snapshots_missing > 0) c->snapshots_missing--;
    }
    check_ready(c);
}

/* symbolId, then the quote's fields. A quote before its symbol's quote snapshot breaks the
 * protocol's order ("Snapshots") and is counted with the out-of-order batches. */
static void on_quote(struct conn *c, struct reader *r, size_t wire) {
    uint32_t *slot = quote_slot(c, read_varint(r));
    r->p = r->end; /* lastTime, last, high, low, volume, tradeCount: not measured */
    if (!slot) return;
    if (*slot == QUOTE_WAITING) win.out_of_order++;
    win.quotes++;
    win.quote_bytes += wire;
}

static void on_ack(struct conn *c, uint64_t request) {
    if (request != CHART_REQUEST && request != QUOTE_REQUEST) return;
    c->acks_missing &= (uint8_t)~REQUEST_BIT(request);
    check_ready(c);
}

/* requestId, count, then count (symbolId, code) pairs: a view subscribe applied in part. */
static void on_refusals(struct conn *c, struct reader *r) {
    uint64_t request = read_varint(r), count = read_varint(r);
    if (r->bad || count == 0 || count > 256) {
        r->bad = true;
        return;
    }
    win.server_errors++;
    if (c->ready) { /* no request of ours is outstanding after ready; count it, go on */
        r->p = r->end;
        return;
    }
    /* A refused symbol never gets its snapshot: fail now, naming a few, not at the timeout. */
    char list[160];
    size_t n = 0;
    for (uint64_t i = 0; i < count && !r->bad; i++) {
        uint64_t symbol = read_varint(r), code = read_varint(r);
        if (n < sizeof list - 60)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%" PRIu64 " (code %" PRIu64 ")",
                                  i ? ", " : "", symbol, code);
    }
    if (r->bad) return;
    die(1, "client %u: the server refused %" PRIu64 " symbol(s) of request %" PRIu64
           " before ready: %s", idx(c), count, request, list);
}

static void on_server_error(struct conn *c, struct reader *r) {
    uint64_t request = read_varint(r), code = read_varint(r), len = read_varint(r);
    if (r->bad || len > (uint64_t)(r->end - r->p)) {
        r->bad = true;
        return;
    }
    win.server_errors++;
    /* Before ready it answers our one request (a rejected subscribe, or one it could not
     * decode, which carries request id 0): fail now rather than at the ready timeout. */
    if (!c->ready)
        die(1, "client %u: server error before ready, request %" PRIu64 ", code %" PRIu64 ": %.*s",
            idx(c), request, code, (int)len, (const char *)r->p);
    if (!printed_server_error)
        fprintf(stderr, "loadgen: server error code %" PRIu64 ": %.*s\n", code, (int)len, r->p);
    printed_server_error = true;
    r->p += len;
}

/* `wire`: the bytes the message took on the link, its framing included. */
static void on_protocol_message(struct conn *c, const uint8_t *p, size_t len, size_t wire) {
    if (len < 2 || p[0] != 1) die(1, "client %u: a message that is not protocol v1", idx(c));
    struct reader r = { p + 2, p + len, false };
    switch (p[1]) {
    case T_HELLO: on_hello(c, &r); break;
    case T_BATCH: on_batch(c, &r); break;
    case T_SNAPSHOT: on_snapshot(c, &r, wire); break;
    case T_ACK: on_ack(c, read_varint(&r)); break;
    case T_ERROR: on_server_error(c, &r); break;
    case T_REFUSALS: on_refusals(c, &r); break;
    case T_QUOTE_SNAPSHOT: on_quote_snapshot(c, &r, wire); break;
    case T_QUOTE: on_quote(c, &r, wire); break;
    default: break; /* directory, pong, heartbeat, going-away: nothing to measure */
    }
    if (r.bad) die(1, "client %u: malformed message of type 0x%02x", idx(c), p[1]);
}

/* One WebSocket message holding [varint length][message] records. */
static void on_bundle(struct conn *c, const uint8_t *p, size_t len) {
    struct reader r = { p, p + len, false };
    while (r.p < r.end) {
        const uint8_t *record = r.p;
        uint64_t n = read_varint(&r);
        if (r.bad || n > (uint64_t)(r.end - r.p)) die(1, "client %u: malformed bundle", idx(c));
        on_protocol_message(c, r.p, n, (size_t)(r.p + n - record));
        r.p += n;
    }
}

/* ---- JSON ticks (json and socketio modes) ---------------------------------------------- */

/* Where the value of `key` starts within [p, end), past any spaces; NULL if the key is absent. */
static const char *json_value(const char *p, const char *end, const char *key) {
    size_t klen = strlen(key);
    const char *at = memmem(p, (size_t)(end - p), key, klen);
    if (!at) return NULL;
    for (at += klen; at < end && *at == ' '; at++) continue;
    return at;
}

/* The unsigned integer at p, or -1 if there is none (or it is too long to be a seq or time). */
static int64_t parse_digits(const char *p, const char *end) {
    int64_t v = 0;
    int digits = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) v = v * 10 + (*p - '0');
    return digits == 0 || digits > 18 ? -1 : v;
}

static int64_t json_number(const char *p, const char *end, const char *key) {
    const char *at = json_value(p, end, key);
    return at ? parse_digits(at, end) : -1;
}

/* One tick per message; messages without a "symbol" key are not ticks. */
static void on_json_tick(struct conn *c, const char *p, const char *end) {
    const char *sym = json_value(p, end, "\"symbol\":");
    if (!sym) return;
    /* Another naming scheme parses as symbol 0, which no client subscribes to: unexpected. */
    bool ours = end - sym > 4 && memcmp(sym, "\"SYM", 4) == 0;
    int64_t symbol = ours ? parse_digits(sym + 4, end) : 0;
    int64_t seq = json_number(p, end, "\"seq\":"), time = json_number(p, end, "\"time\":");
    if (symbol < 0 || seq < 0 || time < 0)
        die(1, "client %u: a tick without numeric symbol, seq and time: %.*s", idx(c),
            (int)(end - p > 200 ? 200 : end - p), p);
    uint32_t *slot = seq_slot(c, (uint64_t)symbol);
    if (!slot) return;
    check_seq(slot, (uint64_t)seq);
    record_tick((uint64_t)time);
}

static void on_json_message(struct conn *c, const char *p, size_t len) {
    if (c->acks_missing && memmem(p, len, "\"subscribed\"", 12)) {
        c->acks_missing = 0;
        check_ready(c);
        return;
    }
    on_json_tick(c, p, p + len);
}

/* Engine.IO packet type first, then Socket.IO's for "4" (message) packets. */
static void on_socketio_message(struct conn *c, const char *p, size_t len) {
    if (len >= 2 && p[0] == '4' && p[1] == '2') { /* event: 42["tick",{...}] */
        on_json_tick(c, p + 2, p + len);
    } else if (len == 1 && p[0] == '2') { /* Engine.IO ping */
        send_text(c, "3");
    } else if (len >= 1 && p[0] == '0') { /* Engine.IO open: join the default namespace */
        send_text(c, "40");
    } else if (len >= 2 && p[0] == '4' && p[1] == '0') { /* namespace connected */
        if (opt.idle) mark_ready(c);
        else send_subscribe(c);
    } else if (len >= 3 && memcmp(p, "431", 3) == 0) { /* ack of the subscribe */
        c->acks_missing = 0;
        check_ready(c);
    }
}

/* ---- WebSocket framing and reads ------------------------------------------------------- */

/* A server frame's size on the wire: its payload and an unmasked header (RFC 6455 5.2). */
static size_t ws_frame_bytes(size_t len) { return len + (len < 126 ? 2 : len < 65536 ? 4 : 10); }

static void on_message(struct conn *c, const uint8_t *p, size_t len) {
    win.frames++;
    switch (opt.mode) {
    case MODE_TICKER: on_protocol_message(c, p, len, ws_frame_bytes(len)); break;
    case MODE_BUNDLE: on_bundle(c, p, len); break;
    case MODE_JSON: on_json_message(c, (const char *)p, len); break;
    case MODE_SOCKETIO: on_socketio_message(c, (const char *)p, len); break;
    }
}

static void on_frame(struct conn *c, uint8_t first, const uint8_t *payload, size_t len) {
    uint8_t op = first & 0x0f;
    if (!(first & 0x80) || op == 0)
        die(1, "client %u: a fragmented message (no server under test fragments)", idx(c));
    switch (op) {
    case OP_TEXT:
    case OP_BINARY: on_message(c, payload, len); break;
    case OP_CLOSE: connection_lost(c, "the server sent a close frame"); break;
    case OP_PING:
        if (len > 125) die(1, "client %u: a %zu-byte ping", idx(c), len);
        send_frame(c, OP_PONG, payload, len);
        break;
    case OP_PONG: break;
    default: die(1, "client %u: unknown WebSocket opcode %u", idx(c), op);
    }
}

/* Handles the frame at p and returns its size, or returns 0 if it is not complete yet. */
static size_t parse_frame(struct conn *c, const uint8_t *p, size_t n) {
    if (n < 2) return 0;
    if (p[1] & 0x80) die(1, "client %u: the server masked a frame", idx(c));
    uint64_t len = p[1] & 0x7f;
    size_t head = 2;
    if (len == 126) {
        if (n < 4) return 0;
        len = (uint64_t)p[2] << 8 | p[3];
        head = 4;
    } else if (len == 127) {
        if (n < 10) return 0;
        len = 0;
        for (int i = 2; i < 10; i++) len = len << 8 | p[i];
        head = 10;
    }
    if (len > RECV_CAP - head)
        die(1, "client %u: a %" PRIu64 "-byte frame exceeds the 8 MiB receive buffer", idx(c), len);
    if (n - head < len) return 0;
    on_frame(c, p[0], p + head, (size_t)len);
    return head + (size_t)len;
}

/* Handles the answer to the upgrade request; returns its size, or 0 if it is incomplete. */
static size_t parse_upgrade(struct conn *c, const uint8_t *p, size_t n) {
    const uint8_t *end = memmem(p, n, "\r\n\r\n", 4);
    if (!end) {
        if (n > HEADER_CAP) die(1, "client %u: no end to the upgrade answer", idx(c));
        return 0;
    }
    if (n < 12 || memcmp(p, "HTTP/1.1 101", 12) != 0) {
        const uint8_t *eol = memchr(p, '\r', n);
        die(1, "client %u: upgrade refused: %.*s", idx(c), (int)(eol - p > 200 ? 200 : eol - p), p);
    }
    c->state = ST_OPEN;
    c->handshake_us = clock_us(CLOCK_MONOTONIC) - c->connect_us;
    upgrading--;
    switch (opt.mode) {
    case MODE_TICKER: break;   /* subscribes after the hello */
    case MODE_SOCKETIO: break; /* waits for the Engine.IO open */
    default:
        if (opt.idle) mark_ready(c);
        else send_subscribe(c);
    }
    return (size_t)(end + 4 - p);
}

static size_t parse_all(struct conn *c, const uint8_t *p, size_t n) {
    size_t used = 0;
    if (c->state == ST_UPGRADING && (used = parse_upgrade(c, p, n)) == 0) return 0;
    while (c->fd >= 0 && used < n) {
        size_t size = parse_frame(c, p + used, n - used);
        if (size == 0) break;
        used += size;
    }
    return used;
}

static void buffer_append(struct conn *c, const uint8_t *p, size_t n) {
    if (c->rlen + n > c->rcap) {
        size_t cap = c->rcap ? c->rcap * 2 : 4096;
        while (cap < c->rlen + n) cap *= 2;
        uint8_t *grown = realloc(c->rbuf, cap);
        if (!grown) die(1, "out of memory");
        c->rbuf = grown;
        c->rcap = cap;
    }
    memcpy(c->rbuf + c->rlen, p, n);
    c->rlen += n;
}

/* Parses straight from the shared read buffer; only an incomplete tail is copied aside. */
static void consume(struct conn *c, const uint8_t *data, size_t n) {
    if (c->rlen == 0) {
        size_t used = parse_all(c, data, n);
        if (c->fd >= 0 && used < n) buffer_append(c, data + used, n - used);
        return;
    }
    buffer_append(c, data, n);
    size_t used = parse_all(c, c->rbuf, c->rlen);
    if (c->fd < 0) return;
    c->rlen -= used;
    memmove(c->rbuf, c->rbuf + used, c->rlen);
}

static void on_readable(struct conn *c) {
    ssize_t n = recv(c->fd, inbuf, sizeof inbuf, 0);
    if (n > 0) {
        now_us = clock_us(CLOCK_REALTIME);
        win.bytes += (uint64_t)n;
        total.bytes += (uint64_t)n;
        consume(c, inbuf, (size_t)n);
    } else if (n == 0) {
        connection_lost(c, "the server closed the connection");
    } else if (errno != EAGAIN && errno != EINTR) {
        connection_lost(c, strerror(errno));
    }
}

/* ---- connecting ------------------------------------------------------------------------ */

/* Client k's own loopback address, 127.1.0.1 + (k mod --source-addresses); the port is left to
 * connect() (IP_BIND_ADDRESS_NO_PORT), which only needs it unique per address and destination. */
static void bind_source(const struct conn *c, int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in src = { .sin_family = AF_INET };
    src.sin_addr.s_addr = htonl(SOURCE_BASE + idx(c) % opt.source_addresses);
    if (bind(fd, (const struct sockaddr *)&src, sizeof src) != 0) {
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &src.sin_addr, text, sizeof text);
        die(1, "client %u: bind to source address %s: %s", idx(c), text, strerror(errno));
    }
}

static void open_connection(struct conn *c) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die(1, "socket: %s", strerror(errno));
    int one = 1; /* subscribes and pongs are tiny: send them now, not after a delayed ACK */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (opt.source_addresses) bind_source(c, fd);
    c->fd = fd;
    c->state = ST_CONNECTING;
    c->connect_us = clock_us(CLOCK_MONOTONIC);
    if (first_connect_us == 0) first_connect_us = c->connect_us;
    upgrading++;
    struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = idx(c) };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die(1, "epoll_ctl: %s", strerror(errno));
    const struct sockaddr_in *addr = &opt.addr[port_of(c)];
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 && errno != EINPROGRESS)
        die(1, "client %u: connect to %s:%u: %s", idx(c), opt.host, opt.ports[port_of(c)],
            strerror(errno));
}

/* Keeps at most --connect-concurrency handshakes in flight so the listen backlog holds. */
static void start_connects(void) {
    while (upgrading < opt.concurrency && next_to_connect < opt.clients)
        open_connection(&conns[next_to_connect++]);
}

static void finish_connect(struct conn *c) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) /* ETIMEDOUT after ~127 s: every SYN retransmission (tcp_syn_retries) was lost */
        die(1, "client %u: connect to %s:%u: %s (after %.1f s)", idx(c), opt.host,
            opt.ports[port_of(c)], strerror(err),
            (double)(clock_us(CLOCK_MONOTONIC) - c->connect_us) / 1e6);
    c->state = ST_UPGRADING;
    watch(c, EPOLLIN);
    send_bytes(c, (const uint8_t *)upgrade_request[port_of(c)], upgrade_len[port_of(c)]);
}

static void build_upgrade_requests(void) {
    const char *path = opt.mode == MODE_SOCKETIO ? "/socket.io/?EIO=4&transport=websocket" : "/ws";
    for (uint32_t p = 0; p < opt.port_count; p++)
        upgrade_len[p] = (size_t)snprintf(upgrade_request[p], sizeof upgrade_request[p],
                                          "GET %s HTTP/1.1\r\nHost: %s:%u\r\n"
                                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                          "Sec-WebSocket-Version: 13\r\n\r\n",
                                          path, opt.host, opt.ports[p]);
}

/* ---- stdin commands -------------------------------------------------------------------- */

static void start_window(void) {
    memset(&win, 0, sizeof win);
    memset(hist, 0, sizeof hist);
    win_start_us = clock_us(CLOCK_MONOTONIC);
    getrusage(RUSAGE_SELF, &win_rusage);
}

static int64_t cpu_us(const struct rusage *ru) {
    return (int64_t)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000 + ru->ru_utime.tv_usec +
           ru->ru_stime.tv_usec;
}

static void print_result(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double window_ms = (double)(clock_us(CLOCK_MONOTONIC) - win_start_us) / 1000.0;
    double cpu_ms = (double)(cpu_us(&ru) - cpu_us(&win_rusage)) / 1000.0;
    emit("{\"event\":\"result\",\"windowMs\":%.3f,\"clients\":%u,\"ticks\":%" PRIu64
         ",\"frames\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"gaps\":%" PRIu64
         ",\"outOfOrder\":%" PRIu64 ",\"resyncs\":%" PRIu64 ",\"unexpected\":%" PRIu64
         ",\"disconnects\":%" PRIu64 ",\"serverErrors\":%" PRIu64 ",\"clockAnomalies\":%" PRIu64
         ",\"snapshots\":%" PRIu64 ",\"snapshotBytes\":%" PRIu64 ",\"quotes\":%" PRIu64
         ",\"quoteBytes\":%" PRIu64
         ",\"latencyMs\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f}"
         ",\"cpuMs\":%.3f,\"cpuShare\":%.4f}",
         window_ms, opt.clients, win.ticks, win.frames, win.bytes, win.gaps, win.out_of_order,
         win.resyncs, win.unexpected, win.disconnects, win.server_errors, win.clock_anomalies,
         win.snapshots, win.snapshot_bytes, win.quotes, win.quote_bytes, percentile_ms(0.5),
         percentile_ms(0.99), percentile_ms(0.999), (double)win.latency_max_us / 1000.0, cpu_ms,
         window_ms > 0 ? cpu_ms / window_ms : 0);
}

__attribute__((noreturn)) static void shutdown_and_exit(void) {
    for (uint32_t k = 0; k < opt.clients; k++)
        if (conns[k].fd >= 0) close(conns[k].fd);
    exit(0);
}

static void run_command(char *line) {
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = '\0';
    if (strcmp(line, "go") == 0) start_window();
    else if (strcmp(line, "stop") == 0) print_result();
    else if (strcmp(line, "exit") == 0) shutdown_and_exit();
    else if (n > 0) fprintf(stderr, "loadgen: ignoring unknown command \"%s\"\n", line);
}

static void on_stdin(void) {
    static char line[256];
    static size_t len;
    ssize_t n = read(0, line + len, sizeof line - 1 - len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) { /* EOF: a last line without a newline still counts */
        line[len] = '\0';
        run_command(line);
        shutdown_and_exit();
    }
    len += (size_t)n;
    char *nl;
    while ((nl = memchr(line, '\n', len)) != NULL) {
        *nl = '\0';
        run_command(line);
        len -= (size_t)(nl + 1 - line);
        memmove(line, nl + 1, len);
    }
    if (len == sizeof line - 1) len = 0; /* an over-long line is no command: drop it */
}

/* ---- main loop ------------------------------------------------------------------------- */

static void on_event(const struct epoll_event *ev) {
    if (ev->data.u32 == STDIN_TAG) {
        on_stdin();
        return;
    }
    struct conn *c = &conns[ev->data.u32];
    if (c->fd < 0) return; /* closed earlier in this batch of events */
    if (c->state == ST_CONNECTING) {
        finish_connect(c);
        return;
    }
    if (ev->events & EPOLLOUT) flush_pending(c);
    if (c->fd >= 0 && ev->events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
}

/* Epoll timeout until the ready deadline (at most 1 s), or -1 once every client is ready. */
static int ready_timeout_ms(void) {
    if (ready_count == opt.clients) return -1;
    int64_t left_ms = (start_us + (int64_t)opt.ready_timeout_s * 1000000 -
                       clock_us(CLOCK_MONOTONIC)) / 1000;
    if (left_ms < 0)
        die(1, "only %u of %u clients were ready after %u s (%u connected, %" PRIu64
               " snapshots received)", ready_count, opt.clients, opt.ready_timeout_s,
            next_to_connect - upgrading, total.snapshots);
    return left_ms > 1000 ? 1000 : (int)left_ms + 1;
}

int main(int argc, char **argv) {
    start_us = clock_us(CLOCK_MONOTONIC);
    parse_args(argc, argv);
    raise_fd_limit();
    pick_subscriptions();
    build_upgrade_requests();
    size_t msg_cap = (size_t)subs_per_client * 10 + 128; /* `"SYM9999",` is 10 bytes */
    msg = malloc(msg_cap);
    frame_out = malloc(msg_cap + 8);
    if (!msg || !frame_out) die(2, "out of memory");

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die(2, "epoll_create1: %s", strerror(errno));
    struct epoll_event in = { .events = EPOLLIN, .data.u32 = STDIN_TAG };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in) != 0)
        die(2, "stdin must be a pipe or a terminal (epoll: %s)", strerror(errno));

    start_window(); /* a "stop" without "go" reports since start */
    start_connects();
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, ready_timeout_ms());
        if (n < 0 && errno != EINTR) die(1, "epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) on_event(&events[i]);
        start_connects();
    }
}

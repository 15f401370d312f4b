import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { us_listen_socket } from 'uWebSockets.js';
import { addHealthRoutes } from './health.js';
import type { MetricsGate } from './health.js';
import { answerText } from './http-answers.js';
import { listenOn, loadNativeUws } from './uws.js';

/** Where the operations endpoints are served, and to whom; see the README's "Endpoints". */
export interface OperationsConfig {
  /** A port of their own (METRICS_PORT; 0 picks a free one), or null for the public port. */
  readonly port: number | null;
  /** The interface of that port (METRICS_HOST): loopback unless the operator says otherwise. */
  readonly host: string;
  /** A bearer token /metrics then requires wherever it is served (METRICS_TOKEN), or null. */
  readonly token: string | null;
}

export const DEFAULT_OPERATIONS: OperationsConfig = { port: null, host: '127.0.0.1', token: null };

/** Whether `authorization` is `Bearer <token>`, compared in constant time. */
function bears(authorization: string, token: string): boolean {
  const given = Buffer.from(/^Bearer (\S+)$/.exec(authorization)?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Who may read /metrics (process, heap and traffic figures: internals) on the public port: no
 * one when the operations have a port of their own; the bearer of METRICS_TOKEN when there is
 * one; no one when access control is on (the feed is private, so are its internals); else
 * anyone, as on an open demo server.
 */
export function publicMetricsGate(
  operations: OperationsConfig,
  accessControl: boolean,
): MetricsGate {
  if (operations.port !== null) {
    return () => ({ status: '404 Not Found', message: 'metrics are served on METRICS_PORT' });
  }
  return operationsMetricsGate(operations, accessControl);
}

function operationsMetricsGate(operations: OperationsConfig, accessControl: boolean): MetricsGate {
  const { token } = operations;
  if (token !== null) {
    return (authorization) =>
      bears(authorization, token)
        ? null
        : {
            status: '401 Unauthorized',
            message: 'metrics need Authorization: Bearer <METRICS_TOKEN>',
          };
  }
  if (accessControl && operations.port === null) {
    return () => ({
      status: '403 Forbidden',
      message: 'metrics are private while AUTH_SECRET is set: set METRICS_PORT or METRICS_TOKEN',
    });
  }
  return () => null;
}

/** The operations port: /healthz, /readyz and /metrics alone, on METRICS_HOST:METRICS_PORT. */
export interface OperationsListener {
  readonly port: number;
  close(): void;
}

/** Opens the operations port when it has one of its own; null when they share the public one. */
export async function listenForOperations(
  operations: OperationsConfig,
  metrics: Registry,
  unavailableReason: () => string | null,
): Promise<OperationsListener | null> {
  if (operations.port === null) return null;
  const uWS = loadNativeUws();
  const app = uWS.App();
  addHealthRoutes(app, metrics, unavailableReason, operationsMetricsGate(operations, false));
  app.any('/*', (res) => {
    answerText(res, '404 Not Found', 'operations port: /healthz, /readyz and /metrics only');
  });
  const socket: us_listen_socket = await listenOn(app, operations.host, operations.port);
  return {
    port: uWS.us_socket_local_port(socket),
    close() {
      uWS.us_listen_socket_close(socket);
    },
  };
}

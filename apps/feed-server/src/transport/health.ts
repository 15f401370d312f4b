import type { Registry } from 'prom-client';
import type { TemplatedApp } from 'uWebSockets.js';

/**
 * Liveness (`/healthz`: the process answers), readiness (`/readyz`: it can do its job now, or
 * 503 and why not) and Prometheus `/metrics`, the same for every role.
 */
export function addHealthRoutes(
  app: TemplatedApp,
  metrics: Registry,
  unavailableReason: () => string | null,
): void {
  app.get('/healthz', (res) => {
    res.writeHeader('Content-Type', 'text/plain; charset=utf-8').end('ok\n');
  });

  app.get('/readyz', (res) => {
    const reason = unavailableReason();
    if (reason !== null) res.writeStatus('503 Service Unavailable');
    res
      .writeHeader('Content-Type', 'text/plain; charset=utf-8')
      .end(reason === null ? 'ready\n' : `not ready: ${reason}\n`);
  });

  app.get('/metrics', (res) => {
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    void metrics.metrics().then((text) => {
      if (aborted) return;
      res.cork(() => {
        res.writeHeader('Content-Type', metrics.contentType).end(text);
      });
    });
  });
}

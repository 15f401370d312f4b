import type { Registry } from 'prom-client';
import type { HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { answerHeaders, answerText, answerTextHead } from './http-answers.js';

type Answer = (res: HttpResponse, status: string | null, message: string) => void;

/** Refuses a request for /metrics (given its Authorization header), or lets it through (null). */
export type MetricsGate = (authorization: string) => { status: string; message: string } | null;

/**
 * Liveness (`/healthz`: the process answers), readiness (`/readyz`: it can do its job now, or
 * 503 and why not), both to GET and HEAD as load balancers send, and Prometheus `/metrics` to
 * whom `metricsGate` lets through, the same for every role.
 */
export function addHealthRoutes(
  app: TemplatedApp,
  metrics: Registry,
  unavailableReason: () => string | null,
  metricsGate: MetricsGate,
): void {
  const healthz = (answer: Answer) => (res: HttpResponse) => {
    answer(res, null, 'ok');
  };
  const readyz = (answer: Answer) => (res: HttpResponse) => {
    const reason = unavailableReason();
    if (reason === null) answer(res, null, 'ready');
    else answer(res, '503 Service Unavailable', `not ready: ${reason}`);
  };
  app.get('/healthz', healthz(answerText)).head('/healthz', healthz(answerTextHead));
  app.get('/readyz', readyz(answerText)).head('/readyz', readyz(answerTextHead));

  app.get('/metrics', (res, req) => {
    const refusal = metricsGate(req.getHeader('authorization'));
    if (refusal !== null) {
      answerText(res, refusal.status, refusal.message);
      return;
    }
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    void metrics.metrics().then((text) => {
      if (aborted) return;
      res.cork(() => {
        answerHeaders(res, null, metrics.contentType);
        res.end(text);
      });
    });
  });
}

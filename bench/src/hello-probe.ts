// What a feed server says it can do, read from the hello it sends every new connection: the
// quote scenarios need views, which a server announces with hello limit 7 (QuoteIntervalMs).
import { LimitId, MessageType, decodeHello, helloLimit } from '@ticker/protocol';
import type { Hello } from '@ticker/protocol';
import WebSocket from 'ws';

/** Whether `hello` comes from a server with views (chart and quote), and if not, why it matters. */
export function viewsOf(
  hello: Hello,
): { readonly views: true } | { readonly views: false; readonly why: string } {
  const interval = helloLimit(hello, LimitId.QuoteIntervalMs);
  if (interval !== undefined) return { views: true };
  const announced = hello.limits.map((limit) => limit.id).join(', ');
  return {
    views: false,
    why:
      `the server's hello does not announce QuoteIntervalMs (limit ${LimitId.QuoteIntervalMs}; ` +
      `it announces ${announced === '' ? 'none' : announced}), so it has no quote view`,
  };
}

/** Connects to ws://127.0.0.1:`port`/ws, reads the hello, and closes. */
export function probeHello(port: number, timeoutMs = 10_000): Promise<Hello> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    socket.binaryType = 'nodebuffer';
    const done = (outcome: () => void): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined); // a late error of the closing socket is not ours
      socket.terminate();
      outcome();
    };
    const timer = setTimeout(() => {
      done(() => {
        reject(new Error(`no hello from port ${port} within ${timeoutMs} ms`));
      });
    }, timeoutMs);
    socket.on('message', (data: Buffer) => {
      if (data[1] !== MessageType.Hello) return;
      // Copied out: decodeHello keeps nothing, but the buffer may be pooled.
      const bytes = new Uint8Array(data);
      done(() => {
        try {
          resolve(decodeHello(bytes));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    socket.on('error', (error) => {
      done(() => {
        reject(new Error(`probing the hello on port ${port}: ${error.message}`));
      });
    });
  });
}

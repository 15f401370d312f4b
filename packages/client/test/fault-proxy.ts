import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';

interface Link {
  readonly client: WebSocket;
  readonly upstream: WebSocket;
  silent: boolean;
}

/**
 * A WebSocket proxy on loopback between a client and a real feed server that can drop, rewrite
 * or withhold the server's frames, so the client's recovery paths meet real faults.
 */
export class FaultProxy {
  /** Server frames for which this returns true never reach the client. */
  dropFromServer: ((frame: Uint8Array) => boolean) | null = null;
  /** Replaces server frames on their way to the client. */
  rewriteFromServer: ((frame: Uint8Array) => Uint8Array) | null = null;
  private readonly links = new Set<Link>();

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly upstreamUrl: string,
  ) {
    wss.on('connection', (client) => {
      this.link(client);
    });
  }

  static start(upstreamUrl: string): Promise<FaultProxy> {
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      wss.once('error', reject);
      wss.once('listening', () => {
        resolve(new FaultProxy(wss, upstreamUrl));
      });
    });
  }

  get url(): string {
    const address = this.wss.address();
    if (!address || typeof address === 'string') throw new Error('proxy is not listening on TCP');
    return `ws://127.0.0.1:${address.port}/ws`;
  }

  get connections(): number {
    return this.links.size;
  }

  /** Current connections go quiet (TCP stays up); new connections are unaffected. */
  silenceCurrent(): void {
    for (const link of this.links) link.silent = true;
  }

  close(): Promise<void> {
    for (const link of this.links) {
      link.client.terminate();
      link.upstream.terminate();
    }
    return new Promise((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
  }

  private link(client: WebSocket): void {
    const upstream = new WebSocket(this.upstreamUrl);
    const link: Link = { client, upstream, silent: false };
    this.links.add(link);
    const early: RawData[] = [];
    upstream.on('open', () => {
      for (const data of early.splice(0)) upstream.send(data);
    });
    client.on('message', (data) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
      else early.push(data);
    });
    upstream.on('message', (data: Buffer) => {
      if (link.silent || client.readyState !== WebSocket.OPEN) return;
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (this.dropFromServer?.(frame)) return;
      client.send(this.rewriteFromServer ? this.rewriteFromServer(frame) : frame);
    });
    const end = () => {
      this.links.delete(link);
      client.terminate();
      upstream.terminate();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }
}

import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import { listenOn, loadNativeUws } from './uws.js';

/**
 * Connections one listening socket holds before they are accepted: uSockets' own figure, which
 * it has no setting for (`ss -ltn` shows 512 on the port).
 */
export const SOCKET_BACKLOG = 512;

/** The sockets the public port listens on, closed together. */
export interface ListenGroup {
  readonly port: number;
  close(): void;
}

/** How many listening sockets hold `backlog` connections waiting to be accepted. */
function socketsFor(backlog: number): number {
  return Math.max(1, Math.ceil(backlog / SOCKET_BACKLOG));
}

/**
 * Listens on `port` with room for `backlog` connections waiting to be accepted. A SYN that finds
 * the accept queue full is dropped, and its client sends it again only a second later (then 3 s,
 * 7 s...): a reconnect storm of 10,000 clients against one queue of 512 waits seconds for the
 * kernel, not for the server. So the port is held by a group of sockets sharing it
 * (SO_REUSEPORT), each with its own queue, among which the kernel spreads connections by their
 * addresses; the one event loop accepts from all of them.
 *
 * The port is first taken exclusively and let go, so that a port another server holds is
 * refused as before rather than shared with it.
 */
export async function listenGroup(
  app: TemplatedApp,
  host: string | undefined,
  port: number,
  backlog: number,
): Promise<ListenGroup> {
  const uWS = loadNativeUws();
  const probe = await listenOn(app, host, port);
  const count = socketsFor(backlog);
  const bound = uWS.us_socket_local_port(probe);
  if (count === 1) return groupOf([probe], bound);
  uWS.us_listen_socket_close(probe);
  const sockets: us_listen_socket[] = [];
  try {
    for (let i = 0; i < count; i++) sockets.push(await listenOn(app, host, bound, 'shared'));
  } catch (error) {
    for (const taken of sockets) uWS.us_listen_socket_close(taken);
    throw error;
  }
  return groupOf(sockets, bound);
}

function groupOf(sockets: readonly us_listen_socket[], port: number): ListenGroup {
  const uWS = loadNativeUws();
  let open = true;
  return {
    port,
    close() {
      if (!open) return;
      open = false;
      for (const socket of sockets) uWS.us_listen_socket_close(socket);
    },
  };
}

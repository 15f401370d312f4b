import uWS from 'uWebSockets.js';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';

/**
 * The uWebSockets.js module, checked to be the native build. The npm mirror silently falls back
 * to a slow pure-JS implementation when its binary fails to load (wrong glibc, wrong Node ABI);
 * running on that would break every performance promise, so the server refuses instead.
 */
export function loadNativeUws(): typeof uWS {
  const isNative = String(uWS.App).includes('[native code]') && typeof uWS.SSLApp === 'function';
  if (!isNative) {
    throw new Error(
      'uWebSockets.js did not load its native binary (only a JS fallback is present). ' +
        `Node ${process.version} on ${process.platform}-${process.arch} needs a matching uWS build; ` +
        'reinstall with `npm ci` or point the "uWebSockets.js" alias at a release for this platform.',
    );
  }
  return uWS;
}

/**
 * `listen` as the native module takes it: with a host too (the typings declare options only
 * without one), and options as uSockets' flags, a number.
 */
interface NativeListen {
  listen(port: number, options: number, cb: (socket: us_listen_socket | false) => void): unknown;
  listen(
    host: string,
    port: number,
    options: number,
    cb: (socket: us_listen_socket | false) => void,
  ): unknown;
}

/**
 * How a listening socket holds its port. `exclusive`: alone, so that a second server started on
 * a taken port is refused (by default uSockets sets SO_REUSEPORT, and the kernel would split
 * connections between the two). `shared`: uSockets' default (flags 0, which the module exports
 * no name for), for a group of sockets of one server sharing the port (ListenGroup).
 */
export type PortUse = 'exclusive' | 'shared';
const PORT_FLAGS: Readonly<Record<PortUse, number>> = {
  exclusive: (uWS as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: number })
    .LIBUS_LISTEN_EXCLUSIVE_PORT,
  shared: 0,
};

/** Binds `app` to `host` (all interfaces when undefined) and `port`, or says why it could not. */
export function listenOn(
  app: TemplatedApp,
  host: string | undefined,
  port: number,
  use: PortUse = 'exclusive',
): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    const onListen = (socket: us_listen_socket | false): void => {
      if (socket) resolve(socket);
      else {
        reject(
          new Error(
            `could not listen on ${host ?? 'all interfaces'} port ${port} (in use, or not permitted)`,
          ),
        );
      }
    };
    const native = app as unknown as NativeListen;
    if (host === undefined) native.listen(port, PORT_FLAGS[use], onListen);
    else native.listen(host, port, PORT_FLAGS[use], onListen);
  });
}

export type { uWS };

import uWS from 'uWebSockets.js';
import type { ListenOptions, TemplatedApp, us_listen_socket } from 'uWebSockets.js';

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

/** The native `listen` takes options with a host too; the typings only declare them without. */
interface ListenWithHostOptions {
  listen(
    host: string,
    port: number,
    options: ListenOptions,
    cb: (socket: us_listen_socket | false) => void,
  ): TemplatedApp;
}

/** Binds `app` to `host` (all interfaces when undefined) and `port`, or says why it could not. */
export function listenOn(
  app: TemplatedApp,
  host: string | undefined,
  port: number,
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
    // Exclusive: by default uSockets sets SO_REUSEPORT, so a second server started on a taken
    // port would listen too and the kernel would split connections between the two.
    const exclusive = (uWS as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: ListenOptions })
      .LIBUS_LISTEN_EXCLUSIVE_PORT;
    if (host === undefined) app.listen(port, exclusive, onListen);
    else (app as unknown as ListenWithHostOptions).listen(host, port, exclusive, onListen);
  });
}

export type { uWS };

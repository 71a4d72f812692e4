import { createServer } from 'node:net';

/**
 * Checks that `port` can be bound (0 = let the OS pick one) and returns the port number.
 * The runtime must know its own URL before it imports the handlers (PUBLIC_BASE_URL), yet it
 * only listens once every part is ready; reserving early also fails fast on a busy port.
 */
export const reservePort = (port: number, host?: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; set PORT to another one`) : error);
    });
    probe.listen({ port, host, exclusive: true }, () => {
      const address = probe.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      probe.close(() => resolve(bound));
    });
  });

export interface HeldPort {
  readonly port: number;
  /** Frees the port for its real listener; call it right before that listener binds. */
  release(): Promise<void>;
}

/**
 * Like reservePort, but keeps the port bound until `release()`. The API's port is chosen before
 * the emulators and the SNS proxy start on OS-picked ports, and bound only once every part is
 * ready; held meanwhile, the OS cannot hand it to one of them.
 */
export const holdPort = (port: number): Promise<HeldPort> =>
  new Promise((resolve, reject) => {
    // Anyone knocking early (a script polling /health) is hung up on at once: a held connection
    // would keep close() from finishing, and the API from ever starting.
    const holder = createServer((socket) => socket.destroy());
    holder.unref();
    holder.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; set PORT to another one`) : error);
    });
    holder.listen({ port, exclusive: true }, () => {
      const address = holder.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      let released: Promise<void> | undefined;
      resolve({
        port: bound,
        release: () => (released ??= new Promise((done) => holder.close(() => done()))),
      });
    });
  });

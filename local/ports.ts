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

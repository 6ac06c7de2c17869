import { createServer } from 'node:net';

/** Loopback only: nothing in the local stack should be reachable from the network. */
export const LOCAL_HOST = '127.0.0.1';

/**
 * Asks the kernel for a free TCP port on the loopback interface.
 *
 * The port is released before it is returned, so another process can grab it in between; callers that hand
 * it to a child process (DynamoDB Local) retry with a new port when the child cannot bind.
 */
export function freePort(host: string = LOCAL_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((err) => (err ? reject(err) : port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

// A port nothing listens on at an address of this machine, for a published port that must stay
// the same across recreates (WordPress redirects to the address it was installed at). Where the
// address is not this machine's (a remote engine), there is no way to know: undefined.
import { createServer } from 'node:net';

export function freePortOn(address: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(0, address, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : undefined;
      server.close(() => resolve(port));
    });
  });
}

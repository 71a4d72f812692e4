import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { holdPort } from '#local/ports';

const bind = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, exclusive: true }, () => server.close(() => resolve()));
  });

describe("the API's port, chosen before the emulators start", () => {
  it('stays taken until it is released, then binds', async () => {
    // GIVEN a port the OS picked, held
    const held = await holdPort(0);
    // WHEN / THEN nothing else can have it meanwhile
    await expect(bind(held.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await held.release();
    await expect(bind(held.port)).resolves.toBeUndefined();
  });

  it('hangs up on an early caller at once, so a client polling /health cannot hold up the start', async () => {
    // GIVEN a held port and a client that connects before the API listens
    const held = await holdPort(0);
    const socket = connect(held.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // THEN the client is hung up on, and releasing the port still completes
    await closed;
    await held.release();
    await expect(bind(held.port)).resolves.toBeUndefined();
  });

  it('names the port when it is already in use', async () => {
    const held = await holdPort(0);
    await expect(holdPort(held.port)).rejects.toThrow(`Port ${held.port} is already in use; set PORT to another one`);
    await held.release();
  });
});

"""asyncio echo: asyncio's streams, one coroutine per connection on one event loop.

Cost: a coroutine and a task per client, a few objects on the heap, all run by one thread; the code reads
like the blocking loop again, each await a place where the loop may run another connection. This is the
coroutine echo the Python sources teach (bluelet's `data = yield conn.recv(1024)`, then asyncio's
`data = await reader.read(n)`). Java twin: VirtualThreadEchoServer (virtual-thread-echo): blocking-style code,
with the runtime switching between connections where they wait.
"""

import asyncio
import signal

import echolab_peer

BUFFER_SIZE = 8 * 1024


# ==== 1. Listen ====
# Bind a listening socket and hand it to the event loop, which accepts on its own and starts serve_one()
# as a new task for each connection.
def serve(connections, args):
    asyncio.run(serve_async(connections, args))


async def serve_async(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    echolab_peer.report_loop_errors(asyncio.get_running_loop(), connections)
    server = await asyncio.start_server(lambda reader, writer: serve_one(connections, reader, writer),
                                        sock=listener, backlog=echolab_peer.BACKLOG)
    echolab_peer.listening(listener)

# ==== 2. Wait for work and dispatch ====
# The event loop is the dispatcher: it waits until some sockets are ready and resumes the coroutines that
# wait on them. This coroutine only waits for the stop (section 5).
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await stop(server, connections)


# ==== 3. Echo one connection ====
# Read what has arrived (one byte up to a buffer) and write it back. write() never blocks: it queues, and
# drain() waits while the transport's queue is over its high-water mark (64 KiB), so a client that stops
# reading stops us reading from it. An echo that never awaits drain() has no backpressure at all.
# read() returns b"" at the client's half-close.
async def echo(connections, reader, writer):
    echolab_peer.no_delay(writer.get_extra_info("socket"))    # asyncio's own skips a socket accepted from ours
    while data := await reader.read(BUFFER_SIZE):  # b"": the client half-closed
        writer.write(data)
        await writer.drain()                         # waits while the client is not reading
        connections.echoed(len(data))


# ==== 4. Errors and close ====
# Whatever happens to one connection (a reset, a bug) ends that connection only: one line to stderr, the
# stream closed, and the server goes on.
async def serve_one(connections, reader, writer):
    connections.opened(writer)
    try:
        await echo(connections, reader, writer)
    except Exception as e:
        connections.failed(writer, e)
    finally:
        connections.closed(writer)
        writer.close()


# ==== 5. Stop ====
# SIGTERM sets the event the main coroutine waits for: we close the listener and every stream; asyncio.run()
# then cancels whatever is left.
async def stop(server, connections):
    connections.stopping()
    server.close()
    connections.close_all()
    await server.wait_closed()


if __name__ == "__main__":
    echolab_peer.main("py-asyncio", serve, __doc__.splitlines()[0])

# Run it: ./echolab serve py-asyncio    then, in another terminal: nc 127.0.0.1 7007

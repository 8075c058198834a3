"""asyncio line echo: asyncio's streams, a coroutine per connection reading until the terminator.

Cost: what py-asyncio costs, and a StreamReader buffer per connection that holds what has arrived of the next
message, up to its limit. The framing is a loop: readuntil() returns one whole message, the terminator with
it, however the bytes arrived, and where the search for the terminator resumes is the reader's business, not
ours. A message that reaches the limit without its terminator raises LimitOverrunError. Java twin:
VirtualThreadLinesServer (virtual-thread-echo), the same loop on a virtual thread.
"""

import asyncio
import signal

import echolab_peer


# ==== 1. Listen ====
# Bind a listening socket and hand it to the event loop, which accepts on its own and starts serve_one()
# as a new task for each connection. A stream's reader gives up on a terminator once it holds more than its
# limit: set so that it gives up at the bound.
def serve(connections, args):
    asyncio.run(serve_async(connections, args))


async def serve_async(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    echolab_peer.report_loop_errors(asyncio.get_running_loop(), connections)
    limit = echolab_peer.MAX_MESSAGE - len(args.terminator or b"")
    server = await asyncio.start_server(lambda reader, writer: serve_one(connections, reader, writer, args),
                                        sock=listener, backlog=echolab_peer.BACKLOG, limit=limit)
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
# Read one whole message (until the terminator, or a byte count) and write it back; drain() waits while the
# client is not reading. A message that reaches the bound without its terminator goes back as it is, counted.
# At the client's half-close the read raises IncompleteReadError with what had arrived: that goes back too.
async def echo(connections, reader, writer, args):
    echolab_peer.no_delay(writer.get_extra_info("socket"))    # asyncio's own skips a socket accepted from ours
    while True:
        try:
            message = await (reader.readexactly(args.count) if args.count else reader.readuntil(args.terminator))
        except asyncio.LimitOverrunError:            # the bound, and no terminator
            message = await reader.readexactly(echolab_peer.MAX_MESSAGE)
            connections.over_bound()
        except asyncio.IncompleteReadError as e:     # the client half-closed
            message = e.partial
        if not message:
            return
        writer.write(message)
        await writer.drain()                         # waits while the client is not reading
        connections.echoed(len(message))


# ==== 4. Errors and close ====
# Whatever happens to one connection (a reset, a bug) ends that connection only: one line to stderr, the
# stream closed, and the server goes on.
async def serve_one(connections, reader, writer, args):
    connections.opened(writer)
    try:
        await echo(connections, reader, writer, args)
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
    echolab_peer.main("py-asyncio-lines", serve, __doc__.splitlines()[0], lines=True)

# Run it: ./echolab serve py-asyncio-lines    then, in another terminal: nc 127.0.0.1 7007

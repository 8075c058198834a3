"""asyncio Protocol echo: asyncio's callbacks, one Protocol object per connection on one event loop.

Cost: one small object per client, no coroutine; the event loop calls data_received() with what arrived and
transport.write() queues it back. Faster than streams, but flow control is the protocol's job: asyncio calls
pause_writing() when the transport's queue passes its high-water mark (64 KiB) and resume_writing() below
the low-water mark, and they do nothing unless the protocol stops reading meanwhile, as this one does.
Java twin: SelectorEchoServer (selector-echo): callbacks, and the state of a connection between them.
"""

import asyncio
import signal

import echolab_peer


# ==== 1. Listen ====
# Bind a listening socket and hand it to the event loop, which accepts on its own and makes an Echo for
# each connection.
def serve(connections, args):
    asyncio.run(serve_async(connections, args))


async def serve_async(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    loop = asyncio.get_running_loop()
    echolab_peer.report_loop_errors(loop, connections)
    server = await loop.create_server(lambda: Echo(connections), sock=listener, backlog=echolab_peer.BACKLOG)
    echolab_peer.listening(listener)

# ==== 2. Wait for work and dispatch ====
# The event loop is the dispatcher: it waits until some sockets are ready and calls each one's protocol.
# This coroutine only waits for the stop (section 5).
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await stop(server, connections)


# ==== 3. Echo one connection ====
# Write back what arrived; the transport queues what the kernel does not take at once. While that queue is
# over its high-water mark, stop reading: a client that stops reading stops us reading from it. At the
# client's half-close, eof_received() returns nothing, so the transport closes once its queue is written.
class Echo(asyncio.Protocol):
    def __init__(self, connections):
        self.connections = connections
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        echolab_peer.no_delay(transport.get_extra_info("socket"))   # asyncio's own skips a socket accepted from ours
        self.connections.opened(transport)

    def data_received(self, data):
        self.transport.write(data)
        self.connections.echoed(len(data))

    def pause_writing(self):
        self.transport.pause_reading()              # backpressure: no reading while output waits

    def resume_writing(self):
        self.transport.resume_reading()

    def eof_received(self):
        return None                                 # the client half-closed: close once everything is written back

# ==== 4. Errors and close ====
# A failed connection (a reset) ends with connection_lost(error): one line to stderr, and the loop goes on.
# asyncio reports an exception raised in a callback itself, and closes that transport.
    def connection_lost(self, error):
        if error is not None:
            self.connections.failed(self.transport, error)
        self.connections.closed(self.transport)


# ==== 5. Stop ====
# SIGTERM sets the event the main coroutine waits for: we close the listener and every transport.
async def stop(server, connections):
    connections.stopping()
    server.close()
    connections.close_all()
    await server.wait_closed()


if __name__ == "__main__":
    echolab_peer.main("py-asyncio-protocol", serve, __doc__.splitlines()[0])

# Run it: ./echolab serve py-asyncio-protocol    then, in another terminal: nc 127.0.0.1 7007

"""gevent echo: py_threads.py's blocking code, one greenlet per connection instead of a thread.

Cost: a greenlet per client (a small stack copied to the heap while it waits), all run by one thread on
gevent's event loop (libev); monkey.patch_all() makes the standard socket module cooperative, so recv() and
sendall() wait by switching to another greenlet. The code is the blocking loop again.
Java twin: VirtualThreadEchoServer (virtual-thread-echo); compare with py_threads.py: this file differs from
it in the line that starts a greenlet, and in how it stops.
"""

from gevent import monkey

monkey.patch_all()                                  # before anything imports socket: blocking calls now yield

import signal  # noqa: E402  (after the patch, on purpose)

import gevent  # noqa: E402

import echolab_peer  # noqa: E402

BUFFER_SIZE = 8 * 1024


# ==== 1. Listen ====
# Bind a listening socket (gevent's, since the patch). The kernel queues new connections in the backlog
# until we accept them.
def serve(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    echolab_peer.listening(listener)
    for signum in (signal.SIGTERM, signal.SIGINT):
        gevent.signal_handler(signum, stop, listener, connections)
    accept_loop(listener, connections)


# ==== 2. Wait for work and dispatch ====
# accept() waits, cooperatively, until a client arrives; we hand the connection to a new greenlet of its own
# and go straight back to accept(). Each greenlet runs section 3 and "blocks" as it likes.
def accept_loop(listener, connections):
    while not connections.is_stopping:
        try:
            connection, _ = listener.accept()
        except OSError as e:
            if not connections.is_stopping:
                connections.accept_failed(e)        # e.g. out of file descriptors: wait a moment, go on
            continue
        gevent.spawn(serve_one, connections, connection)          # a new greenlet


# ==== 3. Echo one connection ====
# Read what has arrived (one byte up to a buffer) and write it back. sendall() waits until the kernel has
# taken every byte, so a client that stops reading stops us reading from it: backpressure for free, one
# buffer per connection. recv() returns b"" at the client's half-close, and by then everything it sent
# has been written back.
def echo(connections, connection):
    echolab_peer.no_delay(connection)
    while data := connection.recv(BUFFER_SIZE):    # b"": the client half-closed
        connection.sendall(data)                     # waits while the client is not reading
        connections.echoed(len(data))


# ==== 4. Errors and close ====
# Whatever happens to one connection (a reset, a bug) ends that connection only: one line to stderr, the
# socket closed, and the server goes on.
def serve_one(connections, connection):
    connections.opened(connection)
    try:
        echo(connections, connection)
    except Exception as e:
        connections.failed(connection, e)
    finally:
        connections.closed(connection)
        connection.close()


# ==== 5. Stop ====
# gevent runs the signal's handler as a greenlet of its own: we close the listener, which ends accept()
# and the loop, and every connection, which ends its greenlet.
def stop(listener, connections):
    connections.stopping()
    listener.close()
    connections.close_all()


if __name__ == "__main__":
    echolab_peer.main("py-gevent", serve, __doc__.splitlines()[0])

# Run it: ./echolab serve py-gevent    then, in another terminal: nc 127.0.0.1 7007

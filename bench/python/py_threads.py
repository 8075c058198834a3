"""Threaded echo: blocking sockets, one thread per connection.

Cost: a thread per client, with its own stack (the kernel's, 8 MiB reserved and a few pages touched) and a
buffer; the code stays plain blocking code, and the GIL lets one thread run Python at a time, so a second
core buys nothing. Java twin: ThreadPerConnEchoServer (thread-per-conn-echo); compare with py_blocking.py:
this file differs from it in the lines that start a thread.
"""

import threading

import echolab_peer

BUFFER_SIZE = 8 * 1024


# ==== 1. Listen ====
# Bind a listening socket. The kernel completes handshakes by itself and queues new connections in the
# backlog until we accept them.
def serve(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    echolab_peer.listening(listener)
    try:
        accept_loop(listener, connections)
    finally:
        stop(listener, connections)


# ==== 2. Wait for work and dispatch ====
# accept() blocks until a client arrives; we hand the connection to a new thread of its own and go straight
# back to accept(). Each thread runs section 3 and blocks as it likes. When no thread can be had (the
# process's thread limit), that one connection is refused and the loop goes on.
def accept_loop(listener, connections):
    while True:
        try:
            connection, _ = listener.accept()
        except OSError as e:
            connections.accept_failed(e)            # e.g. out of file descriptors: wait a moment, go on
            continue
        try:
            threading.Thread(target=serve_one, args=(connections, connection), daemon=True).start()   # a new thread
        except RuntimeError as e:                   # "can't start new thread"
            connections.refused(connection, e)


# ==== 3. Echo one connection ====
# Read what has arrived (one byte up to a buffer) and write it back. sendall() blocks until the kernel has
# taken every byte, so a client that stops reading stops us reading from it: backpressure for free, one
# buffer per connection. recv() returns b"" at the client's half-close, and by then everything it sent
# has been written back.
def echo(connections, connection):
    echolab_peer.no_delay(connection)
    while data := connection.recv(BUFFER_SIZE):    # b"": the client half-closed
        connection.sendall(data)                     # blocks while the client is not reading
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
# SIGTERM raises echolab_peer.Stopped in the main thread, in accept(); on its way out we close the listener,
# and shutting down each connection wakes the thread blocked on it.
def stop(listener, connections):
    connections.stopping()
    listener.close()
    connections.close_all()


if __name__ == "__main__":
    echolab_peer.main("py-threads", serve, __doc__.splitlines()[0])

# Run it: ./echolab serve py-threads    then, in another terminal: nc 127.0.0.1 7007

"""Blocking echo: one thread, blocking sockets, one connection at a time.

Cost: one thread and one buffer, whatever the load. The price: while one client is connected, every other
client waits in the kernel's accept backlog, connected but unanswered. This is the plain socket loop every
Python programmer writes first. Java twin: SyncEchoServer (sync-echo); compare with py_threads.py, which
runs section 3 on a thread per connection.
"""

import echolab_peer

BUFFER_SIZE = 8 * 1024


# ==== 1. Listen ====
# Bind a listening socket. The kernel completes handshakes by itself and queues new connections in the
# backlog until we accept them: that queue is where clients wait here.
def serve(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    echolab_peer.listening(listener)
    try:
        accept_loop(listener, connections)
    finally:
        stop(listener, connections)


# ==== 2. Wait for work and dispatch ====
# accept() blocks until a client arrives; we serve it to the end, then go back to accept().
def accept_loop(listener, connections):
    while True:
        try:
            connection, _ = listener.accept()
        except OSError as e:
            connections.accept_failed(e)            # e.g. out of file descriptors: wait a moment, go on
            continue
        serve_one(connections, connection)


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
# SIGTERM raises echolab_peer.Stopped wherever the thread is (in accept() or in a connection's recv()); on
# its way out we close the listener and every connection.
def stop(listener, connections):
    connections.stopping()
    listener.close()
    connections.close_all()


if __name__ == "__main__":
    echolab_peer.main("py-blocking", serve, __doc__.splitlines()[0])

# Run it: ./echolab serve py-blocking    then, in another terminal: nc 127.0.0.1 7007

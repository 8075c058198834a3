"""asyncore echo: one thread, non-blocking sockets, asyncore's loop and a dispatcher per connection.

Cost: no thread per client and no buffer per idle client; the price is that nothing may block, so the echo
is turned inside out: each connection keeps its state (the bytes read but not yet written back) between
callbacks. Before every poll, asyncore asks each dispatcher readable() and writable() and watches only what
they answer; here readable() is false while output waits, which is the backpressure that asyncore's own
dispatcher_with_send lacks. By default asyncore.loop() uses select(), which cannot watch a descriptor numbered
1,024 or above; this server uses poll() (the variant --select keeps select(), and refuses what it cannot
watch). Java twin: SelectorEchoServer (selector-echo), asyncore in Java.
"""

import sys
import time
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)       # deprecated since 3.6, removed in 3.12 (PEP 594)
    import asyncore

import echolab_peer

BUFFER_SIZE = 64 * 1024
FD_SETSIZE = 1024                                   # select()'s limit: descriptors 0 to 1,023


# ==== 1. Listen ====
# Bind a listening socket and hand it to a dispatcher: asyncore keeps every dispatcher in one map, keyed by
# descriptor, and polls them all.
def serve(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    acceptor = Acceptor(listener, connections, args.select)
    echolab_peer.listening(listener)
    try:
        loop(acceptor, args.select)
    finally:
        stop(connections)


# ==== 2. Wait for work and dispatch ====
# asyncore.loop() with its poll made explicit: wait until some sockets are ready (as long as it takes, or
# until the acceptor's pause ends), run each one's callbacks, wait again.
def loop(acceptor, select):
    poll = asyncore.poll if select else asyncore.poll2
    while True:
        poll(acceptor.seconds_paused() or None)


# The acceptor "reads" new clients. When accept fails (out of file descriptors, say), sleeping would stall
# every connection, so it stops accepting for a moment instead: readable() is false until resume_at.
class Acceptor(asyncore.dispatcher):
    def __init__(self, listener, connections, select):
        super().__init__(listener)
        self.accepting = True                       # the socket listens already (asyncore's listen() would say so)
        self.connections = connections
        self.select = select
        self.resume_at = 0.0

    def readable(self):
        return self.seconds_paused() == 0

    def writable(self):
        return False

    def seconds_paused(self):                       # 0: accepting
        return max(0.0, self.resume_at - time.monotonic())

    def handle_accepted(self, sock, addr):
        if self.select and sock.fileno() >= FD_SETSIZE:
            self.connections.refused(sock, OSError(f"select() cannot watch descriptor {sock.fileno()} "
                                                   f"(FD_SETSIZE {FD_SETSIZE})"))
            return
        EchoHandler(sock, self.connections)

    def handle_error(self):
        self.resume_at = self.connections.accept_failed_retry_at(sys.exc_info()[1])


# ==== 3. Echo one connection ====
# Nothing blocks, so a connection keeps its state between events: the bytes read but not yet written back
# (pending). Read only while nothing is pending, write only while something is: a client that stops reading
# stops us reading from it, with one buffer per connection at most. recv() returns b"" at the client's
# half-close, and since nothing is read while output waits, by then everything it sent has been written back.
class EchoHandler(asyncore.dispatcher):
    def __init__(self, sock, connections):
        super().__init__(sock)
        self.connections = connections
        self.pending = memoryview(b"")               # read, not yet written back
        echolab_peer.no_delay(sock)
        connections.opened(self)

    def readable(self):
        return not self.pending                     # backpressure: no reading while output waits

    def writable(self):
        return bool(self.pending)

    def handle_read(self):
        data = self.recv(BUFFER_SIZE)               # b"": the client half-closed (asyncore calls handle_close)
        if data:
            self.pending = memoryview(data)
            self.handle_write()                     # most writes complete at once: no need to wait for a poll

    def handle_write(self):
        sent = self.send(self.pending)              # 0: the kernel's buffer is full; try again when writable
        self.connections.echoed(sent)
        self.pending = self.pending[sent:]

# ==== 4. Errors and close ====
# asyncore hands any exception in a callback to handle_error(): it ends that connection only, with one line
# to stderr, and the loop goes on.
    def handle_error(self):
        self.connections.failed(self, sys.exc_info()[1])
        self.handle_close()

    def handle_close(self):
        self.connections.closed(self)
        self.close()


# ==== 5. Stop ====
# SIGTERM raises echolab_peer.Stopped in the one thread, in its poll; on its way out we close every dispatcher
# in asyncore's map, the acceptor's listener with them.
def stop(connections):
    connections.stopping()
    asyncore.close_all()
    connections.close_all()


if __name__ == "__main__":
    echolab_peer.main("py-asyncore", serve, __doc__.splitlines()[0],
                      options=[("--select", "poll with select(), asyncore.loop()'s default, instead of poll()", "+select")])

# Run it: ./echolab serve py-asyncore    then, in another terminal: nc 127.0.0.1 7007

"""asynchat line echo: asyncore's loop, and asynchat's async_chat framing each connection's messages.

Cost: what py-asyncore costs, and framing as a state machine spread over callbacks. async_chat keeps an input
buffer and searches it for the terminator (set_terminator: a byte string, or a byte count); it hands the bytes
before it to collect_incoming_data() and calls found_terminator() at each end, and push() queues the answer.
So each connection keeps what it has of the next message between events. async_chat reads whenever data
arrives, however much output waits (its readable() is always true): this server reads only while no answer
waits, the backpressure asynchat leaves out. Java twin: SelectorLinesServer (selector-echo), asynchat in Java.
"""

import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)       # deprecated since 3.6, removed in 3.12 (PEP 594)
    import asynchat
    import asyncore

import echolab_peer
import py_asyncore


# ==== 1. Listen ====
# Bind a listening socket and hand it to py-asyncore's acceptor, which starts a LineHandler for each client.
def serve(connections, args):
    listener = echolab_peer.listen(args.host, args.port)
    acceptor = Acceptor(listener, connections, args.terminator or args.count)
    echolab_peer.listening(listener)
    try:
        loop(acceptor)
    finally:
        stop(connections)


class Acceptor(py_asyncore.Acceptor):               # it stops accepting for a moment when accept fails
    def __init__(self, listener, connections, terminator):
        super().__init__(listener, connections, False)
        self.terminator = terminator

    def handle_accepted(self, sock, addr):
        LineHandler(sock, self.connections, self.terminator)


# ==== 2. Wait for work and dispatch ====
# py-asyncore's loop, with poll(): wait until some sockets are ready, run each one's callbacks, wait again.
def loop(acceptor):
    py_asyncore.loop(acceptor, False)


# ==== 3. Echo one connection ====
# async_chat finds where each message ends; what is read before an end goes to collect_incoming_data (held),
# and at the end found_terminator() pushes the whole message back, the terminator with it (async_chat drops
# it). A byte count as terminator counts down as it is collected, so each end sets it again. A message that
# reaches the bound without its end goes back as it is, counted. Read only while no answer waits. At the
# client's half-close what is held goes back, and the connection closes once its output has gone.
class LineHandler(asynchat.async_chat):
    def __init__(self, sock, connections, terminator):
        super().__init__(sock)
        self.connections = connections
        self.end = terminator                       # bytes, or a count
        self.held = []                              # what has arrived of the next message
        self.held_bytes = 0
        self.ended = False                          # the client half-closed
        self.set_terminator(terminator)
        echolab_peer.no_delay(sock)
        connections.opened(self)

    def readable(self):
        return not self.ended and not self.producer_fifo     # backpressure: no reading while an answer waits

    def collect_incoming_data(self, data):
        self.held.append(data)
        self.held_bytes += len(data)
        while self.held_bytes >= echolab_peer.MAX_MESSAGE:    # the bound, and no end: answered as it is
            whole = b"".join(self.held)
            self.answer(whole[:echolab_peer.MAX_MESSAGE])
            self.connections.over_bound()
            self.held, self.held_bytes = [whole[echolab_peer.MAX_MESSAGE:]], len(whole) - echolab_peer.MAX_MESSAGE
            if isinstance(self.end, int):
                self.set_terminator(self.end - self.held_bytes)

    def found_terminator(self):
        message = b"".join(self.held) + (self.end if isinstance(self.end, bytes) else b"")
        self.held, self.held_bytes = [], 0
        if isinstance(self.end, int):
            self.set_terminator(self.end)           # asynchat counted it down to 0
        self.answer(message)

    def answer(self, message):
        self.push(message)                          # queued, and sent at once when the kernel takes it
        self.connections.echoed(len(message))

# ==== 4. Errors and close ====
# asyncore hands any exception in a callback to handle_error(): it ends that connection only, with one line
# to stderr. handle_close() comes at the half-close (recv() returned b""): what is held goes back first.
    def handle_close(self):
        if self.ended or not self.connected:
            self.connections.closed(self)
            self.close()
            return
        self.ended = True
        if self.held_bytes:
            self.answer(b"".join(self.held))
            self.held, self.held_bytes = [], 0
        self.close_when_done()                      # handle_close() again once the answers have gone

    def handle_error(self):
        self.connections.failed(self, sys.exc_info()[1])
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
    echolab_peer.main("py-asynchat", serve, __doc__.splitlines()[0], lines=True)

# Run it: ./echolab serve py-asynchat    then, in another terminal: nc 127.0.0.1 7007

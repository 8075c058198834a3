"""The plumbing of echo-lab's Python peers, kept out of the model files as the Java servers keep theirs.

A model file holds its I/O model and nothing else; this module gives it what every server of echo-lab has:
the command line (``--host``, ``--port``, ``--help``; a bad one is a usage error, exit 2), the
``listening on HOST:PORT`` line, the bookkeeping of connections (served, bytes echoed, failures reported at
most once a second and then counted), a stop on SIGTERM or SIGINT with its one-line summary, and an end of
the process when the echo-lab tool that started it is gone. It is the Python twin of the Java servers'
``Connections`` and ``Main``.
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time

MAX_MESSAGE = 64 * 1024     # a line server's bound: a message reaching it without its terminator goes back as it is
ACCEPT_PAUSE = 0.1          # seconds an accept loop stops accepting after a failure (out of descriptors, say)
BACKLOG = 4096
LIFELINE_ENV = "ECHOLAB_PARENT_PID"


class Stopped(SystemExit):
    """Raised in the main thread by SIGTERM or SIGINT. Not an Exception, so no model's error handling takes it, and
    a SystemExit, which asyncore's loop passes on where it hands every other exception of a callback to handle_error."""


class _RateLimitedLog:
    """One line a second at most; the next one says how many more there were."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.lock = threading.Lock()
        self.last = 0.0
        self.suppressed = 0

    def report(self, message):
        with self.lock:
            now = time.monotonic()
            if now - self.last < 1.0:
                self.suppressed += 1
                return
            more = f" ({self.suppressed} more in the last second)" if self.suppressed else ""
            self.last, self.suppressed = now, 0
        print(f"{self.prefix}{message}{more}", file=sys.stderr, flush=True)


class Connections:
    """Which connections are open (so a stop can close them), what was served and echoed, what failed."""

    def __init__(self, name):
        self.name = name
        self.open = set()
        self.lock = threading.Lock()
        self.served = 0
        self.bytes_echoed = 0
        self.failures = 0
        self.accept_failures = 0
        self.refusals = 0
        self.over_bound_count = 0
        self.is_stopping = False
        self._connection_log = _RateLimitedLog(f"{name}: ")
        self._accept_log = _RateLimitedLog(f"{name}: accept failed: ")
        self._refused_log = _RateLimitedLog(f"{name}: connection refused: ")

    def opened(self, connection):
        """A connection was accepted (a socket, or anything with close()); closed at once if the server is stopping."""
        with self.lock:
            self.served += 1
            self.open.add(connection)
        if self.is_stopping:
            _close_quietly(connection)

    def closed(self, connection):
        with self.lock:
            self.open.discard(connection)

    def echoed(self, n):
        with self.lock:                 # py-threads counts from many threads; += alone could lose a count
            self.bytes_echoed += n

    def failed(self, connection, error):
        """A connection failed: reported (at most a line a second, then a count); silent once stopping."""
        self.failures += 1
        if not self.is_stopping:
            self._connection_log.report(f"{_describe(connection)}: {_message(error)}")

    def accept_failed(self, error):
        """Accepting failed: reported, and a blocking accept loop waits ACCEPT_PAUSE before it tries again."""
        time.sleep(max(0.0, self.accept_failed_retry_at(error) - time.monotonic()))

    def accept_failed_retry_at(self, error):
        """Accepting failed: reported; returns the time.monotonic() before which not to accept again (an event loop)."""
        if not self.is_stopping:
            self.accept_failures += 1
            self._accept_log.report(_message(error))
        return time.monotonic() + ACCEPT_PAUSE

    def refused(self, connection, error):
        """An accepted connection could not be served (no thread could be started): closed at once, reported."""
        self.refusals += 1
        _close_quietly(connection)
        if not self.is_stopping:
            self._refused_log.report(f"{_describe(connection)}: {_message(error)}")

    def over_bound(self):
        """A line server answered a message that reached MAX_MESSAGE without its terminator, as it was."""
        with self.lock:
            self.over_bound_count += 1

    def stopping(self):
        self.is_stopping = True

    def close_all(self):
        self.is_stopping = True
        with self.lock:
            connections = list(self.open)
        for connection in connections:
            _close_quietly(connection)

    def summary(self):
        s = (f"{self.name}: stopped; {self.served} connection{'' if self.served == 1 else 's'} served, "
             f"{self.bytes_echoed} bytes echoed")
        if self.failures:
            s += f", {self.failures} failed"
        if self.accept_failures:
            s += f", {self.accept_failures} accept failures"
        if self.refusals:
            s += f", {self.refusals} refused (no thread)"
        if self.over_bound_count:
            s += f", {self.over_bound_count} message{'' if self.over_bound_count == 1 else 's'} over the bound"
        return s


def listen(host, port):
    """A listening TCP socket on host:port (IPv6 when host is one), its backlog BACKLOG."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG, reuse_port=False)


def listening(listener):
    """Prints the line every echo-lab server prints once it accepts: listening on HOST:PORT."""
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"listening on {shown}:{port}", flush=True)


def report_loop_errors(loop, connections):
    """Routes what an asyncio event loop reports to the bookkeeping, so that a fault that repeats (out of
    descriptors: the loop stops accepting for a second and says so) is one line a second, not a traceback each."""

    def report(loop, context):
        error = context.get("exception") or OSError(context.get("message", "unknown"))
        if "accept" in context.get("message", ""):
            connections.accept_failed_retry_at(error)
        else:
            connections.failed(context.get("transport") or context.get("protocol"), error)

    loop.set_exception_handler(report)


def no_delay(connection):
    """No Nagle: a write leaves now, not after the client's delayed ACK.

    asyncio sets it itself only on a socket whose protocol number is IPPROTO_TCP, and a socket accepted from a
    listener made by socket.create_server() says 0: its models set it too."""
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def main(name, serve, description, options=(), lines=False):
    """Runs a model: parses the command line, then ``serve(connections, args)``.

    ``options``: the model's own switches, as (flag, help, variant) triples; given, the peer's name is NAME+VARIANT.
    ``lines``: a line server (PROTOCOL.md, "Messages over the stream"), which takes ``--terminator BYTES`` or
    ``--count N``: ``args.terminator`` is then the bytes a message ends with (``b"\\n"`` by default) and
    ``args.count`` None, or ``args.count`` the bytes of a message and ``args.terminator`` None.

    ``serve`` listens (with ``listen``, then ``listening``), serves until stopped, closes what it holds and returns.
    A stop is ``Stopped``, raised in the main thread by SIGTERM or SIGINT, unless the model installs its own handler.
    """
    parser = _Parser(prog=name, description=description, allow_abbrev=False,
                     usage=f"{name} [--host HOST] [--port PORT]" + "".join(f" [{flag}]" for flag, _, _ in options)
                     + (" [--terminator BYTES | --count N]" if lines else ""))
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", default=7007, type=_port, help="port to listen on, 0 for a free one (default: 7007)")
    for flag, text, _ in options:
        parser.add_argument(flag, action="store_true", help=text)
    if lines:
        framing = parser.add_mutually_exclusive_group()
        framing.add_argument("--terminator", type=_terminator, metavar="BYTES",
                             help="a message ends with these bytes, with escapes \\n, \\r, \\t, \\\\, \\xHH (default: \\n, a line)")
        framing.add_argument("--count", type=_count, metavar="N",
                             help=f"a message is N bytes, 1 to {MAX_MESSAGE}, instead of ending with a terminator")
    args = _parse(parser)
    if lines and args.count is None and args.terminator is None:
        args.terminator = b"\n"
    name += "".join(variant for flag, _, variant in options if getattr(args, flag.lstrip("-").replace("-", "_")))
    _watch_lifeline(name)
    connections = Connections(name)

    def stop(signum, frame):
        raise Stopped()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        serve(connections, args)
    except Stopped:
        pass
    except OSError as e:
        if e.errno in (98, 99):           # EADDRINUSE, EADDRNOTAVAIL: the user's address, one line
            print(f"{name}: cannot listen on {args.host}:{args.port}: "
                  f"{'port ' + str(args.port) + ' is in use' if e.errno == 98 else e.strerror}", file=sys.stderr)
            sys.exit(1)
        raise
    finally:
        connections.close_all()
    print(connections.summary(), file=sys.stderr, flush=True)
    print(json.dumps({"echo-lab": "stop-summary", "served": connections.served, "bytesEchoed": connections.bytes_echoed,
                      "failed": connections.failures, "acceptFailures": connections.accept_failures},
                     separators=(",", ":")),
          file=sys.stderr, flush=True)


class _Parser(argparse.ArgumentParser):
    """argparse, saying "Usage:" as every echo-lab command does."""

    def format_usage(self):
        return super().format_usage().replace("usage: ", "Usage: ", 1)

    def format_help(self):
        return super().format_help().replace("usage: ", "Usage: ", 1)


def _parse(parser):
    """argparse, with echo-lab's messages: 'Unknown option', the usage, exit 2; --help to stdout, exit 0."""
    known, unknown = parser.parse_known_args()
    if unknown:
        print(f"Unknown option: '{unknown[0]}'", file=sys.stderr)
        print(parser.format_usage().strip(), file=sys.stderr)
        sys.exit(2)
    return known


def _port(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port must be a number, not '{text}'")
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be 0 to 65535, not {port}")
    return port


def _terminator(text):
    """The bytes a --terminator spells, with the escapes the Java servers read (echolab.common.Framing)."""
    out, i = bytearray(), 0
    escapes = {"n": 10, "r": 13, "t": 9, "\\": 92}
    while i < len(text):
        c = text[i]
        if not (" " <= c <= "~" or c == "\t"):
            raise argparse.ArgumentTypeError("a terminator is spelled in printable ASCII with escapes (\\n, \\r, \\t, "
                                             "\\\\, \\xHH)")
        if c != "\\":
            out.append(ord(c))
            i += 1
            continue
        if i + 1 == len(text):
            raise argparse.ArgumentTypeError(f"'{text}' ends in the middle of an escape")
        e = text[i + 1]
        if e in escapes:
            out.append(escapes[e])
            i += 2
        elif e == "x" and len(text) >= i + 4 and all(h in "0123456789abcdefABCDEF" for h in text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif e == "x":
            raise argparse.ArgumentTypeError(f"'{text}': \\x needs two hex digits")
        else:
            raise argparse.ArgumentTypeError(f"'{text}': unknown escape \\{e} (known: \\n, \\r, \\t, \\\\, \\xHH)")
    if not 1 <= len(out) < MAX_MESSAGE:
        raise argparse.ArgumentTypeError(f"a terminator is 1 to {MAX_MESSAGE - 1} bytes, not {len(out)}")
    return bytes(out)


def _count(text):
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--count must be a number, not '{text}'")
    if not 1 <= n <= MAX_MESSAGE:
        raise argparse.ArgumentTypeError(f"a message of a fixed count is 1 to {MAX_MESSAGE} bytes, not {n}")
    return n


def _watch_lifeline(name):
    """Ends the process once the echo-lab tool that started it (LIFELINE_ENV) is gone: its parent changes."""
    asked = os.environ.get(LIFELINE_ENV, "").strip()
    if not asked.isdigit():
        return
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.1)
        print(f"{name}: the process that started it (pid {parent}) is gone; exiting", file=sys.stderr, flush=True)
        os._exit(70)

    threading.Thread(target=watch, name="echolab-lifeline", daemon=True).start()


def _close_quietly(connection):
    try:
        if isinstance(connection, socket.socket):
            connection.shutdown(socket.SHUT_RDWR)   # wakes a thread blocked on it, which close() alone does not
    except OSError:
        pass                            # not connected any more: close() is all there is to do
    try:
        connection.close()
    except OSError:
        pass                            # closing during a stop: nobody is left to tell


def _describe(connection):
    try:
        if hasattr(connection, "get_extra_info"):          # an asyncio transport or stream writer
            host, port = connection.get_extra_info("peername")[:2]
        else:
            host, port = connection.getpeername()[:2]      # a socket, or an asyncore dispatcher
        return f"{host}:{port}"
    except (OSError, AttributeError, TypeError):
        return "a connection"


def _message(error):
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__

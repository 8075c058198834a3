"""uvloop echo: py_asyncio_protocol.py's Protocol server, unchanged, on uvloop's event loop (libuv, in C).

Not a model of its own: the same callbacks and flow control, with the event loop that asyncio lets a program
replace. What it buys is measured beside the standard loop. Java twin: SelectorEchoServer (selector-echo),
as for the Protocol server; Netty is the JVM's counterpart of a loop written for speed.
"""

import uvloop

import echolab_peer
import py_asyncio_protocol

if __name__ == "__main__":
    uvloop.install()                                # asyncio.run() now makes uvloop's loop
    echolab_peer.main("py-uvloop", py_asyncio_protocol.serve, __doc__.splitlines()[0])

# Run it: ./echolab serve py-uvloop    then, in another terminal: nc 127.0.0.1 7007

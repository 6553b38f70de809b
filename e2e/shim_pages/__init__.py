"""Pages for the browser tests of the Save to Pay shim (``js/spay-s2p.js``).

Two small Flask apps, served on two origins so that every message crosses an origin boundary as
it does in production: a partner shop page that loads the shim, and a fake welcome page that
speaks the welcome protocol (docs/welcome-protocol.md) under the test's control.
"""

"""Deprecated: import from ``linkkit.atw.tokens``; this path stays until 2.0.

Building the Card Data Token and the AUTH token (:class:`TokenSigner`).
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.tokens import ALLOWED_CONTENT_ENCS as ALLOWED_CONTENT_ENCS
from linkkit.atw.tokens import ALLOWED_KEY_ALGS as ALLOWED_KEY_ALGS
from linkkit.atw.tokens import ALLOWED_SIGNATURE_ALGS as ALLOWED_SIGNATURE_ALGS
from linkkit.atw.tokens import AUTH_TOKEN_WINDOW_S as AUTH_TOKEN_WINDOW_S
from linkkit.atw.tokens import CARD_TOKEN_MAX_AGE_S as CARD_TOKEN_MAX_AGE_S
from linkkit.atw.tokens import CTY_AUTH as CTY_AUTH
from linkkit.atw.tokens import CTY_CARD as CTY_CARD
from linkkit.atw.tokens import DEFAULT_CLOCK_SKEW_S as DEFAULT_CLOCK_SKEW_S
from linkkit.atw.tokens import RSA_OAEP_SHA1 as RSA_OAEP_SHA1
from linkkit.atw.tokens import RSA_PKCS1V15 as RSA_PKCS1V15
from linkkit.atw.tokens import SHA256 as SHA256
from linkkit.atw.tokens import TOKEN_VERSION as TOKEN_VERSION
from linkkit.atw.tokens import Clock as Clock
from linkkit.atw.tokens import KeyAlgorithm as KeyAlgorithm
from linkkit.atw.tokens import TokenSigner as TokenSigner
from linkkit.atw.tokens import dumps_compact as dumps_compact
from linkkit.atw.tokens import encrypt_jwe as encrypt_jwe
from linkkit.atw.tokens import sign_jws as sign_jws

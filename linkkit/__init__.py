"""linkkit: signed "Add to Samsung Wallet" links, tokens, buttons and QR codes, a Save to Pay
browser shim, and a local emulation of Samsung's side for demos and tests.

This module only re-exports the public API; see the documentation of each module.
"""

from linkkit.atw.links import (
    ActionLink,
    FetchLink,
    TransmitLink,
    action_link,
    fetch_link,
    new_ref_id,
    parse_link,
    transmit_link,
)
from linkkit.atw.replay import ReplayGuard
from linkkit.atw.signature import SignedAtwLink, sign_atw_link, verify_signed_atw_link
from linkkit.atw.tokens import TokenSigner
from linkkit.atw.verify import OpenedCardToken, TokenVerifier, VerifiedAuthToken
from linkkit.config import Endpoints
from linkkit.doctor import Diagnosis, diagnose
from linkkit.errors import (
    ApiError,
    AssetError,
    AssetOptionError,
    BadRequestError,
    BadSignatureError,
    ChannelError,
    ClaimMismatchError,
    ConfigError,
    DecryptionError,
    FieldError,
    KeyLoadError,
    LinkError,
    LinkKitError,
    MalformedTokenError,
    MissingDependencyError,
    NotFoundError,
    QRCapacityError,
    ReplayError,
    ServerError,
    ServiceUnavailableError,
    StoreError,
    TokenError,
    TokenExpiredError,
    TokenFromFutureError,
    TransportError,
    UnauthorizedError,
    UnsupportedAlgorithmError,
    ValidationError,
    WrongContentTypeError,
)
from linkkit.identity import generate_identity
from linkkit.keys import check_key_matches_certificate, load_certificate, load_private_key, public_key_of
from linkkit.plan import LinkPlan, check_link_for_channel, plan_card

#: The one place the version is written: the build reads it from here (pyproject.toml's
#: ``[tool.hatch.version]``), and ``importlib.metadata.version("linkkit")`` reports it once installed.
__version__ = "0.1.0"

__all__ = [
    "ActionLink",
    "ApiError",
    "AssetError",
    "AssetOptionError",
    "BadRequestError",
    "BadSignatureError",
    "ChannelError",
    "ClaimMismatchError",
    "ConfigError",
    "DecryptionError",
    "Diagnosis",
    "Endpoints",
    "FetchLink",
    "FieldError",
    "KeyLoadError",
    "LinkError",
    "LinkKitError",
    "LinkPlan",
    "MalformedTokenError",
    "MissingDependencyError",
    "NotFoundError",
    "OpenedCardToken",
    "QRCapacityError",
    "ReplayError",
    "ReplayGuard",
    "ServerError",
    "ServiceUnavailableError",
    "SignedAtwLink",
    "StoreError",
    "TokenError",
    "TokenExpiredError",
    "TokenFromFutureError",
    "TokenSigner",
    "TokenVerifier",
    "TransmitLink",
    "TransportError",
    "UnauthorizedError",
    "UnsupportedAlgorithmError",
    "ValidationError",
    "VerifiedAuthToken",
    "WrongContentTypeError",
    "action_link",
    "check_key_matches_certificate",
    "check_link_for_channel",
    "diagnose",
    "fetch_link",
    "generate_identity",
    "load_certificate",
    "load_private_key",
    "new_ref_id",
    "parse_link",
    "plan_card",
    "public_key_of",
    "sign_atw_link",
    "transmit_link",
    "verify_signed_atw_link",
]

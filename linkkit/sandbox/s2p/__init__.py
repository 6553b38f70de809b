"""The sandbox's Save to Pay server: registrations API (mutual TLS), welcome UI, simulated wallet
app and outbound notifications, as https://developer.samsung.com/pay/save2pay/api-introduction.html
describes them (plus linkkit's welcome protocol, and mutual TLS both ways).

It never imports :mod:`linkkit.partner`: the two meet over HTTP and TLS only."""

from linkkit.sandbox.s2p.factory import RunningS2PSandbox as RunningS2PSandbox
from linkkit.sandbox.s2p.factory import S2PSandbox as S2PSandbox
from linkkit.sandbox.s2p.factory import S2PSandboxKeys as S2PSandboxKeys
from linkkit.sandbox.s2p.factory import create_s2p_sandbox as create_s2p_sandbox
from linkkit.sandbox.s2p.flow import OUTCOMES as OUTCOMES
from linkkit.sandbox.s2p.flow import WALLET_OUTCOMES as WALLET_OUTCOMES
from linkkit.sandbox.s2p.notifier import Delivery as Delivery
from linkkit.sandbox.s2p.simulator import SimulatedWallet as SimulatedWallet
from linkkit.sandbox.s2p.state import FAULT_HEADER as FAULT_HEADER
from linkkit.sandbox.s2p.state import WalletAccount as WalletAccount

__all__ = [
    "FAULT_HEADER",
    "OUTCOMES",
    "WALLET_OUTCOMES",
    "Delivery",
    "RunningS2PSandbox",
    "S2PSandbox",
    "S2PSandboxKeys",
    "SimulatedWallet",
    "WalletAccount",
    "create_s2p_sandbox",
]

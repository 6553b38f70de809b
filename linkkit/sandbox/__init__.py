"""A local emulation of Samsung's side: ATW landing, server API, partner calls, faults."""

from linkkit.sandbox.app import Sandbox as Sandbox
from linkkit.sandbox.app import create_app as create_app
from linkkit.sandbox.app import sandbox_of as sandbox_of
from linkkit.sandbox.config import SandboxConfig as SandboxConfig
from linkkit.sandbox.faults import ALL_FAULTS as ALL_FAULTS
from linkkit.sandbox.faults import FAULT_HEADER as FAULT_HEADER
from linkkit.sandbox.faults import Fault as Fault

__all__ = [
    "ALL_FAULTS",
    "FAULT_HEADER",
    "Fault",
    "Sandbox",
    "SandboxConfig",
    "create_app",
    "sandbox_of",
]

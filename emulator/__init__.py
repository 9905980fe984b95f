"""telco-emulator: an offline emulator of the CallWithUs and Called.in telephony APIs."""

from __future__ import annotations

__version__ = "0.1.0"

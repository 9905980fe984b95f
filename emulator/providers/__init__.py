"""The two providers' wire formats: parameters in, reply text out, no I/O."""

from __future__ import annotations

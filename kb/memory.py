"""Handing memory freed between a build's stages back to the system (peak memory, issue 13)."""

from __future__ import annotations

import ctypes
import ctypes.util


def _libc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim with
        return None


_trim = _libc_trim()


def return_freed_memory() -> None:
    """glibc keeps what Python frees (查重's texts and fingerprints once compared, the written
    pages' garbage) for later allocations, which reuse it only where they fit: the next stage's
    objects then add to the process' size instead of taking that place. malloc_trim(0) gives free
    pages back to the system. A no-op where the C library has no malloc_trim."""
    if _trim is not None:
        _trim(0)

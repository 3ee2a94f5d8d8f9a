"""One memory area for the pass buffers of every conv forward in the process.

    with PASS_BUFFERS.lock:
        buffers = PASS_BUFFERS.take(forward)     # its buffers, cut from the shared memory

A conv forward's buffers for a pass of faces (its maps, gathered neighbourhoods, products
and attention weights) are about four times its weights. Cut from one area that all
forwards share and take turns on, they are held once for any number of models, at the
largest model's size, instead of once per model. A forward taking part has `pass_bytes`
(counted by laying its buffers out with a `Carver` that has no memory) and
`make_buffers(carver)`, whose result can `zero_borders()`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Protocol

import numpy as np

# What a forward's buffers are cut with: a shape in, a float32 array of that shape out.
Allocate = Callable[[tuple[int, ...]], np.ndarray]


class PassBufferSet(Protocol):
    def zero_borders(self) -> None: ...


class PassForward(Protocol):
    pass_bytes: int

    def make_buffers(self, allocate: Allocate) -> PassBufferSet: ...


class Carver:
    """float32 arrays cut one after another from `memory`, each start 64-byte aligned; without
    memory, fresh arrays (never touched, so never resident) that only count the bytes."""

    ALIGN = 64

    def __init__(self, memory: np.ndarray | None = None) -> None:
        self.memory = memory
        self.used = 0

    def __call__(self, shape: tuple[int, ...]) -> np.ndarray:
        nbytes = int(np.prod(shape)) * 4
        start = self.used
        self.used += -(-nbytes // self.ALIGN) * self.ALIGN
        if self.memory is None:
            return np.empty(shape, dtype=np.float32)
        return self.memory[start : start + nbytes].view(np.float32).reshape(shape)


class SharedPassBuffers:
    """One memory area for the pass buffers of every forward, and the lock under which the
    forwards take turns on it.

    The area grows to the largest forward's `pass_bytes` (the buffers cut before are then
    dropped and cut again when next taken). A forward's zero borders may have been written
    by another forward since it last ran, so they are zeroed whenever the area changes hands.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._memory = np.empty(0, dtype=np.uint8)
        self._cut: weakref.WeakKeyDictionary[PassForward, PassBufferSet] = weakref.WeakKeyDictionary()
        self._holder: weakref.ref | None = None

    @property
    def nbytes(self) -> int:
        return self._memory.nbytes

    def take(self, forward: PassForward) -> PassBufferSet:
        """`forward`'s buffers, ready to use; call with `lock` held."""
        buffers = self._cut.get(forward)
        if buffers is None:
            if forward.pass_bytes > self._memory.nbytes:
                self._memory = np.empty(forward.pass_bytes, dtype=np.uint8)
                self._cut.clear()
            buffers = self._cut[forward] = forward.make_buffers(Carver(self._memory))
            self._holder = None
        if self._holder is None or self._holder() is not forward:
            buffers.zero_borders()
            self._holder = weakref.ref(forward)
        return buffers


PASS_BUFFERS = SharedPassBuffers()

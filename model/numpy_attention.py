"""SAGAN self-attention of the numpy conv forward (`model.numpy_conv`), with no torch.

    attention = Attention(arrays)                          # the layer's weights
    buffers = AttentionBuffers(inside, attention, allocate)  # one pass's arrays over map `inside`
    attention.run(buffers, batch)                          # x += out(softmax(q k^T) v), in place

The weights and the buffers are apart because the buffers live in the area every conv
forward shares (`model.pass_buffers`) while the weights stay with their model.
"""

from __future__ import annotations

import numpy as np
from pixelgan.model.pass_buffers import Allocate


class Attention:
    """SAGAN self-attention in place on a (B, H, W, C) channels-last map (a view into a
    bordered buffer): x += out(softmax(q k^T) v), the gain folded into `out` at export.

    Query, key and value come from one product with their weights side by side; the
    attention weights are a (B, N, N) softmax over N = H * W positions.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        query, key, value = (arrays[f"attention.{name}.weight"] for name in ("query", "key", "value"))
        self.narrow = len(query)
        self.value_width = len(value)
        self.projection = np.ascontiguousarray(np.concatenate([query, key, value]).T)  # (C, 2 C/8 + C/2)
        self.out = np.ascontiguousarray(arrays["attention.out.weight"].T)  # (C/2, C)

    def run(self, buffers: AttentionBuffers, batch: int) -> None:
        inside, x, projected = buffers.inside[:batch], buffers.x[:batch], buffers.projected[:batch]
        weights, row_max = buffers.weights[:batch], buffers.row_max[:batch]
        attended, update = buffers.attended[:batch], buffers.update[:batch]
        np.copyto(x.reshape(inside.shape), inside)
        np.matmul(x, self.projection, out=projected)
        narrow = self.narrow
        query, key, value = projected[..., :narrow], projected[..., narrow : 2 * narrow], projected[..., 2 * narrow :]
        np.matmul(query, key.transpose(0, 2, 1), out=weights)  # (B, N, N)
        np.max(weights, axis=-1, keepdims=True, out=row_max)
        weights -= row_max  # softmax without overflow
        np.exp(weights, out=weights)
        weights /= weights.sum(axis=-1, keepdims=True)
        np.matmul(weights, value, out=attended)
        np.matmul(attended, self.out, out=update)
        inside += update.reshape(inside.shape)


class AttentionBuffers:
    """The arrays of one attention pass over the (B, H, W, C) map `inside`."""

    def __init__(self, inside: np.ndarray, attention: Attention, allocate: Allocate) -> None:
        self.inside = inside
        capacity, height, width, channels = inside.shape
        positions = height * width
        self.x = allocate((capacity, positions, channels))
        self.projected = allocate((capacity, positions, attention.projection.shape[1]))
        self.weights = allocate((capacity, positions, positions))
        self.row_max = allocate((capacity, positions, 1))
        self.attended = allocate((capacity, positions, attention.value_width))
        self.update = allocate((capacity, positions, channels))

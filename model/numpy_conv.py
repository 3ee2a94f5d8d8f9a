"""The conv generator in numpy (what serving runs for arch "conv"), with no torch.

    forward = ConvForward(config, arrays)          # arrays: batch norm already folded in
    images = forward(latents)                      # (B, latent_dim) -> (B, grid, grid)

Activations are kept channels-last, (B, H, W, C), so every convolution is one matrix
product of gathered neighbourhoods against a (taps * C_in, C_out) kernel.

A nearest 2x upsample followed by a 3x3 convolution is computed without the upsample: each
of the four output phases (even/odd row, even/odd column) sees only a 2x2 neighbourhood of
the small map, with the 3x3 taps that land on the same small pixel summed. That is 16 rather
than 36 multiply-adds per channel pair and output pixel, and no 4x larger map is built.
"""

from __future__ import annotations

import numpy as np

from model.config import GeneratorConfig, conv_stride

LEAKY_SLOPE = 0.2
# Faces per pass: the gathered neighbourhoods of 8 faces fit in cache, those of 64 do not
# (measured: 0.69 ms a face in batches of 8, 1.3 ms in one batch of 64).
CHUNK = 8

# For an output row of phase a (0: even, 1: odd), which 3x3 kernel rows fall on the small
# map's rows i - 1 + a and i + a, in that order. The same holds for columns.
_TAPS_BY_PHASE = (((0,), (1, 2)), ((0, 1), (2,)))


class ConvForward:
    """Equal to `ConvGenerator` in eval mode, given the arrays of `folded_arrays`."""

    def __init__(self, config: GeneratorConfig, arrays: dict[str, np.ndarray]) -> None:
        self.config = config
        self.base = config.grid // conv_stride(config)
        self._project_weight = np.ascontiguousarray(arrays["project.weight"].T)  # (latent, C0*base*base)
        self._project_bias = arrays["project.bias"]
        blocks = len(config.hidden) - 1
        self._phase_kernels = [_phase_kernels(arrays[f"blocks.{k}.weight"]) for k in range(blocks)]
        self._block_biases = [arrays[f"blocks.{k}.bias"] for k in range(blocks)]
        self._image_kernel = _im2col_kernel(arrays["to_image.weight"])  # (9 * C, 1)
        self._image_bias = arrays["to_image.bias"]

    def __call__(self, latents: np.ndarray) -> np.ndarray:
        """(B, latent_dim) float32 -> (B, grid, grid) float32 in [-1, 1]."""
        if len(latents) <= CHUNK:
            return self._forward(latents)
        return np.concatenate([self._forward(latents[i : i + CHUNK]) for i in range(0, len(latents), CHUNK)])

    def _forward(self, latents: np.ndarray) -> np.ndarray:
        batch, base = len(latents), self.base
        x = latents @ self._project_weight
        x += self._project_bias
        x = x.reshape(batch, -1, base, base).transpose(0, 2, 3, 1)  # (B, base, base, C0)
        _leaky_relu(x)
        for kernels, bias in zip(self._phase_kernels, self._block_biases, strict=True):
            x = _upsample_conv(x, kernels, bias)
            _leaky_relu(x)
        x = _conv3x3(x, self._image_kernel, self._image_bias)  # (B, grid, grid, 1)
        np.tanh(x, out=x)
        return x.reshape(batch, self.config.grid, self.config.grid)


def _leaky_relu(x: np.ndarray) -> None:
    np.maximum(x, LEAKY_SLOPE * x, out=x)


def _im2col_kernel(weight: np.ndarray) -> np.ndarray:
    """torch's (C_out, C_in, kh, kw) -> (kh * kw * C_in, C_out), rows ordered (ky, kx, c)."""
    c_out = weight.shape[0]
    return np.ascontiguousarray(weight.transpose(2, 3, 1, 0).reshape(-1, c_out))


def _phase_kernels(weight: np.ndarray) -> list[np.ndarray]:
    """The four (4 * C_in, C_out) kernels, phases (0, 0), (0, 1), (1, 0), (1, 1), of
    upsample-then-3x3-conv expressed as 2x2 convolutions on the small map."""
    kernels = []
    for row_taps in _TAPS_BY_PHASE:
        for col_taps in _TAPS_BY_PHASE:
            merged = np.empty((*weight.shape[:2], 2, 2), dtype=np.float32)
            for r, rows in enumerate(row_taps):
                for s, cols in enumerate(col_taps):
                    merged[:, :, r, s] = weight[:, :, list(rows)][:, :, :, list(cols)].sum(axis=(2, 3))
            kernels.append(_im2col_kernel(merged))
    return kernels


def _upsample_conv(x: np.ndarray, kernels: list[np.ndarray], bias: np.ndarray) -> np.ndarray:
    """Nearest 2x upsample then 3x3 'same' convolution of (B, H, W, C): (B, 2H, 2W, C_out)."""
    batch, height, width, _ = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    out = np.empty((batch, height, 2, width, 2, kernels[0].shape[1]), dtype=np.float32)
    for phase, kernel in enumerate(kernels):
        a, b = divmod(phase, 2)
        # The 2x2 neighbourhood of phase (a, b) starts a rows and b columns into the padding.
        patches = np.concatenate(
            [padded[:, a + r : a + r + height, b + s : b + s + width] for r in (0, 1) for s in (0, 1)], axis=-1
        )  # (B, H, W, 4 * C)
        np.matmul(patches, kernel, out=out[:, :, a, :, b])
    out += bias
    return out.reshape(batch, 2 * height, 2 * width, -1)


def _conv3x3(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """3x3 'same' convolution of (B, H, W, C) with an im2col kernel: (B, H, W, C_out)."""
    _, height, width, _ = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    patches = np.concatenate(
        [padded[:, dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3)], axis=-1
    )  # (B, H, W, 9 * C)
    out = patches @ kernel
    out += bias
    return out

"""The conv generator in numpy (what serving runs for arch "conv"), with no torch.

    forward = ConvForward(config, arrays)          # arrays: batch norm already folded in
    images = forward(latents)                      # (B, latent_dim) -> (B, grid, grid)

Activations are kept channels-last, (B, H, W, C), in zero-bordered buffers made once and
reused (no padding, concatenating or allocating per call): a layer is one strided gather,
one batched matrix product, and bias + LeakyReLU passes whose last one writes straight
into the inside of the next layer's bordered buffer. The matrix products then take most
of the time (benchmarks/forward.py prints how close they come to plain sgemm).

A nearest 2x upsample followed by a 3x3 convolution is computed without the upsample: each
of the four output phases (even/odd row, even/odd column) sees only a 2x2 neighbourhood of
the small map, with the 3x3 taps that land on the same small pixel summed. That is 16 rather
than 36 multiply-adds per channel pair and output pixel, and no 4x larger map is built.
The last 3x3 convolution has one output channel, so it is done the other way round: one
product gives each pixel's contribution to each of its 9 neighbours, and a 9-term sum of
shifted views adds them up (a gather of 9 x C values per pixel would move 9x the data).

A pass's buffers are about four times a model's weights (the gathered neighbourhoods most
of all: 20.6 MB for the shipped default). So that a service of several models holds them
once, not once per model, every conv forward of the process cuts its buffers from one
shared memory area (`model.pass_buffers.PASS_BUFFERS`) and the forwards take turns on it;
forwards of one model took turns on their own buffers before, so a single model's renders
are no slower.
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.lib.stride_tricks import as_strided
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig
from pixelgan.model.conv_layout import attention_index, base_side
from pixelgan.model.numpy_attention import Attention, AttentionBuffers
from pixelgan.model.pass_buffers import PASS_BUFFERS, Allocate, Carver

# Faces per pass, chosen with `python benchmarks/forward.py` (its second table) on the
# shared 2-core development machine: 1, 2 and 4 tie within noise for the shipped generator
# and a 4x wider one; 8 or 16 were 10-15% slower in most runs (their gathered
# neighbourhoods fall out of cache); 4 was best or tied most often and keeps buffers small.
CHUNK = 4

# For an output row of phase a (0: even, 1: odd), which 3x3 kernel rows fall on the small
# map's rows i - 1 + a and i + a, in that order. The same holds for columns.
_TAPS_BY_PHASE = (((0,), (1, 2)), ((0, 1), (2,)))


class ConvForward:
    """Equal to `ConvGenerator` in eval mode, given the arrays of `folded_arrays`.

    Calls from several threads are safe: they take turns on the shared pass buffers.
    """

    def __init__(self, config: GeneratorConfig, arrays: dict[str, np.ndarray], *, chunk: int = CHUNK) -> None:
        self.config = config
        self.chunk = chunk
        self.base = base = base_side(config)
        first = config.hidden[0]
        # torch's Linear rows are channel-major (C0, base, base); reorder them to (base, base, C0)
        # so the product comes out channels-last.
        project = arrays["project.weight"].reshape(first, base, base, -1).transpose(1, 2, 0, 3)
        self._project_weight = np.ascontiguousarray(project.reshape(base * base * first, -1).T)
        self._project_bias = np.ascontiguousarray(arrays["project.bias"].reshape(first, base, base).transpose(1, 2, 0))
        blocks = len(config.hidden) - 1
        self._phase_kernels = [_phase_kernels(arrays[f"blocks.{k}.weight"]) for k in range(blocks)]
        # Each block's bias repeated for every output pixel of a phase, (chunk * H * W, C_out):
        # adding that is a contiguous pass, twice as fast as broadcasting a (C_out,) row.
        self._block_biases = [
            np.tile(arrays[f"blocks.{k}.bias"], (chunk * (base * 2**k) ** 2, 1)) for k in range(blocks)
        ]
        # Per image channel, (C, 9): column 3 * dy + dx holds the tap at kernel row dy, column dx.
        image_weight = arrays["to_image.weight"]
        self._image_kernels = [np.ascontiguousarray(kernel.reshape(-1, 9)) for kernel in image_weight]
        self._image_biases = [float(bias) for bias in arrays["to_image.bias"]]
        # Self-attention on the inside of map k, after the block that writes it (block k - 1).
        self._attention = Attention(arrays) if config.attention else None
        self._attention_after = attention_index(config) - 1 if config.attention else None
        # The bytes of one pass's buffers, counted by laying them out once without memory.
        counter = Carver()
        self.make_buffers(counter)
        self.pass_bytes = counter.used

    def make_buffers(self, allocate: Allocate) -> _PassBuffers:
        """This forward's pass buffers, cut by `allocate`."""
        return _PassBuffers(self.config, self.chunk, allocate, self._attention)

    def __call__(self, latents: np.ndarray) -> np.ndarray:
        """(B, latent_dim) float32 -> (B, grid, grid) grey or (B, grid, grid, 3) RGB, float32 in [-1, 1]."""
        grid = self.config.grid
        shape = (len(latents), grid, grid) if self.config.channels == 1 else (len(latents), grid, grid, 3)
        out = np.empty(shape, dtype=np.float32)
        with PASS_BUFFERS.lock:
            work = PASS_BUFFERS.take(self)
            for start in range(0, len(latents), self.chunk):
                self._forward(work, latents[start : start + self.chunk], out[start : start + self.chunk])
        return out

    def _forward(self, work: _PassBuffers, latents: np.ndarray, out: np.ndarray) -> None:
        batch = len(latents)
        projected, scaled = work.projected[:batch], work.projected_scaled[:batch]
        np.matmul(latents, self._project_weight, out=projected.reshape(batch, -1))
        projected += self._project_bias
        np.maximum(projected, np.multiply(projected, LEAKY_SLOPE, out=scaled), out=work.first_inside[:batch])
        for index, (block, kernels, bias) in enumerate(
            zip(work.blocks, self._phase_kernels, self._block_biases, strict=True)
        ):
            block.run(batch, kernels, bias)
            if self._attention is not None and index == self._attention_after:
                self._attention.run(work.attention, batch)
        grid = self.config.grid
        for channel, (kernel, bias) in enumerate(zip(self._image_kernels, self._image_biases, strict=True)):
            summed = _to_image(work.maps[-1][:batch], kernel, work.contributions[:, :batch], work.summed)
            target = out if out.ndim == 3 else out[..., channel]
            np.add(summed[:batch, :grid, :grid], bias, out=target)
        np.tanh(out, out=out)


class _PassBuffers:
    """Every intermediate array of a pass of up to `capacity` faces, and the strided views
    between them; a smaller batch uses the leading part of each along its batch axis."""

    def __init__(
        self,
        config: GeneratorConfig,
        capacity: int,
        allocate: Allocate,
        attention: Attention | None,
    ) -> None:
        base = side = base_side(config)
        # Zero-bordered channels-last maps (B, H + 2, W + 2, C): the input of each block and of
        # the last conv. `zero_borders` zeroes them whenever the shared area changes hands.
        self.maps = []
        for channels in config.hidden:
            self.maps.append(allocate((capacity, side + 2, side + 2, channels)))
            side *= 2
        # The Linear's output (B, base, base, C0), and 0.2 times it.
        self.projected = allocate((capacity, base, base, config.hidden[0]))
        self.projected_scaled = allocate(self.projected.shape)
        self.first_inside = self.maps[0][:, 1:-1, 1:-1]
        self.blocks = [_Block(source, target, allocate) for source, target in itertools.pairwise(self.maps)]
        # (9 taps, B, H + 2, W + 2): each bordered pixel's contribution to the last conv.
        self.contributions = allocate((9, *self.maps[-1].shape[:3]))
        self.summed = allocate(self.maps[-1].shape[:3])
        self.attention = None
        if attention is not None:
            inside = self.maps[attention_index(config)][:, 1:-1, 1:-1]
            self.attention = AttentionBuffers(inside, attention, allocate)

    def zero_borders(self) -> None:
        """Zero the maps (their insides are written before they are read, their borders never)."""
        for bordered in self.maps:
            bordered.fill(0)


class _Block:
    """Nearest 2x upsample, 3x3 'same' convolution, bias and LeakyReLU from one bordered map
    (B, H + 2, W + 2, C) into the inside of the next, (B, 2H + 2, 2W + 2, C_out).

    Arrays are laid out (phase a, phase b, B, H, W, ...), where phase (a, b) holds the output
    pixels (2i + a, 2j + b): each phase is then one matrix product with its own kernel.
    """

    def __init__(self, source: np.ndarray, target: np.ndarray, allocate: Allocate) -> None:
        capacity, height, width, channels = source.shape[0], source.shape[1] - 2, source.shape[2] - 2, source.shape[3]
        # Phase (a, b), output (i, j), tap (r, s) reads source[i + a + r, j + b + s]: one strided view.
        batch_step, row, pixel, item = source.strides
        self.neighbourhoods = as_strided(
            source,
            (2, 2, capacity, height, width, 2, 2, channels),
            (row, pixel, batch_step, row, pixel, row, pixel, item),
            writeable=False,
        )
        self.patches = allocate(self.neighbourhoods.shape)
        self.products = allocate((2, 2, capacity, height, width, target.shape[3]))
        self.scaled = allocate(self.products.shape)
        batch_step, row, pixel, item = target.strides
        steps = (row, pixel, batch_step, 2 * row, 2 * pixel, item)
        self.inside = as_strided(target[:, 1:, 1:], self.products.shape, steps)  # written: no overlaps

    def run(self, batch: int, kernels: np.ndarray, bias: np.ndarray) -> None:
        """Compute the first `batch` faces with `kernels` (4, 4 * C, C_out) and `bias`
        (capacity * H * W, C_out), the bias of every output pixel of a phase."""
        patches, products, scaled = self.patches[:, :, :batch], self.products[:, :, :batch], self.scaled[:, :, :batch]
        np.copyto(patches, self.neighbourhoods[:, :, :batch])
        rows = products[0, 0].size // products.shape[-1]
        phases = products.reshape(4, rows, -1)
        np.matmul(patches.reshape(4, rows, -1), kernels, out=phases)
        phases += bias[:rows]
        np.maximum(products, np.multiply(products, LEAKY_SLOPE, out=scaled), out=self.inside[:, :, :batch])


def _im2col_kernel(weight: np.ndarray) -> np.ndarray:
    """torch's (C_out, C_in, kh, kw) -> (kh * kw * C_in, C_out), rows ordered (ky, kx, c)."""
    c_out = weight.shape[0]
    return np.ascontiguousarray(weight.transpose(2, 3, 1, 0).reshape(-1, c_out))


def _phase_kernels(weight: np.ndarray) -> np.ndarray:
    """(4, 4 * C_in, C_out): the kernels of phases (0, 0), (0, 1), (1, 0), (1, 1) of
    upsample-then-3x3-conv expressed as 2x2 convolutions on the small map."""
    kernels = []
    for row_taps in _TAPS_BY_PHASE:
        for col_taps in _TAPS_BY_PHASE:
            merged = np.empty((*weight.shape[:2], 2, 2), dtype=np.float32)
            for r, rows in enumerate(row_taps):
                for s, cols in enumerate(col_taps):
                    merged[:, :, r, s] = weight[:, :, list(rows)][:, :, :, list(cols)].sum(axis=(2, 3))
            kernels.append(_im2col_kernel(merged))
    return np.stack(kernels)


def _to_image(source: np.ndarray, kernel: np.ndarray, contributions: np.ndarray, summed: np.ndarray) -> np.ndarray:
    """3x3 'same' convolution to one channel of the zero-bordered (B, H + 2, W + 2, C) `source`,
    without bias: returns `summed`, (B, H + 2, W + 2), whose top-left (B, H, W) is the result."""
    bordered_width, channels = source.shape[2:]
    planes = contributions.reshape(9, -1)  # (9 taps, B * (H + 2) * (W + 2))
    # Each bordered pixel's contribution through each tap (dy, dx); the border's are zero.
    np.matmul(kernel.T, source.reshape(-1, channels).T, out=planes)
    # Output (y, x) sums the contribution of pixel (y + dy, x + dx) through tap (dy, dx), which
    # lies dy rows and dx pixels on in its flat plane: 9 adds of contiguous runs. The sums at
    # the right and bottom border (and past them, up to the next face) are not used.
    length = planes.shape[1] - 2 * bordered_width - 2
    flat = summed.reshape(-1)[:length]
    np.copyto(flat, planes[0, :length])
    for tap in range(1, 9):
        start = tap // 3 * bordered_width + tap % 3
        flat += planes[tap, start : start + length]
    return summed

"""Resumable training checkpoints: the whole state of a run, and the settings that shaped it.

    state = TrainingState(generator, discriminator, optimizer_g, optimizer_d, shuffle_rng, noise_rng, ema)
    save_checkpoint(run_dir / "checkpoint.pt", state, epoch=25, config=config, options=options)
    epoch = load_checkpoint(run_dir / "checkpoint.pt", state, config=config, options=options)

A checkpoint holds both networks, both optimisers, the EMA copy, both random generators and
the epoch, beside the generator's architecture config and the training options (as
nanoGPT's checkpoint keeps `model_args`). Loading first compares those with the run that asks
to resume, so `--resume` with another architecture, grid, discriminator or crop stops with a
sentence naming the field instead of a `load_state_dict` traceback.

These are torch files for resuming our own runs, loaded with `weights_only=True` so even they
cannot run code. What serving reads is the generator file, written by `training.export`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import ConfigError
from pixelgan.training.ema import GeneratorEMA
from pixelgan.training.options import TrainOptions
from torch import nn

# Options that change the networks' shapes or the data: a resumed run must keep them.
# The rest (epochs, cadences, device) may change between runs.
_STATE_SHAPING_OPTIONS = ("d_channels", "minibatch_std", "d_norm", "d_residual", "crop")


@dataclass
class TrainingState:
    """Everything a run needs to continue: the nets, their optimisers, the RNGs, the EMA copy."""

    generator: nn.Module
    discriminator: nn.Module
    optimizer_g: torch.optim.Optimizer
    optimizer_d: torch.optim.Optimizer
    shuffle_rng: torch.Generator
    noise_rng: torch.Generator
    ema: GeneratorEMA | None = None
    # Small stateful helpers (LeCam's moving averages, ADA's probability): state_dict() objects.
    extras: dict = field(default_factory=dict)


def save_checkpoint(
    path: Path, state: TrainingState, *, epoch: int, config: GeneratorConfig, options: TrainOptions
) -> None:
    """Write the run's state after `epoch`, atomically."""
    payload = {
        "epoch": epoch,
        "config": config.to_dict(),
        "options": options.to_dict(),
        "generator": state.generator.state_dict(),
        "discriminator": state.discriminator.state_dict(),
        "optimizer_g": state.optimizer_g.state_dict(),
        "optimizer_d": state.optimizer_d.state_dict(),
        "shuffle_rng": state.shuffle_rng.get_state(),
        "noise_rng": state.noise_rng.get_state().cpu(),
        "extras": {name: helper.state_dict() for name, helper in state.extras.items()},
    } | ({"generator_ema": state.ema.state_dict()} if state.ema else {})
    partial = path.with_name(path.name + ".partial")
    torch.save(payload, partial)
    partial.replace(path)


def load_checkpoint(path: Path, state: TrainingState, *, config: GeneratorConfig, options: TrainOptions) -> int:
    """Restore `state` in place from `path`; returns the epoch it was saved after.

    Raises ConfigError naming the field when the checkpoint's run differs in a way the
    networks cannot follow.
    """
    payload = torch.load(path, map_location="cpu", weights_only=True)
    if "config" not in payload:
        raise ConfigError(f"{path} was written by an older pixelgan and holds no config; start a new run folder")
    _check_same(path, "architecture", payload["config"], config.to_dict(), config.to_dict().keys())
    _check_same(path, "option", payload["options"], options.to_dict(), _STATE_SHAPING_OPTIONS)
    if (state.ema is None) != ("generator_ema" not in payload):
        raise ConfigError(
            f"{path}: 'ema' was {'on' if 'generator_ema' in payload else 'off'}; resume with the same --ema"
        )
    state.generator.load_state_dict(payload["generator"])
    state.discriminator.load_state_dict(payload["discriminator"])
    state.optimizer_g.load_state_dict(payload["optimizer_g"])
    state.optimizer_d.load_state_dict(payload["optimizer_d"])
    if state.ema:
        state.ema.load_state_dict(payload["generator_ema"])
    saved_extras = payload.get("extras", {})
    for name, helper in state.extras.items():
        if name in saved_extras:  # a helper switched on at resume starts afresh
            helper.load_state_dict(saved_extras[name])
    state.shuffle_rng.set_state(payload["shuffle_rng"])
    state.noise_rng.set_state(payload["noise_rng"].to(state.noise_rng.get_state().device))
    return payload["epoch"]


def _check_same(path: Path, kind: str, saved: dict, asked: dict, names: Iterable[str]) -> None:
    """Raise ConfigError naming the first of `names` whose saved and asked values differ."""
    for name in names:
        if saved.get(name) != asked.get(name):
            raise ConfigError(
                f"{path}: the checkpoint's {kind} {name!r} is {saved.get(name)!r}, this run asks for "
                f"{asked.get(name)!r}; --resume needs the same {name!r} (or train into a new --out folder)"
            )

"""The training loop: a GAN on cached pixel grids, as mnist's train() around dcgan's step.

    generator_path = train(dataset.grids, GeneratorConfig(), TrainOptions(epochs=300),
                           run_dir=Path("runs/celebrity"), summary=dataset.summary())

`train` reads top to bottom: build the run's state (`build_state`), resume it from the
checkpoint if asked, then per epoch one pass over the data (`train_epoch`, each batch one
`training.step.train_step`), its losses, and at the set epochs a sample sheet, a checkpoint
and an export. A run folder (`training.run_folder`) holds `losses.csv` (one row per epoch),
`samples/epoch-NNNN.png` (64 faces from the fixed latents of seeds 0..63, the same ones
`/grid?seed=0&n=64` shows), `checkpoint.pt` (resumable), `generator.safetensors` (what
serving loads, rewritten at every checkpoint and at the end) and `snapshots/`.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import ConfigError
from pixelgan.model.inference import latents_from_seeds
from pixelgan.model.networks import torch_architecture
from pixelgan.training.augment import AdaptiveProbability, DiffAugment
from pixelgan.training.checkpoint import TrainingState, load_checkpoint, save_checkpoint
from pixelgan.training.ema import GeneratorEMA, recalibrate_batch_norm
from pixelgan.training.lecam import LeCam
from pixelgan.training.options import TrainOptions
from pixelgan.training.progress import Progress
from pixelgan.training.run_folder import RunFolder
from pixelgan.training.step import train_step
from torch import nn

SAMPLE_SEEDS = range(64)
ADAM_BETA2 = 0.999


def train(
    grids: np.ndarray,
    config: GeneratorConfig,
    options: TrainOptions,
    *,
    run_dir: Path,
    summary: dict,
    resume: bool = False,
    show_progress: bool = True,
) -> Path:
    """Train on (N, grid, grid) grey or (N, grid, grid, 3) RGB grids in [0, 1]; returns the
    path of the generator file written."""
    expected = (config.grid, config.grid) if config.channels == 1 else (config.grid, config.grid, config.channels)
    if grids.shape[1:] != expected:
        raise ValueError(f"grids are {grids.shape[1:]}, but the generator makes {'x'.join(map(str, expected))}")
    device = resolve_device(options.device)
    folder = RunFolder(run_dir)
    torch.manual_seed(options.seed)
    state, augment = build_state(config, options, device)
    start_epoch = 0
    if resume and folder.checkpoint.exists():
        start_epoch = load_checkpoint(folder.checkpoint, state, config=config, options=options)
    folder.start_losses(fresh=start_epoch == 0)
    real = _channels_first(torch.from_numpy(grids)).to(device).mul(2).sub(1)  # (N, C, grid, grid) in Tanh's [-1, 1]
    sample_latents = torch.from_numpy(latents_from_seeds(SAMPLE_SEEDS, config.latent_dim)).to(device)
    started = time.perf_counter()
    progress = Progress(total=options.epochs, start=start_epoch, enabled=show_progress)
    for epoch in range(start_epoch + 1, options.epochs + 1):
        epoch_started = time.perf_counter()
        set_learning_rate(state, options.lr_at(epoch))
        means = train_epoch(state, augment, real, options)
        folder.append_losses(epoch, means, time.perf_counter() - epoch_started)
        sample = _due(epoch, options.sample_every, options.epochs)
        checkpoint = _due(epoch, options.checkpoint_every, options.epochs)
        if sample or checkpoint:
            finished = finished_generator(state, seed=options.seed)
        if sample:
            folder.save_samples(finished, sample_latents, epoch)
        if checkpoint:
            save_checkpoint(folder.checkpoint, state, epoch=epoch, config=config, options=options)
            training = summary | {
                "epochs": epoch,
                "options": options.to_dict(),
                "device": device.type,
                "seconds": round(time.perf_counter() - started, 1),
                "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
            }
            folder.export(finished, epoch, training=training, crop=options.crop)
        progress.update(epoch, means)
    progress.close()
    return folder.generator


def resolve_device(choice: str) -> torch.device:
    """ "auto" -> CUDA when available, else CPU; "cuda" without a GPU is a ConfigError."""
    if choice == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda was asked for, but torch sees no CUDA device")
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(choice)


def build_state(
    config: GeneratorConfig, options: TrainOptions, device: torch.device
) -> tuple[TrainingState, DiffAugment]:
    """The run's networks (its architecture's torch entry), optimisers, random generators,
    EMA copy and regularisers, and the augmentation every image D sees goes through."""
    networks = torch_architecture(config.arch)
    generator = networks.generator(config).to(device)
    discriminator = networks.discriminator(
        grid=config.grid,
        channels=options.d_channels,
        minibatch_std=options.minibatch_std,
        norm=options.d_norm,
        residual=options.d_residual,
        image_channels=config.channels,
    ).to(device)
    ema = GeneratorEMA(generator, decay=options.ema) if options.ema else None
    augment = DiffAugment(options.augment, translation_ratio=options.translation_ratio)
    extras: dict = {}
    if options.lecam:
        extras["lecam"] = LeCam(weight=options.lecam)
    if options.ada_target:
        extras["ada"] = AdaptiveProbability(augment, target=options.ada_target)
    betas = (options.beta1, ADAM_BETA2)
    state = TrainingState(
        generator=generator,
        discriminator=discriminator,
        optimizer_g=torch.optim.Adam(generator.parameters(), lr=options.lr, betas=betas),
        optimizer_d=torch.optim.Adam(discriminator.parameters(), lr=options.lr, betas=betas),
        shuffle_rng=torch.Generator().manual_seed(options.seed),
        noise_rng=torch.Generator(device=device).manual_seed(options.seed + 1),
        ema=ema,
        extras=extras,
    )
    return state, augment


def train_epoch(state: TrainingState, augment: DiffAugment, real: torch.Tensor, options: TrainOptions) -> dict:
    """One pass over `real` (N, C, grid, grid) in shuffled batches; returns each loss's mean
    over the batches and the augmentation probability at the end."""
    totals: dict[str, float] = {}
    batches = 0
    order = torch.randperm(len(real), generator=state.shuffle_rng).to(real.device)
    for step, begin in enumerate(range(0, len(order), options.batch_size)):
        batch = real[order[begin : begin + options.batch_size]]
        if options.flip:
            flip = torch.rand(len(batch), generator=state.noise_rng, device=batch.device) < 0.5
            batch = torch.where(flip[:, None, None, None], batch.flip(-1), batch)
        lazy_r1 = options.r1 * options.r1_every if options.r1 and step % options.r1_every == 0 else 0.0
        losses = train_step(
            state.generator,
            state.discriminator,
            state.optimizer_g,
            state.optimizer_d,
            batch,
            state.noise_rng,
            loss=options.loss,
            augment=augment,
            r1=lazy_r1,
            lecam=state.extras.get("lecam"),
        )
        if "ada" in state.extras:
            state.extras["ada"].observe(losses["real_sign"], len(batch))
        if state.ema:
            state.ema.update(state.generator)
        for name, value in losses.items():
            totals[name] = totals.get(name, 0.0) + value
        batches += 1
    return {name: total / batches for name, total in totals.items()} | {"augment_p": augment.probability}


def set_learning_rate(state: TrainingState, lr: float) -> None:
    """Give both optimisers `lr` (recomputed from the epoch each time, so a resumed run
    follows the same schedule as one that never stopped)."""
    for optimizer in (state.optimizer_g, state.optimizer_d):
        for group in optimizer.param_groups:
            group["lr"] = lr


def finished_generator(state: TrainingState, *, seed: int) -> nn.Module:
    """The generator to sample and export: the EMA copy, its batch-norm statistics re-measured
    on latents of `seed`, or the live generator when there is no EMA."""
    if not state.ema:
        return state.generator
    device = next(state.generator.parameters()).device
    recalibrate_batch_norm(state.ema.generator, rng=torch.Generator(device=device).manual_seed(seed))
    return state.ema.generator


def _channels_first(grids: torch.Tensor) -> torch.Tensor:
    """(N, H, W) grey or (N, H, W, C) colour grids -> (N, C, H, W), as the networks take them."""
    return grids.unsqueeze(1) if grids.dim() == 3 else grids.permute(0, 3, 1, 2).contiguous()


def _due(epoch: int, every: int, last: int) -> bool:
    """Whether a cadence of `every` epochs (0: only at the end) falls on `epoch`."""
    return epoch == last or bool(every and epoch % every == 0)

"""The training loop: a GAN on cached pixel grids, as dcgan's two blocks.

    generator_path = train(dataset.grids, GeneratorConfig(), TrainOptions(epochs=300),
                           run_dir=Path("runs/celebrity"), summary=dataset.summary())

A run folder holds `losses.csv` (one row per epoch), `samples/epoch-NNNN.png` (64 faces
from the fixed latents of seeds 0..63, the same ones `/grid?seed=0&n=64` shows),
`checkpoint.pt` (resumable) and `generator.safetensors` (what serving loads), rewritten at
every checkpoint and at the end.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.inference import latents_from_seeds, to_uint8
from pixelgan.model.networks import torch_architecture
from pixelgan.model.sheet import contact_sheet, upscale
from pixelgan.training.augment import AdaptiveProbability, DiffAugment
from pixelgan.training.checkpoint import TrainingState, load_checkpoint, save_checkpoint
from pixelgan.training.ema import GeneratorEMA, recalibrate_batch_norm
from pixelgan.training.export import export_generator
from pixelgan.training.lecam import LeCam
from pixelgan.training.options import TrainOptions
from pixelgan.training.progress import Progress
from torch import nn
from torch.nn.functional import binary_cross_entropy_with_logits as bce
from torch.nn.functional import relu

SAMPLE_SEEDS = range(64)
LOSS_COLUMNS = ("epoch", "loss_d", "loss_g", "d_real", "d_fake", "real_sign", "augment_p", "seconds")


def resolve_device(choice: str) -> torch.device:
    """ "auto" -> CUDA when available, else CPU; "cuda" without a GPU is an error."""
    if choice == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda was asked for, but torch sees no CUDA device")
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(choice)


def train_step(
    generator: nn.Module,
    discriminator: nn.Module,
    optimizer_g: torch.optim.Optimizer,
    optimizer_d: torch.optim.Optimizer,
    real: torch.Tensor,
    rng: torch.Generator,
    *,
    loss: str = "ns",
    augment: DiffAugment | None = None,
    r1: float = 0.0,
    lecam: LeCam | None = None,
) -> dict[str, float]:
    """One GAN update on a batch of real images (B, 1, grid, grid) in [-1, 1]; returns losses.

    loss "ns": the post's BCE, i.e. the logistic loss with the non-saturating generator
    term; "hinge": D pushes real logits above 1 and fake below -1, G raises fake logits.
    `augment` (DiffAugment) is applied to every image D sees, real or fake, in both blocks.
    `r1` > 0 adds a separate D step on the R1 penalty, r1 / 2 * E|grad_x D(x)|^2 on the real
    images (the caller scales gamma by the steps between penalties: lazy regularisation).
    `lecam` adds its penalty to D's loss. "real_sign" is the mean sign of D's real logits
    (ADA's overfitting signal).
    """
    batch = real.shape[0]
    latents = torch.randn(batch, generator.config.latent_dim, generator=rng, device=real.device)
    fake = generator(latents)

    def judge(images: torch.Tensor) -> torch.Tensor:
        return discriminator(augment(images, rng) if augment else images)

    # (1) discriminator: real -> 1, fake.detach() -> 0
    logits_real = judge(real)
    logits_fake = judge(fake.detach())
    if loss == "hinge":
        loss_d = relu(1 - logits_real).mean() + relu(1 + logits_fake).mean()
    else:
        loss_d = bce(logits_real, torch.ones_like(logits_real)) + bce(logits_fake, torch.zeros_like(logits_fake))
    if lecam:
        loss_d = loss_d + lecam.penalty(logits_real, logits_fake)
    optimizer_d.zero_grad(set_to_none=True)
    loss_d.backward()
    optimizer_d.step()
    if r1:
        _r1_step(judge, optimizer_d, real, r1)

    # (2) generator: make the discriminator say 1 for the same fakes
    logits_g = judge(fake)
    loss_g = -logits_g.mean() if loss == "hinge" else bce(logits_g, torch.ones_like(logits_g))
    optimizer_g.zero_grad(set_to_none=True)
    loss_g.backward()
    optimizer_g.step()

    return {
        "loss_d": loss_d.item(),
        "loss_g": loss_g.item(),
        "d_real": torch.sigmoid(logits_real).mean().item(),
        "d_fake": torch.sigmoid(logits_fake).mean().item(),
        "real_sign": torch.sign(logits_real.detach()).mean().item(),
    }


def _r1_step(
    judge: Callable[[torch.Tensor], torch.Tensor], optimizer_d: torch.optim.Optimizer, real: torch.Tensor, gamma: float
) -> None:
    """(1b) discriminator: flatten its surface at the real images (R1, Mescheder et al. 2018)."""
    real = real.detach().requires_grad_(True)
    (gradient,) = torch.autograd.grad(judge(real).sum(), real, create_graph=True)
    penalty = gradient.square().sum(dim=(1, 2, 3)).mean()
    optimizer_d.zero_grad(set_to_none=True)
    (gamma / 2 * penalty).backward()
    optimizer_d.step()


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
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(options.seed)
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
    augment = DiffAugment(options.augment)
    extras: dict = {}
    if options.lecam:
        extras["lecam"] = LeCam(weight=options.lecam)
    if options.ada_target:
        extras["ada"] = AdaptiveProbability(augment, target=options.ada_target)
    betas = (options.beta1, 0.999)
    optimizer_g = torch.optim.Adam(generator.parameters(), lr=options.lr, betas=betas)
    optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=options.lr, betas=betas)
    shuffle_rng = torch.Generator().manual_seed(options.seed)
    noise_rng = torch.Generator(device=device).manual_seed(options.seed + 1)
    # The data in [-1, 1], the range of the generator's Tanh.
    real_all = _channels_first(torch.from_numpy(grids)).to(device).mul(2).sub(1)  # (N, channels, grid, grid)

    state = TrainingState(generator, discriminator, optimizer_g, optimizer_d, shuffle_rng, noise_rng, ema, extras)
    checkpoint_path = run_dir / "checkpoint.pt"
    start_epoch = 0
    if resume and checkpoint_path.exists():
        start_epoch = load_checkpoint(checkpoint_path, state, config=config, options=options)
    fixed_latents = torch.from_numpy(latents_from_seeds(SAMPLE_SEEDS, config.latent_dim)).to(device)
    losses_path = run_dir / "losses.csv"
    if start_epoch == 0 or not losses_path.exists():
        losses_path.write_text(",".join(LOSS_COLUMNS) + "\n")
    generator_path = run_dir / "generator.safetensors"
    started = time.perf_counter()
    progress = Progress(total=options.epochs, start=start_epoch, enabled=show_progress)

    def finished_generator() -> nn.Module:
        """The generator to sample and export: the EMA copy, its BN statistics re-measured."""
        if not ema:
            return generator
        recalibrate_batch_norm(ema.generator, rng=torch.Generator(device=device).manual_seed(options.seed))
        return ema.generator

    def finish_epoch(epoch: int) -> None:
        is_last = epoch == options.epochs
        sample = is_last or (options.sample_every and epoch % options.sample_every == 0)
        checkpoint = is_last or (options.checkpoint_every and epoch % options.checkpoint_every == 0)
        if sample or checkpoint:
            finished = finished_generator()
        if sample:
            _save_samples(finished, fixed_latents, run_dir / "samples" / f"epoch-{epoch:04d}.png")
        if checkpoint:
            save_checkpoint(checkpoint_path, state, epoch=epoch, config=config, options=options)
            training = summary | {
                "epochs": epoch,
                "options": options.to_dict(),
                "device": device.type,
                "seconds": round(time.perf_counter() - started, 1),
                "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
            }
            export_generator(finished, generator_path, training=training, crop=options.crop)
            # Every exported snapshot is kept, so one can be chosen afterwards (by faceness).
            snapshot = run_dir / "snapshots" / f"epoch-{epoch:04d}.safetensors"
            snapshot.parent.mkdir(exist_ok=True)
            shutil.copyfile(generator_path, snapshot)

    for epoch in range(start_epoch + 1, options.epochs + 1):
        epoch_started = time.perf_counter()
        totals: dict[str, float] = {}
        batches = 0
        order = torch.randperm(len(real_all), generator=shuffle_rng).to(device)
        for step, begin in enumerate(range(0, len(order), options.batch_size)):
            real = real_all[order[begin : begin + options.batch_size]]
            if options.flip:
                flip = torch.rand(len(real), generator=noise_rng, device=device) < 0.5
                real = torch.where(flip[:, None, None, None], real.flip(-1), real)
            lazy_r1 = options.r1 * options.r1_every if options.r1 and step % options.r1_every == 0 else 0.0
            losses = train_step(
                generator,
                discriminator,
                optimizer_g,
                optimizer_d,
                real,
                noise_rng,
                loss=options.loss,
                augment=augment,
                r1=lazy_r1,
                lecam=extras.get("lecam"),
            )
            if "ada" in extras:
                extras["ada"].observe(losses["real_sign"], len(real))
            if ema:
                ema.update(generator)
            for name, value in losses.items():
                totals[name] = totals.get(name, 0.0) + value
            batches += 1
        means = {name: total / batches for name, total in totals.items()} | {"augment_p": augment.probability}
        with losses_path.open("a", newline="") as out:
            row = [epoch, *(f"{means[name]:.5f}" for name in LOSS_COLUMNS[1:-1])]
            csv.writer(out).writerow([*row, f"{time.perf_counter() - epoch_started:.3f}"])
        finish_epoch(epoch)
        progress.update(epoch, means)
    progress.close()
    return generator_path


@torch.no_grad()
def _save_samples(generator: nn.Module, latents: torch.Tensor, path: Path) -> None:
    """An 8x8 sheet of the faces for the fixed latents, each pixel 4x4."""
    was_training = generator.training
    generator.eval()
    faces = to_uint8(_channels_last(generator(latents)).cpu().numpy())
    generator.train(was_training)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(upscale(contact_sheet(faces, columns=8), 4)).save(path)


def _channels_first(grids: torch.Tensor) -> torch.Tensor:
    """(N, H, W) grey or (N, H, W, C) colour grids -> (N, C, H, W), as the networks take them."""
    return grids.unsqueeze(1) if grids.dim() == 3 else grids.permute(0, 3, 1, 2).contiguous()


def _channels_last(images: torch.Tensor) -> torch.Tensor:
    """The networks' (N, C, H, W) -> (N, H, W) grey or (N, H, W, C) colour, as grids are kept."""
    return images.squeeze(1) if images.shape[1] == 1 else images.permute(0, 2, 3, 1)

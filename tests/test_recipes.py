"""Recipes: `pixelgan train` with no flags trains the default recipe; flags override one setting."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.generator_file import load_generator_file
from pixelgan.training.options import TrainOptions
from pixelgan.training.recipes import DEFAULT_RECIPE, RECIPES

from pixelgan.cli import main


@pytest.mark.parametrize("name", RECIPES)
def test_every_recipe_builds_its_config_and_options(name: str) -> None:
    recipe = RECIPES[name]
    config, options = GeneratorConfig(**recipe.config), TrainOptions(**recipe.options)
    assert {key: getattr(config, key) for key in recipe.config} == recipe.config
    assert {key: getattr(options, key) for key in recipe.options} == recipe.options


def recorded(run: Path) -> tuple[GeneratorConfig, dict, dict]:
    loaded = load_generator_file(run / "generator.safetensors")
    return loaded.config, loaded.metadata["training"]["options"], loaded.metadata["training"]


def test_train_without_flags_trains_the_default_recipe(tmp_path: Path) -> None:
    assert main(["train", "--dry-run", "--out", str(tmp_path / "run"), "--sample-every", "0"]) == 0
    config, options, training = recorded(tmp_path / "run")
    recipe = RECIPES[DEFAULT_RECIPE]
    assert config == GeneratorConfig(**recipe.config)
    expected = TrainOptions(**recipe.options | {"epochs": 2, "crop": "center", "sample_every": 0}).to_dict()
    assert options == expected  # the whole recipe is in the file
    assert training["recipe"] == DEFAULT_RECIPE


def test_a_flag_overrides_one_setting_of_the_recipe(tmp_path: Path) -> None:
    command = ["train", "--dry-run", "--out", str(tmp_path / "run"), "--recipe", "face-v1", "--no-flip", "--r1", "0.5"]
    assert main(command) == 0
    config, options, training = recorded(tmp_path / "run")
    assert (options["flip"], options["r1"], options["ema"]) == (False, 0.5, RECIPES["face-v1"].options["ema"])
    assert config.hidden == RECIPES["face-v1"].config["hidden"]
    assert training["recipe"] == "face-v1"


def test_the_post_recipe_trains_the_posts_mlp(tmp_path: Path) -> None:
    assert main(["train", "--dry-run", "--out", str(tmp_path / "run"), "--recipe", "post"]) == 0
    config, options, _ = recorded(tmp_path / "run")
    assert (config.arch, config.hidden, options["augment"], options["ema"]) == ("mlp", (128, 512), [], 0.0)


def test_face_v2_is_face_v1_plus_the_ablations_four_changes() -> None:
    from scripts.ablation import ARMS

    face, previous = RECIPES["face-v2"], RECIPES["face-v1"]
    changes = {"--d-norm": ("d_norm", "none"), "--lecam": ("lecam", 0.1), "--ada-target": ("ada_target", 0.6)}
    flags = ARMS["combined"][1]
    for flag, (field, value) in changes.items():
        assert flags[flags.index(flag) + 1] == str(value)
        assert face.options[field] == value
    assert flags[flags.index("--attention") + 1] == "20" and face.config == previous.config | {"attention": 20}
    cadence = {"epochs", "checkpoint_every", "sample_every"}
    settings = {key: value for key, value in face.options.items() if key not in cadence}
    assert settings == {key: value for key, value in previous.options.items() if key not in cadence} | {
        field: value for field, value in changes.values()
    }


def test_the_face_recipe_is_face_v2_with_the_long_ablations_1_cell_shifts() -> None:
    from scripts.long_ablation import FEATURES_KEPT, RECIPE

    face, previous = RECIPES["face"], RECIPES[RECIPE[RECIPE.index("--recipe") + 1]]
    flags = FEATURES_KEPT["translation-1-cell"][1]
    assert face.config == previous.config
    assert face.options == previous.options | {
        "translation_ratio": float(flags[flags.index("--translation-ratio") + 1])
    }


def test_the_late_ablation_starts_from_face_v2_as_its_run_was() -> None:
    from scripts.late_ablation import ARMS, BEFORE

    assert BEFORE[BEFORE.index("--recipe") + 1] == "face-v2"
    face = RECIPES["face-v2"].options
    assert BEFORE[BEFORE.index("--augment") + 1] == ",".join(face["augment"])
    assert int(BEFORE[BEFORE.index("--lr-decay") + 1]) == face.get("lr_decay", 0)
    assert ARMS["constant"][1](60) == [] and ARMS["decay"][1](60) == ["--lr-decay", "60"]


def test_each_long_ablation_arm_undoes_one_face_v2_change_to_face_v1s_value() -> None:
    from scripts.long_ablation import RECIPE, UNDONE

    assert RECIPE == ["--recipe", "face-v2"]
    face, previous = RECIPES["face-v2"], RECIPES["face-v1"]
    defaults = {field.name: field.default for field in [*fields(GeneratorConfig), *fields(TrainOptions)]}
    merged_face = defaults | face.config | face.options
    merged_previous = defaults | previous.config | previous.options
    assert UNDONE["face"][1] == []
    undone = set()
    for arm, (_, flags) in UNDONE.items():
        if not flags:
            continue
        assert len(flags) == 2, arm  # one flag, one value
        field = flags[0].removeprefix("--").replace("-", "_")
        assert flags[1] == str(merged_previous[field]).removesuffix(".0"), arm
        assert merged_face[field] != merged_previous[field], arm
        undone.add(field)
    assert undone == {"d_norm", "attention", "lecam", "ada_target"}


def test_each_held_back_arm_only_lowers_the_ada_target() -> None:
    from scripts.long_ablation import HELD_BACK

    for arm, (_, flags) in HELD_BACK.items():
        settings = dict(zip(flags[::2], flags[1::2], strict=True))
        assert 0 < float(settings.pop("--ada-target")) < RECIPES["face-v2"].options["ada_target"], arm
        assert set(settings) <= {"--seed"}, arm


def test_each_features_kept_arm_only_drops_augmentations_or_shortens_the_shifts() -> None:
    from scripts.long_ablation import FEATURES_KEPT

    recipe = set(RECIPES["face-v2"].options["augment"])
    for arm, (_, flags) in FEATURES_KEPT.items():
        settings = dict(zip(flags[::2], flags[1::2], strict=True))
        settings.pop("--seed", None)
        assert len(settings) == 1, arm
        if "--augment" in settings:
            assert set(settings["--augment"].split(",")) < recipe, arm
        else:
            assert 0 < float(settings["--translation-ratio"]) < TrainOptions().translation_ratio, arm

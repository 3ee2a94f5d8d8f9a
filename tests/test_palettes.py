"""Named palettes: CIELAB, nearest colours and dithers (`model.palettes`), and `palette=` on every
image route and command, with grey's bytes and ETags as they were before palettes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model.palettes import PALETTES, palette_rgb, reduce_colors, srgb_to_lab
from pixelgan.model.quantize import DITHERS

from pixelgan.cli import main
from tests.conftest import photo_bytes, write_generator
from tests.test_app_models import COLOR_CONFIG

COLOUR_PALETTES = [name for name in PALETTES if name != "grey"]


@pytest.fixture
def client(tmp_path: Path, post_generator_path: Path) -> Iterator[TestClient]:
    """A grey model (the post's shapes, the default) and a colour one, 'colour'."""
    (tmp_path / "colour").mkdir()
    write_generator(tmp_path / "colour" / "generator.safetensors", COLOR_CONFIG, 2)
    with TestClient(create_app(Settings(weights=f"{post_generator_path},{tmp_path / 'colour'}"))) as client:
        yield client


def colours(response) -> set[tuple[int, ...]]:
    """Distinct RGB colours of every frame of a PNG or GIF response."""
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    found = set()
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        found |= {tuple(colour) for colour in np.asarray(image.convert("RGB")).reshape(-1, 3)}
    return found


def palette_set(name: str) -> set[tuple[int, ...]]:
    return {tuple(int(value) for value in colour) for colour in palette_rgb(name)}


def test_srgb_to_lab_matches_reference_values() -> None:
    lab = srgb_to_lab(np.array([[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 0, 255], [128, 128, 128]], np.uint8))
    expected = [[100, 0, 0], [0, 0, 0], [53.24, 80.09, 67.20], [32.30, 79.19, -107.86], [53.59, 0, 0]]
    np.testing.assert_allclose(lab, expected, atol=0.02)


def test_colour_pixels_go_to_the_nearest_palette_colour_in_lab_not_rgb() -> None:
    rgb = np.random.default_rng(0).integers(0, 256, (1, 32, 32, 3), dtype=np.uint8)
    palette = palette_rgb("pico8")
    mapped = reduce_colors(rgb, palette="pico8", color=True)
    lab_nearest = ((srgb_to_lab(rgb)[..., None, :] - srgb_to_lab(palette)) ** 2).sum(-1).argmin(-1)
    rgb_nearest = ((rgb[..., None, :].astype(int) - palette.astype(int)) ** 2).sum(-1).argmin(-1)
    assert np.array_equal(mapped, palette[lab_nearest])
    assert not np.array_equal(mapped, palette[rgb_nearest])


def test_grey_maps_by_lightness_onto_the_palette_ramp() -> None:
    ramp = np.arange(256, dtype=np.uint8)[None, :]
    mapped = reduce_colors(ramp, palette="gameboy")
    lightness = srgb_to_lab(mapped)[..., 0].ravel()
    assert np.all(np.diff(lightness) >= 0)  # darker greys never get a lighter colour
    assert {tuple(mapped[0, 0]), tuple(mapped[0, -1])} == {(15, 56, 15), (155, 188, 15)}  # darkest, lightest


@pytest.mark.parametrize("dither", ["bayer4", "floyd"])
def test_dithers_mix_the_two_colours_around_a_grey(dither: str) -> None:
    flat = np.full((1, 16, 16), 128, dtype=np.uint8)
    assert len(np.unique(reduce_colors(flat, palette="gameboy", dither="none").reshape(-1, 3), axis=0)) == 1
    assert len(np.unique(reduce_colors(flat, palette="gameboy", dither=dither).reshape(-1, 3), axis=0)) == 2


@pytest.mark.parametrize("dither", DITHERS)
@pytest.mark.parametrize("model", [None, "colour"])
def test_gameboy_faces_have_at_most_its_four_colours(client: TestClient, dither: str, model: str | None) -> None:
    params = {"seed": 3, "palette": "gameboy", "dither": dither} | ({"model": model} if model else {})
    found = colours(client.get("/generate", params=params))
    assert found <= palette_set("gameboy")
    assert len(found) >= 2


@pytest.mark.parametrize("palette", COLOUR_PALETTES)
def test_every_route_draws_only_palette_colours(client: TestClient, palette: str) -> None:
    allowed = palette_set(palette)
    for path, params in (("/grid", {"seed": 1, "n": 4}), ("/morph", {"from": 1, "to": 2, "frames": 4})):
        assert colours(client.get(path, params={**params, "palette": palette, "dither": "floyd"})) <= allowed
    photo = client.post(
        "/pixelate", files={"file": ("p.png", photo_bytes())}, params={"palette": palette, "color": "true"}
    )
    assert colours(photo) <= allowed


def test_palette_png_is_rgb(client: TestClient) -> None:
    response = client.get("/generate", params={"seed": 1, "palette": "cga", "scale": 1})
    assert Image.open(io.BytesIO(response.content)).mode == "RGB"


def test_grey_palette_is_todays_bytes_and_etag(client: TestClient) -> None:
    before = client.get("/generate", params={"seed": 4, "levels": 4, "dither": "bayer2"})
    grey = client.get("/generate", params={"seed": 4, "levels": 4, "dither": "bayer2", "palette": "grey"})
    assert grey.content == before.content
    assert grey.headers["etag"] == before.headers["etag"]
    assert "gameboy" in client.get("/generate", params={"seed": 4, "palette": "gameboy"}).headers["etag"]


@pytest.mark.parametrize(
    ("path", "params"),
    [("/generate", {"seed": 1}), ("/grid", {"seed": 1}), ("/morph", {"from": 1, "to": 2, "frames": 4})],
)
def test_levels_with_a_colour_palette_is_422(client: TestClient, path: str, params: dict) -> None:
    response = client.get(path, params={**params, "palette": "pico8", "levels": 4})
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_parameter",
        "detail": "levels sets evenly spaced greys and goes with palette=grey only; leave it out with palette=pico8",
    }


def test_unknown_palette_is_422_naming_the_palettes(client: TestClient) -> None:
    response = client.get("/generate", params={"palette": "vga"})
    assert response.status_code == 422
    assert "palette (query) must be one of grey, gameboy, pico8, cga, sepia" in response.json()["detail"]


def test_cli_palette_writes_the_service_bytes(client: TestClient, post_generator_path: Path, tmp_path: Path) -> None:
    face = tmp_path / "face.png"
    command = ["generate", "--weights", str(post_generator_path), "--seed", "5", "-o", str(face)]
    assert main([*command, "--palette", "sepia", "--dither", "bayer2"]) == 0
    expected = client.get("/generate", params={"seed": 5, "palette": "sepia", "dither": "bayer2"}).content
    assert face.read_bytes() == expected

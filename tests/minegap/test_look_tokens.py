"""The design tokens of static/css/minegap.css: the spacing scale is the one documented, and the
colour pairs the components use meet WCAG AA (text 4.5:1, focus ring and field borders 3:1)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "minegap.css").read_text()


def root_tokens() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS, re.S).group(1)
    root = re.sub(r"/\*.*?\*/", "", root, flags=re.S)
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", root))


TOKENS = root_tokens()


def luminance(hex_colour: str) -> float:
    """Relative luminance as WCAG 2.x defines it."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_gives_the_known_ratios():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


def test_spacing_scale_is_4_8_12_16_24_32_48_pixels():
    scale = [TOKENS[f"space-{step}"] for step in range(1, 8)]

    assert scale == ["0.25rem", "0.5rem", "0.75rem", "1rem", "1.5rem", "2rem", "3rem"]


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("text", "bg"),
        ("text", "bg-page"),
        ("text", "bg-soft"),
        ("text", "primary-soft"),
        ("muted", "bg"),
        ("muted", "bg-page"),
        ("muted", "bg-soft"),
        ("muted", "bg-zebra"),
        ("primary", "bg"),
        ("primary", "bg-page"),
        ("primary", "bg-soft"),
        ("primary", "primary-soft"),
        ("on-primary", "primary"),
        ("on-primary", "primary-hover"),
        ("on-primary", "danger"),
        ("danger", "bg"),
        ("danger", "bad-bg"),
        ("ok-fg", "ok-bg"),
        ("warn-fg", "warn-bg"),
        ("bad-fg", "bad-bg"),
        ("info-fg", "info-bg"),
    ],
)
def test_text_colours_reach_4_5_to_1_on_their_backgrounds(foreground, background):
    assert contrast(TOKENS[foreground], TOKENS[background]) >= 4.5


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("focus", "bg"),
        ("focus", "bg-page"),
        ("focus-on-dark", "primary"),
        ("border-strong", "bg"),
        ("border-strong", "bg-soft"),
    ],
)
def test_focus_ring_and_field_borders_reach_3_to_1(foreground, background):
    assert contrast(TOKENS[foreground], TOKENS[background]) >= 3


def test_components_take_their_colours_from_the_tokens():
    """Outside :root, a colour is a token (or white/black in print): no stray hex values that
    would escape the contrast checks above."""
    body = CSS.split(":root", 1)[1].split("}", 1)[1]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    body = body.split("@media print", 1)[0]

    stray = sorted(set(re.findall(r"#[0-9a-fA-F]{3,6}\b", body)) - {"#fff"})
    assert stray == []

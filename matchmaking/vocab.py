"""Controlled vocabularies of partner profiles: value-chain stages, sectors, critical raw materials.

The ORDER of each enum is part of the data: multi-valued facets are stored as bit sets
(`matchmaking.fields.FlagSetField`), bit *n* being the *n*-th member. Append new members at the
end; never reorder or remove one without a data migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Value-chain stages, in the order of the chain (adjacency is used by recommendations)."""

    EXPLORATION = "exploration", _("Exploration")
    EXTRACTION = "extraction", _("Extraction")
    PROCESSING = "processing", _("Processing")
    REFINING = "refining", _("Refining")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RECYCLING = "recycling", _("Recycling")
    REMEDIATION = "remediation", _("Remediation / closure")


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


def adjacent_stages(stage: str) -> set[str]:
    """The stages right before and right after `stage` in the value chain."""
    index = STAGE_ORDER.index(stage)
    return {STAGE_ORDER[i] for i in (index - 1, index + 1) if 0 <= i < len(STAGE_ORDER)}


class Sector(models.TextChoices):
    ICT = "ict", _("ICT")
    CIRCULAR_ECONOMY = "circular_economy", _("Circular economy")
    RESOURCE_EFFICIENCY = "resource_efficiency", _("Resource efficiency")
    ADVANCED_MANUFACTURING = "advanced_manufacturing", _("Advanced manufacturing")
    MINING_SERVICES = "mining_services", _("Mining services")


class RawMaterial(models.TextChoices):
    """The 34 critical raw materials of Annex II of the Critical Raw Materials Act (2024/1252)."""

    ANTIMONY = "antimony", _("Antimony")
    ARSENIC = "arsenic", _("Arsenic")
    BAUXITE = "bauxite", _("Bauxite / alumina / aluminium")
    BARYTE = "baryte", _("Baryte")
    BERYLLIUM = "beryllium", _("Beryllium")
    BISMUTH = "bismuth", _("Bismuth")
    BORON = "boron", _("Boron")
    COBALT = "cobalt", _("Cobalt")
    COKING_COAL = "coking_coal", _("Coking coal")
    COPPER = "copper", _("Copper")
    FELDSPAR = "feldspar", _("Feldspar")
    FLUORSPAR = "fluorspar", _("Fluorspar")
    GALLIUM = "gallium", _("Gallium")
    GERMANIUM = "germanium", _("Germanium")
    HAFNIUM = "hafnium", _("Hafnium")
    HELIUM = "helium", _("Helium")
    HEAVY_REE = "heavy_ree", _("Heavy rare earth elements")
    LIGHT_REE = "light_ree", _("Light rare earth elements")
    LITHIUM = "lithium", _("Lithium")
    MAGNESIUM = "magnesium", _("Magnesium")
    MANGANESE = "manganese", _("Manganese")
    GRAPHITE = "graphite", _("Natural graphite")
    NICKEL = "nickel", _("Nickel")
    NIOBIUM = "niobium", _("Niobium")
    PHOSPHATE_ROCK = "phosphate_rock", _("Phosphate rock")
    PHOSPHORUS = "phosphorus", _("Phosphorus")
    PGM = "pgm", _("Platinum group metals")
    SCANDIUM = "scandium", _("Scandium")
    SILICON_METAL = "silicon_metal", _("Silicon metal")
    STRONTIUM = "strontium", _("Strontium")
    TANTALUM = "tantalum", _("Tantalum")
    TITANIUM_METAL = "titanium_metal", _("Titanium metal")
    TUNGSTEN = "tungsten", _("Tungsten")
    VANADIUM = "vanadium", _("Vanadium")


# The 17 strategic raw materials of Annex I (section 1) and the critical raw materials they belong to.
# "Rare earth elements for magnets" (Nd, Pr, Tb, Dy, Gd, Sm, Ce) spans both rare-earth groups.
STRATEGIC_RAW_MATERIALS: dict[str, tuple[str, ...]] = {
    "bauxite": (RawMaterial.BAUXITE,),
    "bismuth": (RawMaterial.BISMUTH,),
    "boron_metallurgy": (RawMaterial.BORON,),
    "cobalt": (RawMaterial.COBALT,),
    "copper": (RawMaterial.COPPER,),
    "gallium": (RawMaterial.GALLIUM,),
    "germanium": (RawMaterial.GERMANIUM,),
    "lithium_battery": (RawMaterial.LITHIUM,),
    "magnesium_metal": (RawMaterial.MAGNESIUM,),
    "manganese_battery": (RawMaterial.MANGANESE,),
    "graphite_battery": (RawMaterial.GRAPHITE,),
    "nickel_battery": (RawMaterial.NICKEL,),
    "pgm": (RawMaterial.PGM,),
    "ree_magnets": (RawMaterial.HEAVY_REE, RawMaterial.LIGHT_REE),
    "silicon_metal": (RawMaterial.SILICON_METAL,),
    "titanium_metal": (RawMaterial.TITANIUM_METAL,),
    "tungsten": (RawMaterial.TUNGSTEN,),
}
STRATEGIC_CODES: frozenset[str] = frozenset(
    code for codes in STRATEGIC_RAW_MATERIALS.values() for code in codes
)


def is_strategic(code: str) -> bool:
    return code in STRATEGIC_CODES


class Role(models.TextChoices):
    """What an organisation brings to a consortium (adopter of a technology, or its provider)."""

    ADOPTER = "adopter", _("Adopter")
    PROVIDER = "provider", _("Provider")
    BOTH = "both", _("Adopter and provider")


# Technology readiness levels 1-9 (the label is the same in every language).
TRL_CHOICES = [(level, f"TRL {level}") for level in range(1, 10)]

# Languages a profile may say it works in (ISO 639-1), the EU's official languages.
LANGUAGES: dict[str, str] = {
    "bg": _("Bulgarian"),
    "cs": _("Czech"),
    "da": _("Danish"),
    "de": _("German"),
    "el": _("Greek"),
    "en": _("English"),
    "es": _("Spanish"),
    "et": _("Estonian"),
    "fi": _("Finnish"),
    "fr": _("French"),
    "ga": _("Irish"),
    "hr": _("Croatian"),
    "hu": _("Hungarian"),
    "it": _("Italian"),
    "lt": _("Lithuanian"),
    "lv": _("Latvian"),
    "mt": _("Maltese"),
    "nl": _("Dutch"),
    "pl": _("Polish"),
    "pt": _("Portuguese"),
    "ro": _("Romanian"),
    "sk": _("Slovak"),
    "sl": _("Slovenian"),
    "sv": _("Swedish"),
}
LANGUAGE_CHOICES = sorted(LANGUAGES.items(), key=lambda item: str(item[1]))

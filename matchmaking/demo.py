"""Demo partner profiles (idempotent): `python manage.py seed_demo` calls `seed`.

Every demo organisation of `accounts.demo_data` gets a published profile: adopters in the mining
regions, providers in ICT, circular economy, resource efficiency and advanced manufacturing.
An organisation that already has a profile is left alone, so a second run changes nothing.
"""

from accounts.demo_data import DEMO_ORGANISATIONS
from accounts.models import Membership, Organisation
from accounts.validators import normalise_vat
from matchmaking import services
from matchmaking.models import PartnerProfile


def _item(title: str, description: str) -> dict[str, str]:
    return {"title": title, "description": description}


# short name -> profile values (role and sector follow accounts.demo_data).
PROFILES: dict[str, dict] = {
    "LOA": {
        "summary": "Gold and copper exploration in Central Lapland, with a drilling programme "
        "of 20 km a year and a core shed in Sodankylä.",
        "expertise": "Greenfield exploration, drill-core logging, Arctic field logistics.",
        "requests": [
            _item("Ore grade prediction", "Machine learning on drill-core images and assays."),
            _item(
                "Low-impact drilling sensors",
                "Monitoring of water and noise near reindeer pastures.",
            ),
        ],
        "stages": ["exploration", "extraction"],
        "raw_materials": ["copper", "pgm"],
        "keywords": ["drill core", "exploration", "arctic", "ore grade"],
        "trl": 6,
        "languages": ["fi", "en", "sv"],
    },
    "KNP": {
        "summary": "Bioleaching of nickel and cobalt from low-grade ore at our heap in Kainuu.",
        "expertise": "Heap bioleaching, hydrometallurgy, water treatment.",
        "requests": [
            _item("Wireless heap monitoring", "Temperature and oxygen sensors inside the heap."),
            _item("Digital twin of the heap", "Predict metal recovery from sensor data."),
        ],
        "stages": ["processing", "refining"],
        "raw_materials": ["nickel", "cobalt", "manganese"],
        "keywords": ["bioleaching", "battery metals", "sensor networks", "water treatment"],
        "trl": 7,
        "languages": ["fi", "en"],
    },
    "NIT": {
        "summary": "Reprocessing of iron-ore tailings near Kiruna and Gällivare to recover "
        "apatite and rare earths.",
        "expertise": "Tailings characterisation, magnetic separation, flotation.",
        "requests": [
            _item("Tailings valorisation", "Turn the remaining fine tailings into products."),
        ],
        "stages": ["processing", "remediation"],
        "raw_materials": ["phosphate_rock", "light_ree", "heavy_ree"],
        "keywords": ["tailings", "rare earths", "apatite", "circular economy"],
        "trl": 5,
        "languages": ["sv", "en"],
    },
    "VGR": {
        "summary": "Gold and zinc concentrator in the Skellefteå field, looking to cut energy "
        "use in grinding.",
        "expertise": "Comminution, flotation, concentrator operations.",
        "requests": [
            _item("Energy-efficient grinding", "Audit and optimise our mills."),
            _item("Wear parts", "Longer-lasting mill liners."),
        ],
        "stages": ["processing"],
        "raw_materials": ["copper"],
        "keywords": ["grinding", "energy efficiency", "flotation", "wear parts"],
        "trl": 7,
        "languages": ["sv", "en"],
    },
    "MCT": {
        "summary": "Tungsten and tin mining in Salamanca and Zamora, open pit and underground.",
        "expertise": "Scheelite and wolframite processing, gravity concentration.",
        "requests": [
            _item("Drone surveying of the pit", "Weekly volumes and slope stability."),
        ],
        "stages": ["extraction", "processing"],
        "raw_materials": ["tungsten"],
        "keywords": ["tungsten", "open pit", "slope stability", "digital twin"],
        "trl": 6,
        "languages": ["es", "en", "pt"],
    },
    "AFM": {
        "summary": "Underground fluorspar and barite mine in Asturias, with its own "
        "concentration plant.",
        "expertise": "Underground mining, dense-media separation.",
        "requests": [
            _item("Underground connectivity", "Sensor networks where there is no GPS."),
        ],
        "stages": ["extraction", "processing"],
        "raw_materials": ["fluorspar", "baryte"],
        "keywords": ["underground", "fluorspar", "sensor networks", "safety"],
        "trl": 6,
        "languages": ["es", "en"],
    },
    "FPA": {
        "summary": "Copper and zinc from the Iberian Pyrite Belt; we want to recover metals from "
        "historic waste.",
        "expertise": "Polymetallic sulphides, acid mine drainage treatment.",
        "requests": [
            _item("Metal recovery from old tailings", "Including acid mine drainage."),
        ],
        "stages": ["extraction", "remediation"],
        "raw_materials": ["copper", "antimony", "bismuth"],
        "keywords": ["tailings", "acid mine drainage", "copper", "circular economy"],
        "trl": 5,
        "languages": ["es", "en"],
    },
    "BLM": {
        "summary": "Lithium pegmatite exploration in the Centro region, preparing a pilot "
        "concentrator.",
        "expertise": "Pegmatite geology, spodumene beneficiation.",
        "requests": [
            _item("Ore sorting", "Sensor-based sorting of spodumene."),
            _item("Community monitoring", "Open environmental data for neighbours."),
        ],
        "stages": ["exploration", "processing"],
        "raw_materials": ["lithium"],
        "keywords": ["lithium", "ore sorting", "pegmatite", "battery metals"],
        "trl": 5,
        "languages": ["pt", "en", "es"],
    },
    "SBO": {
        "summary": "Bauxite mining in Fokida and Viotia; we look for uses of our red mud and "
        "for cleaner haulage.",
        "expertise": "Underground bauxite mining, haulage, rehabilitation.",
        "requests": [
            _item("Red mud valorisation", "Construction materials or metal recovery."),
        ],
        "stages": ["extraction", "remediation"],
        "raw_materials": ["bauxite", "gallium", "light_ree"],
        "keywords": ["bauxite", "red mud", "construction materials", "rehabilitation"],
        "trl": 6,
        "languages": ["el", "en"],
    },
    "OSN": {
        "summary": "Wireless sensor networks and edge analytics that keep working underground, "
        "in heaps and in the Arctic winter.",
        "expertise": "Low-power radio, ruggedised sensors, edge machine learning.",
        "offers": [
            _item("Sensor networks", "Mesh radio underground, 5-year batteries."),
            _item("Edge analytics", "Anomaly detection on the device."),
        ],
        "stages": ["extraction", "processing"],
        "sectors": ["ict"],
        "raw_materials": ["nickel", "cobalt", "copper"],
        "keywords": ["sensor networks", "iot", "edge computing", "underground"],
        "trl": 7,
        "languages": ["fi", "en"],
    },
    "CTT": {
        "summary": "We turn mine tailings and red mud into bricks, aggregates and geopolymer "
        "binders.",
        "expertise": "Geopolymers, tailings characterisation, construction product approval.",
        "offers": [
            _item("Tailings to building materials", "Geopolymer bricks and aggregates."),
        ],
        "stages": ["recycling", "remediation"],
        "sectors": ["circular_economy"],
        "raw_materials": ["bauxite", "light_ree"],
        "keywords": ["tailings", "red mud", "circular economy", "construction materials"],
        "trl": 6,
        "languages": ["de", "en"],
    },
    "SAM": {
        "summary": "Additive manufacturing of wear parts for crushers and mills, with hardfacing "
        "alloys that last longer.",
        "expertise": "Laser metal deposition, wear testing, tungsten carbide composites.",
        "offers": [
            _item("3D-printed wear parts", "Mill liners and crusher teeth."),
        ],
        "stages": ["manufacturing", "processing"],
        "sectors": ["advanced_manufacturing"],
        "raw_materials": ["tungsten", "cobalt"],
        "keywords": ["wear parts", "additive manufacturing", "grinding"],
        "trl": 7,
        "languages": ["pl", "en", "de"],
    },
    "LRE": {
        "summary": "Energy and water efficiency audits for processing plants, with measured "
        "savings.",
        "expertise": "Energy audits, ISO 50001, water balances.",
        "offers": [
            _item("Energy-efficient grinding", "Audit of mills and flotation."),
            _item("Water balance", "Closing the water loop of a concentrator."),
        ],
        "stages": ["processing", "refining"],
        "sectors": ["resource_efficiency"],
        "raw_materials": ["copper", "nickel"],
        "keywords": ["energy efficiency", "water treatment", "grinding"],
        "trl": 8,
        "languages": ["fr", "en", "es"],
    },
    "PDT": {
        "summary": "Digital twins of mines and plants built from drone photogrammetry and LiDAR.",
        "expertise": "Photogrammetry, LiDAR, 3D reconstruction, slope monitoring.",
        "offers": [
            _item("Drone surveying", "Weekly volumes and stockpiles."),
            _item("Digital twin", "3D model updated from every flight."),
        ],
        "stages": ["exploration", "extraction"],
        "sectors": ["ict"],
        "raw_materials": ["lithium", "tungsten"],
        "keywords": ["digital twin", "drones", "lidar", "slope stability"],
        "trl": 7,
        "languages": ["pt", "en", "es"],
    },
    "SMD": {
        "summary": "Machine-learning ore grade prediction from drill-core images and assays.",
        "expertise": "Computer vision, geostatistics, cloud pipelines.",
        "offers": [
            _item("Ore grade prediction", "From core photos to grade logs in hours."),
        ],
        "stages": ["exploration"],
        "sectors": ["ict"],
        "raw_materials": ["copper", "lithium", "pgm"],
        "keywords": ["ore grade", "machine learning", "drill core", "exploration"],
        "trl": 6,
        "languages": ["bg", "en"],
    },
}


def seed(stdout) -> None:
    created = 0
    for legal_name, short, country, _nuts, vat, role, sector, *_rest in DEMO_ORGANISATIONS:
        values = PROFILES.get(short)
        number = normalise_vat(country=country, vat_number=vat)
        organisation = Organisation.objects.filter(country=country, vat_number=number).first()
        if values is None or organisation is None:
            continue
        if PartnerProfile.objects.filter(organisation=organisation).exists():
            continue
        admin = (
            Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if admin is None:
            stdout.write(f"  {legal_name}: no administrator, no partner profile.")
            continue
        values = {**values, "sectors": values.get("sectors") or [sector]}
        profile = services.save_profile(
            organisation=organisation, actor=admin.user, role_sought=role, **values
        )
        services.publish_profile(profile=profile, actor=admin.user)
        created += 1
    stdout.write(f"Matchmaking: {created} partner profiles published.")

"""What the audit ledger holds about a person, for the "My data" download: the entries that
record what they did (they are the actor), with the texts they wrote beside them (notes).

The hashed content names people and objects by id only, so an entry is given as it is. Sealed
originals (entries written before the ledger refused personal data) are not: they may name
other people, and the records they describe are exported by their own apps.
"""

from typing import Any

from minegap.core.personal_data import ExportSection, plain
from minegap.ledger.labels import action_label
from minegap.ledger.models import AuditEntry


def export(user) -> dict[str, Any]:
    entries = AuditEntry.objects.filter(actor=user).select_related("erasable").order_by("seq")
    return plain(
        {
            "entries_you_recorded": [
                {
                    "seq": entry.seq,
                    "at": entry.at,
                    "action": entry.action,
                    "action_label": action_label(entry.action),
                    "target": {"type": entry.target_type, "id": entry.target_id},
                    "data": entry.data,
                    "notes": entry.notes,
                }
                for entry in entries.iterator(chunk_size=2000)
            ]
        }
    )


def section() -> ExportSection:
    return ExportSection(name="ledger", export=export)

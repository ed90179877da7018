"""One shipment row as the red flags read it: the row, what it carries, and what is known around it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from computewatch.shipments.history import History
from computewatch.shipments.items import ItemReading

COLUMNS = (
    "shipment_id", "date", "shipper", "consignee", "consignee_country", "destination_country", "description",
    "quantity", "value_usd", "end_user", "notify_party", "payer_country", "freight_forwarder", "hs_code",
    "consignee_address", "consignee_phone", "consignee_entity_id", "end_user_country", "end_use", "payer",
    "licence_number", "src_file", "src_line",
)  # fmt: skip


class Shipment(NamedTuple):
    """One row of the shipments table (a tuple: a million of them are built in one run)."""

    shipment_id: str
    date: date
    shipper: str
    consignee: str
    consignee_country: str
    destination_country: str
    description: str
    quantity: int | None
    value_usd: float | None
    end_user: str | None
    notify_party: str | None
    payer_country: str | None
    freight_forwarder: str | None
    hs_code: str | None
    consignee_address: str | None
    consignee_phone: str | None
    consignee_entity_id: str | None
    end_user_country: str | None
    end_use: str | None
    payer: str | None
    licence_number: str | None
    src_file: str | None
    src_line: int | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Shipment:
        """From the COLUMNS in order; a timestamp `date` becomes its day."""
        day = row[1]
        if isinstance(day, datetime):
            return cls._make((row[0], day.date(), *row[2:]))
        return cls._make(row)

    @property
    def where(self) -> str:
        return f"shipments: {self.src_file} line {self.src_line}" if self.src_file else "shipments"


class Facts:
    """A shipment with what it carries, its consignee's history and the items controlled on its day.

    unit_value and accelerators are worked out once, as the flags read them many times.
    """

    __slots__ = ("row", "consignee_key", "reading", "history", "controlled", "classification", "unit_value", "accelerators", "_volume_text",
                 "notes", "price_mismatch")

    def __init__(
        self, row: Shipment, consignee_key: str, reading: ItemReading, history: History, controlled: list[tuple[str, str]] | None = None
    ):
        self.row, self.consignee_key, self.reading, self.history = row, consignee_key, reading, history
        self.controlled: list[tuple[str, str]] = [] if controlled is None else controlled  # (item, ECCN) named and controlled on the day
        # {item, eccn, country, licence_required, rules} per controlled item and country, when the scorer has it
        self.classification: list[dict[str, Any]] | None = None
        q, v = row.quantity, row.value_usd
        self.unit_value: float | None = v / q if v is not None and q else None
        if q is None:
            self.accelerators: int | None = None
        elif reading.chips or reading.systems:
            self.accelerators = q * reading.per_unit
        else:
            self.accelerators = q
        self._volume_text: str | None = None
        self.notes: list[str] = []  # what the flags saw but did not count (a party listed only after the shipment)
        self.price_mismatch: list[str] | None = None  # flags._priced_like_other, once worked out

    def large_volume(self, usd: float, accelerators: int) -> bool:
        return (self.row.value_usd or 0) >= usd or (self.accelerators or 0) >= accelerators

    def volume_text(self) -> str:
        if self._volume_text is None:
            parts = []
            if self.row.quantity is not None:
                parts.append(f"{self.row.quantity} x {self.reading.describe()}")
                if self.reading.is_server and (self.reading.chips or self.reading.systems):
                    parts.append(f"{self.accelerators} accelerators")
            if self.row.value_usd is not None:
                parts.append(f"USD {self.row.value_usd:,.0f}")
            self._volume_text = ", ".join(parts) or self.reading.describe()
        return self._volume_text

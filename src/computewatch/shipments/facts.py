"""One shipment row as the red flags read it: the row, what it carries, and what is known around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from computewatch.shipments.history import History
from computewatch.shipments.items import ItemReading

COLUMNS = (
    "shipment_id", "date", "shipper", "consignee", "consignee_country", "destination_country", "description",
    "quantity", "value_usd", "end_user", "notify_party", "payer_country", "freight_forwarder", "hs_code",
    "consignee_address", "consignee_phone", "consignee_entity_id", "end_user_country", "end_use", "payer",
    "licence_number", "src_file", "src_line",
)  # fmt: skip


@dataclass
class Shipment:
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
        s = cls(*row)
        if isinstance(s.date, datetime):
            s.date = s.date.date()
        return s

    @property
    def where(self) -> str:
        return f"shipments: {self.src_file} line {self.src_line}" if self.src_file else "shipments"


@dataclass
class Facts:
    row: Shipment
    consignee_key: str
    reading: ItemReading
    history: History
    controlled: list[tuple[str, str]] = field(default_factory=list)  # (item, ECCN) named and controlled on the day

    @property
    def unit_value(self) -> float | None:
        q, v = self.row.quantity, self.row.value_usd
        return v / q if v is not None and q else None

    @property
    def accelerators(self) -> int | None:
        if self.row.quantity is None:
            return None
        if self.reading.chips or self.reading.systems:
            return self.row.quantity * self.reading.per_unit
        return self.row.quantity

    def large_volume(self, usd: float, accelerators: int) -> bool:
        return (self.row.value_usd or 0) >= usd or (self.accelerators or 0) >= accelerators

    def volume_text(self) -> str:
        parts = []
        if self.row.quantity is not None:
            parts.append(f"{self.row.quantity} x {self.reading.describe()}")
            if self.reading.is_server and (self.reading.chips or self.reading.systems):
                parts.append(f"{self.accelerators} accelerators")
        if self.row.value_usd is not None:
            parts.append(f"USD {self.row.value_usd:,.0f}")
        return ", ".join(parts) or self.reading.describe()

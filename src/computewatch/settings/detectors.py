"""Thresholds of the monitoring detectors, with defaults (Settings.detectors; COMPUTEWATCH_DETECTORS__...).

Every detector declares in its metadata which of these models holds its thresholds;
the loader refuses a detector whose thresholds are not declared here.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from computewatch.settings.shipments import ShipmentThresholds


class ResellerThresholds(BaseModel):
    min_foreign_end_users: int = Field(3, ge=1, description="distinct end users, API keys or IPs in one foreign country")
    min_foreign_share: float = Field(0.2, ge=0, le=1, description="share of the account's access events from that country")
    hub_countries: list[str] = Field(default_factory=lambda: ["HK", "SG", "MY"], description="declared holders here that pay or log in from a country of concern are flagged")


class TokenResaleThresholds(BaseModel):
    min_end_users: int = Field(10, ge=1, description="distinct end users (or IPs) from unsupported regions")
    min_region_share: float = Field(0.3, ge=0, le=1, description="share of tokens used from unsupported regions")
    declared_factor: float = Field(3.0, gt=1, description="tokens above declared monthly use x this are 'far above'")
    peer_factor: float = Field(10.0, gt=1, description="tokens above the peers' median x this are 'far above'")
    min_peers: int = Field(3, ge=1, description="peers (other subscriptions of the same service) needed for a median")
    unsupported_countries: list[str] = Field(
        default_factory=lambda: ["CN", "HK", "MO", "RU", "BY", "IR", "KP", "SY", "CU"],
        description="where the model services are not offered (plus every country of concern)",
    )


class BulkImportThresholds(BaseModel):
    min_devices: int = Field(20, ge=1, description="devices carried in for one lessee within the window ('tens of drives')")
    min_bytes: float = Field(1e15, gt=0, description="bytes carried in for one lessee within the window (1 PB)")
    soon_after_lease_days: int = Field(90, ge=0, description="deliveries this soon after the lease starts weigh more")
    network_ratio: float = Field(1.0, gt=0, description="physical bytes above network ingress x this: arrived by hand")


class TrainingRunThresholds(BaseModel):
    operations: list[float] = Field(default_factory=lambda: [1e24, 1e25, 1e26], description="alert at the first; severity medium, high, critical")
    min_cluster_accelerators: int = Field(256, ge=1, description="most accelerators in use at once by one customer or lease (concurrent usage rows summed)")
    min_utilisation: float = Field(0.5, ge=0, le=1, description="GPU-hour-weighted mean utilisation")
    min_days: float = Field(7.0, ge=0, description="from first to last usage in the window ('sustained')")
    assumed_utilisation: float = Field(0.3, ge=0, le=1, description="used for usage rows without a utilisation figure")


class YoungLesseeThresholds(BaseModel):
    min_servers: int = Field(100, ge=1, description="GPU servers in one lease")
    young_days: int = Field(365, ge=0, description="incorporated at most this many days before the lease was signed")


class LinkageThresholds(BaseModel):
    weights: dict[str, float] = Field(
        default_factory=lambda: {"payment_fingerprint": 1.0, "device": 1.0, "phone": 0.8, "email_domain": 0.6, "ip": 0.3},
        description="evidence weight of each shared value (ip: per shared address)",
    )
    link_threshold: float = Field(0.6, gt=0, description="summed weights that make two accounts one customer")
    max_accounts_per_value: int = Field(20, ge=2, description="a value shared by more accounts (NAT, public domain) is ignored")
    common_email_domains: list[str] = Field(
        default_factory=lambda: ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "qq.com", "163.com", "126.com", "icloud.com", "proton.me"],
        description="free-mail domains never link accounts",
    )


class ListedPartyThresholds(BaseModel):
    affiliates: bool = Field(True, description="also alert on entities owned 50% or more by listed parties")


class ChipLocationThresholds(BaseModel):
    """S8, computewatch.locate.detector; the distance bounds themselves come from Settings.locate."""

    round_gap_s: int = Field(900, ge=1, description="probes of a chip further apart than this belong to different rounds")
    silent_after_hours: float = Field(48.0, gt=0, description="a chip with no probe for this long before the end of the as-of day has stopped answering")
    lookback_days: int = Field(7, ge=1, description="rounds this recent are checked for replays, unsigned answers, moves and suspect landmarks")
    min_move_km: float = Field(50.0, ge=0, description="the regions of two rounds must be at least this far apart to count as a move")
    suspect_min_chips: int = Field(3, ge=2, description="a landmark suspect for this many chips is itself an alert")


class DetectorSettings(BaseModel):
    window_days: int = Field(365, ge=1, description="detectors look at activity from as-of minus this many days")
    concern_groups: list[str] = Field(default_factory=lambda: ["D:5"], description="country groups of concern (policy data, as of the date)")
    concern_countries: list[str] = Field(default_factory=lambda: ["MO"], description="further countries of concern")
    reseller: ResellerThresholds = ResellerThresholds()
    token_resale: TokenResaleThresholds = TokenResaleThresholds()
    bulk_import: BulkImportThresholds = BulkImportThresholds()
    training_run: TrainingRunThresholds = TrainingRunThresholds()
    young_lessee: YoungLesseeThresholds = YoungLesseeThresholds()
    linkage: LinkageThresholds = LinkageThresholds()
    shipments: ShipmentThresholds = ShipmentThresholds()  # S7, computewatch.shipments.detector (and `shipments score`)
    listed_parties: ListedPartyThresholds = ListedPartyThresholds()
    chip_location: ChipLocationThresholds = ChipLocationThresholds()  # S8, computewatch.locate.detector

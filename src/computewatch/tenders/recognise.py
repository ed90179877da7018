"""What a line item buys: an accelerator (catalogue chip), compute on a cloud, model tokens,
another cloud service, or something else; from whom (provider), and how much.

A bare model number ("A100") is an accelerator only with a compute word nearby
(GPU, 显卡, 算力, NVIDIA...) and not when the line is about an instrument
(离心机 型号A100). Qualified names ("NVIDIA A100", "A100 80GB") need no context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from computewatch.policy import catalogue, find_chips_in_text
from computewatch.sources.tenders.items import LineItem
from computewatch.tenders.providers import Provider, ProviderBook

REFERENCE_WINDOW = 8  # characters before a chip name searched for 不低于, 相当于, equivalent to...
_BARE = re.compile(r"^[a-z]{0,3}\d{1,4}[a-z]{0,2}$")
_SCALE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "千": 10**3, "k": 10**3, "m": 10**6, "million": 10**6,
          "b": 10**9, "billion": 10**9, "千万": 10**7, "千萬": 10**7, "百万": 10**6, "百萬": 10**6}
_N = r"(\d+(?:[.,]\d+)*)\s*(千万|千萬|百万|百萬|万|萬|亿|億|千|million|billion|[kmb](?![a-z]))?"
_TOKENS = re.compile(rf"{_N}\s*(?:个|個)?\s*(?:tokens?|词元|詞元)|(?:tokens?|词元|詞元)(?:数量|數量|总量|總量|额度|額度)?\s*[:：]?\s*{_N}", re.I)
_GPU_HOURS = re.compile(rf"{_N}\s*(?:GPU\s*)?(?:卡时|卡時|小时|小時|机时|機時|GPU[\s\-·]*hours?|GPU时)", re.I)
_CARDS = re.compile(r"(?<![A-Za-z0-9.])(\d+)\s*(?:张|張|块|塊|片)|(?<![A-Za-z0-9.])(\d+)\s*[x×*＊]\s*(?=[A-Za-z]\w*\d)"
                    r"|(?<![A-Za-z0-9.])(\d+)\s*卡(?!时|時)|(?<![A-Za-z0-9.])(\d+)\s*GPUs?\b", re.I)
_SERVERS = re.compile(r"(?<![A-Za-z0-9.])(\d+)\s*(?:台|臺)(?!式|湾|灣|州|账|賬)\s*(?:\S{0,12}服务器|\S{0,12}伺服器)?|(\d+)\s*(?:servers?|nodes?|节点|節點)", re.I)


@lru_cache(maxsize=1)
def _chip_prefilter() -> re.Pattern[str]:
    """First word of every catalogue alias: lines without one cannot name a chip."""
    words: set[str] = set()
    cat = catalogue()
    for acc in cat.accelerators.values():
        for alias in (acc.name, *acc.aliases, *acc.weak_aliases):
            words.add(re.split(r"[\s\-_]", unicodedata.normalize("NFKC", alias).casefold())[0])
    for vendor in cat.vendors.values():
        for alias in (vendor.name, *vendor.aliases):
            words.add(re.split(r"[\s\-_]", unicodedata.normalize("NFKC", alias).casefold())[0])
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w))


def may_name_chip(text: str) -> bool:
    return _chip_prefilter().search(unicodedata.normalize("NFKC", text).casefold()) is not None


def lines_naming_chips(lines: list[str]) -> set[int]:
    """Indexes of the lines that name a catalogue chip or vendor (one pass of the prefilter over all lines)."""
    folded = unicodedata.normalize("NFKC", "\n".join(lines)).casefold()
    if len(folded) != sum(len(line) + 1 for line in lines) - 1:
        candidates = {i for i, line in enumerate(lines) if may_name_chip(line)}
    else:
        starts = [m.start() for m in _chip_prefilter().finditer(folded)]
        candidates = set()
        pos, i = 0, 0
        for offset in starts:
            while i < len(lines) and pos + len(lines[i]) < offset:
                pos += len(lines[i]) + 1
                i += 1
            candidates.add(i)
    return {i for i in candidates if i < len(lines) and find_chips_in_text(lines[i])}


@dataclass
class Recognised:
    kind: str  # accelerator, cloud_compute, model_tokens, model_api, cloud_service, other
    chip: str | None = None
    chips: list[str] = field(default_factory=list)
    vendor: str | None = None
    provider: Provider | None = None
    providers: list[Provider] = field(default_factory=list)
    tokens: float | None = None
    gpu_hours: float | None = None
    cards: int | None = None
    servers: int | None = None
    domestic_compute: list[str] = field(default_factory=list)  # domestic chips named (昇腾, 海光...)
    evidence: list[str] = field(default_factory=list)


def _number(num: str, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    return value * _SCALE.get((scale or "").lower(), 1)


def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    if m is None:
        return None
    return int(next(g for g in m.groups() if g))


def chips_in(item: LineItem, book: ProviderBook) -> tuple[list[str], str | None, list[str]]:
    """(catalogue chips, vendor, evidence) named by the item, with the context rules above."""
    text = " ".join(x for x in (item.text, item.brand or "", item.model or "") if x)
    if not may_name_chip(text):
        return [], None, []
    chips: list[str] = []
    vendor: str | None = None
    evidence: list[str] = []
    near = f"{text} {item.context}"
    compute_here = book.has("compute", text)
    instrument_here = book.has("instrument", text)
    for mention in find_chips_in_text(text):
        if mention.kind == "vendor":
            vendor = vendor or mention.name
            continue
        alias = re.sub(r"[\s\-_]", "", unicodedata.normalize("NFKC", mention.text).casefold())
        qualified = not _BARE.match(alias)
        if book.has("reference", text[max(0, mention.start - REFERENCE_WINDOW) : mention.start]):
            evidence.append(f"'{mention.text}' is named as a performance reference, not as the item bought")
            continue
        if instrument_here and not compute_here:
            evidence.append(f"'{mention.text}' read as an instrument model, not the {mention.name} accelerator")
            continue
        if not qualified and not (compute_here or book.has("compute", near)):
            evidence.append(f"'{mention.text}' has no compute word nearby; not read as the {mention.name}")
            continue
        if mention.name not in chips:
            chips.append(mention.name)
            vendor = vendor or mention.vendor
    return chips, vendor, evidence


def recognise(item: LineItem, book: ProviderBook, destination: str) -> Recognised:
    text = " ".join(x for x in (item.name or item.text, item.brand or "", item.model or "") if x)
    full = f"{item.text} {item.brand or ''} {item.model or ''}"
    chips, vendor, evidence = chips_in(item, book)
    mentions = book.find(full)
    providers: list[Provider] = []
    for mention in mentions:
        if mention.provider not in providers:
            providers.append(mention.provider)
        if mention.instance_chip and mention.instance_chip not in chips:
            chips.append(mention.instance_chip)
            evidence.append(f"'{mention.text}' is a {mention.provider.name} instance family with {mention.instance_chip}")
    domestic = list(dict.fromkeys(m.text for m in mentions if m.provider.kind == "chip" and not m.provider.foreign_to(destination)))
    services = [p for p in providers if p.kind in ("cloud", "model")]
    # a foreign provider outranks a domestic one named on the same line; a model outranks a cloud
    services.sort(key=lambda p: (not p.foreign_to(destination), p.kind != "model"))
    provider = services[0] if services else None
    r = Recognised("other", chips[0] if chips else None, chips, vendor, provider, services, domestic_compute=domestic, evidence=evidence)
    m = _TOKENS.search(full) or _TOKENS.search(item.context)
    if m:
        num, scale = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        r.tokens = _number(num, scale)
    m = _GPU_HOURS.search(full) if book.has("gpu_hours", full) else None
    if m:
        r.gpu_hours = _number(m.group(1), m.group(2))
    if chips or vendor or services:
        r.cards = _first_int(_CARDS, full)
        r.servers = _first_int(_SERVERS, full) if item.source == "text" else None
    if item.quantity is not None and (chips or vendor):
        if item.unit in ("台", "臺", "套"):
            r.servers = int(item.quantity)
        elif r.cards is None:
            r.cards = int(item.quantity)
    if provider is not None and provider.kind == "model" and not book.has("model_access", f"{full} {item.context}"):
        r.evidence.append(f"names {provider.name} without buying access (no API, tokens or account)")
        services.remove(provider)
        provider = r.provider = services[0] if services else None
    if provider is not None and provider.kind == "model":
        r.kind = "model_tokens" if r.tokens or book.has("tokens", f"{full} {item.context}") else "model_api"
    elif provider is not None and (chips or book.has("gpu_hours", full) or re.search(r"GPU|算力|显卡|加速", text, re.I)):
        r.kind = "cloud_compute"
    elif chips or (vendor and book.has("compute", full)):
        r.kind = "accelerator"
    elif provider is not None:
        r.kind = "cloud_service"
    elif domestic:
        r.kind = "accelerator" if book.has("compute", full) else "other"
    return r

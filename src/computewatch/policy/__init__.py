"""What is controlled, for whom, and when.

Rules, country groups and the accelerator catalogue are YAML data files in
``policy/data``; the modules here load them (lazily, once) and evaluate them as
of a date. Nothing in the Python code knows a threshold or a date.

Public API::

    classify_accelerator(chip_or_specs, destination=None, on=None, end_user=None) -> Classification
    find_chip(name) -> Accelerator            # raises UnknownChip with the closest names
    find_chips_in_text(text) -> list[ChipMention]
    rules_in_force(on) / pending_rules(on) / get_rule(rule_id)
    groups_of(country, on) / in_group(country, group, on)
    training_compute(accelerator, gpu_hours, utilisation) -> TrainingCompute
"""

from __future__ import annotations

from computewatch.policy.catalogue import Accelerator, UnknownChip, catalogue, find_chip
from computewatch.policy.classify import Classification, EndUser, classify_accelerator
from computewatch.policy.compute import TrainingCompute, training_compute
from computewatch.policy.countries import groups_of, in_group
from computewatch.policy.mentions import ChipMention, find_chips_in_text
from computewatch.policy.performance import Specs, performance_density, total_processing_performance
from computewatch.policy.rules import Rule, get_rule, load_rules, pending_rules, rules_in_force

__all__ = [
    "Accelerator",
    "ChipMention",
    "Classification",
    "EndUser",
    "Rule",
    "Specs",
    "TrainingCompute",
    "UnknownChip",
    "catalogue",
    "classify_accelerator",
    "find_chip",
    "find_chips_in_text",
    "get_rule",
    "groups_of",
    "in_group",
    "load_rules",
    "pending_rules",
    "performance_density",
    "rules_in_force",
    "total_processing_performance",
    "training_compute",
]

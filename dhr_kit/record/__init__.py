"""The versioned review record (`dhr export`): its JSON Schema, building it from a review, checking one.

``SCHEMA_VERSION`` is the record's ``schema_version``; the schema ships as package data
(``dhr_kit/record/dhr-record.schema.json``) and is documented in the README (Review record).
"""
from __future__ import annotations

from .build import SCHEMA_VERSION, build_record
from .check import check_record, load_schema

__all__ = ["SCHEMA_VERSION", "build_record", "check_record", "load_schema"]

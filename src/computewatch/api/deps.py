"""Annotated dependencies the routers and pages declare: the context (settings, database, workspace), the caller, a case number."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from computewatch.api.auth import Principal, require
from computewatch.api.context import ApiContext, get_context, get_settings
from computewatch.settings import Settings

Context = Annotated[ApiContext, Depends(get_context)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ViewerKey = Annotated[Principal, Depends(require("viewer"))]
AnalystKey = Annotated[Principal, Depends(require("analyst"))]
AdminKey = Annotated[Principal, Depends(require("admin"))]
CaseId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the case number")]

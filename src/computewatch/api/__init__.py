"""The HTTP API (FastAPI; OpenAPI at /docs): screening (incl. a yente-compatible /match), classification,
tender upload, alerts, cases, entities with ownership paths, audit. Routers are thin: they parse,
call the core, and format. The web app (computewatch.web) is mounted on the same application.

    create_app(settings, workspace) -> FastAPI
"""

"""The WebOps API server: an ASGI application (Starlette, served by uvicorn) over LocalWebOps."""

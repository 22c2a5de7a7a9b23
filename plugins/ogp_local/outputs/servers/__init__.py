"""Configurations for serving a built site with a real web server (Caddy, nginx):
the precompressed copies, each file's type, cache lifetimes, each language's 404."""

"""httpdiff: send one HTTP request with httpx and aiohttp and see what differs."""

__version__ = "0.1.0"

"""Playback mp3s: fetched with aiohttp's client (timeout, size cap, cache), read by mutagen."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import aiohttp
import mutagen
import mutagen.mp3

from emulator.providers.reply import MediaInfo
from emulator.scenario.model import FetchSpec

Fetcher = Callable[[str], Awaitable[bytes]]


class TooLarge(Exception):
    pass


def read_mp3(data: bytes) -> MediaInfo:
    """The duration of MPEG audio, or why these bytes are not that."""
    try:
        audio = mutagen.mp3.MP3(io.BytesIO(data))  # type: ignore[no-untyped-call]
    except mutagen.MutagenError as exc:
        return MediaInfo(error=f"not an MPEG audio file ({type(exc).__name__})")
    length = float(audio.info.length) if audio.info is not None else 0.0
    if length <= 0:
        return MediaInfo(error="MPEG audio of no length")
    return MediaInfo(duration=length)


class MediaLibrary:
    """Looks at mp3 URLs for playback; a cached URL is fetched once until the next reset."""

    def __init__(self, spec: FetchSpec, fetcher: Fetcher | None = None) -> None:
        self.spec = spec
        self._fetcher = fetcher
        self._session: aiohttp.ClientSession | None = None
        self._cache: dict[str, MediaInfo] = {}
        self.fetches = 0

    async def get(self, url: str, cache: bool) -> MediaInfo:
        if cache and url in self._cache:
            return self._cache[url]
        info = await self._look(url)
        if cache:
            self._cache[url] = info
        return info

    async def _look(self, url: str) -> MediaInfo:
        self.fetches += 1
        try:
            data = await (self._fetcher or self._fetch)(url)
        except TooLarge:
            return MediaInfo(error=f"larger than {self.spec.max_bytes} bytes")
        except (TimeoutError, aiohttp.ClientError, ValueError, OSError) as exc:
            return MediaInfo(error=f"cannot fetch it: {type(exc).__name__}: {exc}".rstrip(": "))
        return read_mp3(data)

    async def _fetch(self, url: str) -> bytes:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.spec.timeout)
            )
        async with self._session.get(url) as response:
            if response.status != 200:
                raise aiohttp.ClientResponseError(
                    response.request_info, (), status=response.status, message=response.reason or ""
                )
            data = bytearray()
            async for chunk in response.content.iter_chunked(65536):
                data += chunk
                if len(data) > self.spec.max_bytes:
                    raise TooLarge
            return bytes(data)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

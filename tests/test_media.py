from __future__ import annotations

from emulator.media import MediaLibrary, read_mp3
from emulator.scenario.model import FetchSpec
from tests.helpers import mp3_bytes


def test_read_mp3_measures_mpeg_audio():
    assert round(read_mp3(mp3_bytes(12)).duration) == 12
    assert read_mp3(b"ID3 but nothing else").error.startswith("not an MPEG audio file")
    assert read_mp3(b"").error is not None


async def test_the_library_caches_only_when_asked():
    fetched = []

    async def fetch(url):
        fetched.append(url)
        return mp3_bytes(2)

    library = MediaLibrary(FetchSpec(), fetcher=fetch)
    for cache in (True, True, False, True):
        assert round((await library.get("http://m/a.mp3", cache)).duration) == 2
    assert fetched == ["http://m/a.mp3"] * 2


async def test_fetch_failures_are_reasons_not_exceptions():
    async def fail(url):
        raise OSError("connection refused")

    info = await MediaLibrary(FetchSpec(), fetcher=fail).get("http://m/a.mp3", True)
    assert info.duration is None
    assert "connection refused" in info.error

"""The dashboard: a self-contained page, and what a real headless browser sees on it."""

from __future__ import annotations

import re

from tests.browser import open_page
from tests.helpers import LOGIN


async def test_the_page_loads_nothing_from_outside(client):
    response = await client.get("/_emulator/")
    assert response.content_type == "text/html"
    html = await response.text()
    assert re.findall(r"(?:src|href)=\"", html) == []
    assert "http://" not in html and "https://" not in html
    assert "connect-src 'self'" in response.headers["Content-Security-Policy"]


async def test_without_the_slash_it_redirects_to_the_dashboard(client):
    response = await client.get("/_emulator", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (308, "/_emulator/")


async def test_a_browser_sees_new_requests_without_a_reload(client):
    url = str(client.make_url("/_emulator/?refresh=100"))
    async with open_page(url) as page:
        await page.wait_for_text("no requests yet", "123456789", "calledin-test-key")
        await page.evaluate("window.stillTheSamePage = true")
        await client.post("/api/account/", data=LOGIN)
        await client.post("/api/getrate/", data={"number": "12", **LOGIN})
        await client.get(
            "/api/playback/",
            params={
                "api_key": "calledin-test-key",
                "phone_number": "2125550110",
                "country_code": "1",
                "mp3": "http://media.test/welcome.mp3",
            },
        )
        text = await page.wait_for_text(
            "credit=25.0000", "-1002", "/api/playback/", "call-1", "BUSY"
        )
        assert "is not a possible number" in text  # the X-Emulator-Reason of the -1002
        assert await page.evaluate("window.stillTheSamePage") is True

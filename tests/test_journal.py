from __future__ import annotations

from emulator.journal import Journal


def test_the_journal_is_bounded_and_drops_the_oldest():
    journal = Journal(limit=3)
    for n in range(5):
        journal.record(n, n, "POST", "/api/account/", {"username": str(n)})
    assert [e.at for e in journal] == [2, 3, 4]


def test_query_filters_by_path_since_tenant_and_limit():
    journal = Journal()
    journal.record(1, 0, "POST", "/api/account/", {"username": "a"})
    journal.record(2, 0, "GET", "/api/playback/", {"api_key": "k"})
    journal.record(3, 0, "POST", "/api/account/", {"key": "b-key"}).tenant = "b"
    assert [e.at for e in journal.query(path="/api/account/")] == [1, 3]
    assert [e.at for e in journal.query(since=2)] == [2, 3]
    assert [e.at for e in journal.query(tenant="k")] == [2]
    assert [e.at for e in journal.query(tenant="b")] == [3]
    assert [e.at for e in journal.query(limit=1)] == [3]


def test_clear_one_tenant_keeps_the_others():
    journal = Journal()
    journal.record(1, 0, "POST", "/api/account/", {"username": "a"})
    journal.record(2, 0, "POST", "/api/account/", {"username": "b"})
    journal.clear("a")
    assert [e.params["username"] for e in journal] == ["b"]
    journal.clear()
    assert len(journal) == 0

"""The demo says where it serves the site, also when DEMO_ADDR moves it."""

import pytest

from demo.management.commands.load_demo import site_address


@pytest.mark.parametrize(
    ("demo_addr", "shown"),
    [(None, "127.0.0.1:8000"), ("8001", "127.0.0.1:8001"), ("0.0.0.0:8002", "0.0.0.0:8002")],
)
def test_the_admin_address_follows_demo_addr(monkeypatch, demo_addr, shown):
    if demo_addr is None:
        monkeypatch.delenv("DEMO_ADDR", raising=False)
    else:
        monkeypatch.setenv("DEMO_ADDR", demo_addr)
    assert site_address() == shown

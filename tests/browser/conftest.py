import pytest

from ..helpers import load_site_documents

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Browsers cannot be downloaded here: drive Debian's chromium.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def site(live_server, transactional_db):
    """The live site with the purpose-made documents (tests/data/site/*.yaml) loaded: Northshire,
    Southvale and Westmere (live_server tests empty the database after)."""
    load_site_documents()
    return live_server.url

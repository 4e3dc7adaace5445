from io import StringIO

import pytest
from django.core.management import call_command

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
    """The live site with every fixture loaded (live_server tests empty the database after)."""
    call_command("load_thresholds", stdout=StringIO())
    return live_server.url

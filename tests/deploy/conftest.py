"""One deployment for tests/deploy: the demo office in sign-in mode, its app server started with the systemd
unit's command, and nginx in front of it (tests/deploy/proxy.py)."""

import shutil

import pytest

from tests.deploy.proxy import app_server, nginx
from tests.support.database import using_database

ADMIN_PW = "granite tea kettle 58"  # `admin`, used by test_nginx
CHEN_PW = "walnut harbour lantern 1962"  # `chen`, a second administrator, used by test_secrets


@pytest.fixture(scope="package")
def deployed(demo_template, tmp_path_factory):
    """{"app", "https", "http": ports, "cert", "dir", "db"}: app server and nginx on loopback."""
    from crm.accounts.users import actor_by_name, add_user, set_password

    directory = tmp_path_factory.mktemp("deploy")
    db = directory / "liaison.db"
    shutil.copy(demo_template, db)
    with using_database(db):
        admin = actor_by_name("admin")
        set_password(admin, admin.id, ADMIN_PW)
        add_user(admin, "chen", "admin", CHEN_PW)
    with app_server(db) as app_port, nginx(app_port, directory) as (https_port, http_port):
        yield {"app": app_port, "https": https_port, "http": http_port, "cert": directory / "cert.pem",
               "dir": directory, "db": db}

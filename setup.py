"""What pyproject.toml cannot say: resources/ ships inside the package as frontdesk._resources.

The fonts, translations and icons stay at the top of the repository (they are not code); the
wheel, an editable install, the sdist and the PyInstaller bundle (packaging/frontdesk.spec) all
reach them as the package ``frontdesk._resources``, and frontdesk/core/resources.py is the one
module that reads them. Everything else about the project is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

# Each folder under resources/ is a (namespace) package of frontdesk._resources, so that
# setuptools ships its files as that package's data.
RESOURCES = ["frontdesk._resources"] + [
    f"frontdesk._resources.{name}"
    for name in find_namespace_packages("resources", exclude=["__pycache__", "*.__pycache__"])
]

setup(
    # Namespace packages too: the migrations' versions/ folders have no __init__.py.
    packages=find_namespace_packages(include=["frontdesk", "frontdesk.*"],
                                     exclude=["*.__pycache__"]) + RESOURCES,
    package_dir={"frontdesk._resources": "resources"},
    package_data={
        # Alembic reads its folders as files: env.py and versions/*.py are modules,
        # script.py.mako is data (needed to write a new revision).
        "frontdesk.migrations": ["script.py.mako"],
        "frontdesk.town.migrations": ["script.py.mako"],
        "frontdesk.dayclose": ["manifest.schema.json"],  # the export manifest's JSON schema
        **{name: ["*"] for name in RESOURCES},
    },
)

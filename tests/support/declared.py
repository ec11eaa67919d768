"""The profile types the default configuration declares, for tests that enumerate them outside an app."""
from config import Config
from wizard.steps import declare

PROFILE_TYPES = declare(Config.PROFILE_TYPES)
STEPS_BY_TYPE = {key: declared.steps for key, declared in PROFILE_TYPES.items()}

"""schemathesis against /api/v1/openapi.json, with every check it has: generated requests, valid
and invalid, to every operation. None may crash the server (500); every answer must be a status,
content type, set of headers and body that its operation documents; data the schema forbids must
be refused and data it allows accepted; a missing or wrong token must answer 401, a method no
operation has 405; and a resource just made must be found where the API's links say it is.

Two runs: each operation alone (the examples, coverage and fuzzing phases) as the staff member,
the role that reaches the most operations; and, as the verifier, sequences of calls along the
links schemathesis infers between operations (the queue, then a deed, then its verification or
rejection, then the deed again), where the checks that need a history (ensure_resource_availability,
use_after_free) have one. Those two seldom have anything to judge: the API deletes nothing, and a
generated deed is seldom recordable (it needs a real deed type's id and a date in the allowed
window). tests/security/test_authorization_matrix.py tries every operation as every role.

Every check in schemathesis.checks.CHECKS runs but those in NOT_APPLICABLE; SETTINGS tunes some.
Each says why. A check that a new schemathesis brings fails test_every_check_is_run_or_excluded
until it is decided on here."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from kwamdee.people.services import api_token_issue

NOT_APPLICABLE = {
    # It replays one identity's reads as other identities, which it takes from a Web Fuzzing
    # Commons auth document ([auth.wfc] with peers); it has none here, so it could not fire.
    # tests/security/test_authorization_matrix.py does that work for every role, on objects that
    # are the caller's and objects that are not.
    "object_level_authorization": "needs peer identities; the authorization matrix covers it",
}
SETTINGS: dict = {
    "checks": {
        # A schema-valid request may still break a rule of the service that JSON Schema cannot
        # state: a password too weak, a subdistrict code that does not exist, a deed type id
        # that is no deed type's, a daily limit. Those answer 400 `validation_failed` (documented
        # on every operation, kwamdee/api/api.py); the shape of the request (422) must match the
        # schema exactly, and status_code_conformance still holds every answer to its document.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
        },
        **{name: {"enabled": False} for name in NOT_APPLICABLE},
    },
    # The API refuses a NUL character anywhere in a request, with 400 (common/middleware.py,
    # documented): text that carries one is not "valid data" to send for positive tests.
    "generation": {"allow-x00": False},
}
# use_after_free runs in the sequences, and has nothing to find until the API deletes anything.

load_all_checks()
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=SchemathesisConfig.from_dict(SETTINGS)
)

pytestmark = pytest.mark.slow_fuzz


class Caller:
    """The token of the person the requests are sent as, set by each test for its own database."""

    token = ""


@schema.auth(refresh_interval=None)  # never cached: each test's token is new
class BearerToken:
    """Sent the way schemathesis knows as the test's own credentials: ignored_auth then sends
    the same request without them and with a wrong token, and expects 401 for both."""

    def get(self, case, context):
        return Caller.token

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _sign_in(login: str, password: str) -> None:
    call_command("seed_demo", verbosity=0)
    Caller.token = api_token_issue(login=login, password=password)


@pytest.fixture
def as_staff(db):
    # The staff member: the role that may reach the most operations.
    _sign_in("0810000005", "kwamdee-staff")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_generated_requests_within_its_schema(case, as_staff):
    case.call_and_validate()


@pytest.mark.django_db
def test_sequences_of_calls_along_the_links_keep_to_the_schema():
    # The verifier: deeds recorded, read, verified along the links, in their own subdistrict.
    _sign_in("0810000001", "kwamdee-verifier")
    run_state_machine_as_test(
        schema.as_state_machine(),
        settings=settings(
            max_examples=25, stateful_step_count=6, deadline=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )  # fmt: skip


def test_every_check_is_run_or_excluded():
    checks = set(CHECKS.get_all_names())
    assert set(NOT_APPLICABLE) <= checks
    enabled = {name for name in checks if schema.config.checks_config_for().get_by_name(name=name).enabled}
    assert enabled == checks - set(NOT_APPLICABLE)

"""schemathesis against /api/v1/openapi.json: generated requests, valid and invalid, to every
operation, as a signed-in person. None may crash the server (500), every success must match
its documented schema, and data the schema forbids must be refused."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from kwamdee.people.services import api_token_issue

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

pytestmark = pytest.mark.slow_fuzz


@pytest.fixture
def token(db):
    call_command("seed_demo", verbosity=0)
    # The staff member: the role that may reach the most operations.
    return api_token_issue(login="0810000005", password="kwamdee-staff")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_generated_requests_within_its_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance, negative_data_rejection],
    )

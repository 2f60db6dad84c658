"""Privacy in the query (#19): a therapist's request never even decrypts what the therapist
may not read.

Every route and method of the access matrix is requested as client A's therapist, while
``accounts.fields.decrypt_text`` records every text it decrypts. The client's unshared
check-in note, unshared homework reflection and private medication-event note must never
be among them: the selectors leave them out of the SELECT (or let the database replace
them with ""), so no template, serializer or future endpoint can show them by mistake.
"""

import pytest

from accounts import fields
from tests.security.test_access_matrix import MATRIX, run_cell
from tests.security.test_access_matrix import world as world
from tests.security.world import CANARY, VISIBLE

THERAPIST = "therapist_a"
NEVER_DECRYPTED = sorted(c for c in CANARY.values() if c not in VISIBLE[THERAPIST])


@pytest.fixture
def decrypted(monkeypatch):
    seen: list[str] = []
    real = fields.decrypt_text

    def recording(token: str) -> str:
        text = real(token)
        seen.append(text)
        return text

    monkeypatch.setattr(fields, "decrypt_text", recording)
    return seen


@pytest.mark.django_db
def test_no_therapist_request_decrypts_what_the_therapist_may_not_read(world, decrypted):
    leaks = []
    for pattern, method in MATRIX:
        decrypted.clear()
        run_cell(world, pattern, method, THERAPIST)
        found = [c for c in NEVER_DECRYPTED if any(c in text for text in decrypted)]
        if found:
            leaks.append(f"{method.upper()} {pattern}: decrypted {found}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_the_recorder_does_see_decryption(world, decrypted):
    """Guard: the client's own history page decrypts the unshared note, and the recorder
    sees it (so an empty record above means nothing was decrypted, not a blind recorder)."""
    run_cell(world, "history/", "get", "client_a")
    assert any(CANARY["checkin_private"] in text for text in decrypted)

"""The canonical form of an entry is forever: these digests were computed when each format was
introduced (format 1 by the code of before 2026-11), and must never change — a changed
serializer would break every chain."""

from datetime import UTC, datetime

from kwamdee.ledger.hashing import entry_hash, entry_mac

AT = datetime(2026, 11, 23, 6, 30, 15, 123456, tzinfo=UTC)
COMMON = {
    "chain_key": "province:71/3", "seq": 7, "prev_hash": "ab" * 32, "created_at": AT, "kind": "deed_credit",
    "idempotency_key": "deed:1:credit", "reverses": None, "memo": {"deed_type": "ช่วยงานวัด", "rule_version": 2},
    "source": ("deed", "3c30c349-0182-41dc-ad36-81a431e7e35a"),
}  # fmt: skip
ACCOUNT = "33241a39-046f-4e80-b06a-d72b4175b28f"
HOLDER = "1473064a-566e-5c85-9bd7-e437b86f2b05"


def test_format_1_digest_is_unchanged():
    postings = [(HOLDER, "credit", -10), (ACCOUNT, "credit", 10)]  # any order
    assert entry_hash(**COMMON, postings=postings, format=1) == (
        "1fe637139b81cde2c6e1aae88bfae42a4fe38cc3b824c4cc6ba3327b335ce845"
    )


def test_format_2_digest_is_unchanged_and_names_the_holders():
    postings = [
        (ACCOUNT, HOLDER, "person_credit", "credit", "honesty", 10),
        (HOLDER, ACCOUNT, "issuance", "credit", "honesty", -10),
    ]
    assert (
        entry_hash(**COMMON, postings=postings)
        == "394ea98b4efb86686531f9401cd237196a2723e7325ca74707378f8c0b15229f"
    )
    moved = [(ACCOUNT, "another-holder", *postings[0][2:]), postings[1]]
    assert entry_hash(**COMMON, postings=moved) != entry_hash(**COMMON, postings=postings)


def test_the_seal_is_hmac_sha256_of_the_digest():
    assert (
        entry_mac("00" * 32, key=b"k") == "f9e79682dfdd367d2f90c54379002b640390bcb9fc5a455d0281564913922d35"
    )

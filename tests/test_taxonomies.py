import re

import pytest

from wizard import taxonomies as t

PAIR_VOCABULARIES = {
    "MEMBER_TYPES": (t.MEMBER_TYPES, 9),
    "INDUSTRIAL_ECOSYSTEMS": (t.INDUSTRIAL_ECOSYSTEMS, 14),
    "EMERGING_INDUSTRIES": (t.EMERGING_INDUSTRIES, 10),
    "CLUSTER_ACTIVITIES": (t.CLUSTER_ACTIVITIES, 14),
    "EXCELLENCE_LABELS": (t.EXCELLENCE_LABELS, 3),
    "GEOGRAPHIC_SCOPES": (t.GEOGRAPHIC_SCOPES, 4),
    "FUNDING_PROGRAMMES": (t.FUNDING_PROGRAMMES, 7),
    "WORKS_WITH_ORG_TYPES": (t.WORKS_WITH_ORG_TYPES, 9),
}


@pytest.mark.parametrize(("name", "expected"), [(n, c) for n, (_, c) in PAIR_VOCABULARIES.items()])
def test_vocabulary_sizes(name, expected):
    assert len(PAIR_VOCABULARIES[name][0]) == expected


@pytest.mark.parametrize(
    "vocabulary",
    [v for v, _ in PAIR_VOCABULARIES.values()] + [t.SECTORS],
)
def test_keys_are_unique_snake_case_and_labels_non_empty(vocabulary):
    keys = [k for k, _ in vocabulary]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in keys)
    labels = [lbl for _, lbl in vocabulary]
    assert len(labels) == len(set(labels))
    assert all(lbl and lbl == lbl.strip() for lbl in labels)


def test_sectors_are_a_reasonable_list():
    assert 18 <= len(t.SECTORS) <= 30


@pytest.mark.parametrize(
    ("vocabulary", "key", "expected"),
    [
        (t.INDUSTRIAL_ECOSYSTEMS, "aerospace_defence", "Aerospace & defence"),
        (t.INDUSTRIAL_ECOSYSTEMS, "energy_renewables", "Energy – renewables"),
        (t.INDUSTRIAL_ECOSYSTEMS, "mobility_transport_automotive", "Mobility – transport – automotive"),
        (t.INDUSTRIAL_ECOSYSTEMS, "proximity_social_economy", "Proximity, social economy and civil security"),
        (t.MEMBER_TYPES, "startup_sme", "Start-ups/SMEs"),
        (t.MEMBER_TYPES, "public_authority", "Public authorities/agencies"),
        (t.FUNDING_PROGRAMMES, "escp", "European Strategic Cluster Partnerships"),
        (t.FUNDING_PROGRAMMES, "smp", "Single Market Programme"),
        (t.CLUSTER_ACTIVITIES, "collaborative_rdi", "Collaborative R&D and innovation projects"),
        (t.EXCELLENCE_LABELS, "gold", "Gold"),
        (t.DEFINITIONS, "social_economy_cluster", "Social economy cluster"),
        (t.MEMBER_TYPES, "no_such_key", "no_such_key"),
    ],
)
def test_label(vocabulary, key, expected):
    assert t.label(vocabulary, key) == expected


def test_keys_helper_keeps_display_order():
    assert t.keys(t.GEOGRAPHIC_SCOPES) == ("regional", "national", "european", "international")


def test_public_member_types_are_member_types():
    assert t.PUBLIC_MEMBER_TYPES == {"public_authority"}
    assert t.PUBLIC_MEMBER_TYPES <= set(t.keys(t.MEMBER_TYPES))
    assert "university" not in t.PUBLIC_MEMBER_TYPES


def test_criteria_keys_and_order():
    assert [c[0] for c in t.CRITERIA_TEXTS] == [
        "management_fte",
        "english_website",
        "committed_members",
        "triple_helix",
        "thematic_focus",
        "activities",
    ]
    assert all(title and text.endswith(".") for _, title, text in t.CRITERIA_TEXTS)


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("management_fte", str(t.MIN_MANAGEMENT_FTE)),
        ("committed_members", str(t.MIN_COMMITTED_MEMBERS)),
        ("triple_helix", f"at least {t.MIN_MEMBER_TYPES} types"),
        ("activities", f"At least {t.MIN_ACTIVITY_TYPES} different types"),
    ],
)
def test_criteria_texts_state_the_thresholds(key, fragment):
    assert fragment in t.CRITERIA_BY_KEY[key][2]


def test_definitions_are_the_texts_of_section_9():
    assert [d[0] for d in t.DEFINITIONS] == ["cluster", "cluster_organisation", "social_economy_cluster"]
    assert t.DEFINITIONS_BY_KEY["cluster"][2].startswith("Groups of firms, related economic actors")
    assert "especially to SMEs." in t.DEFINITIONS_BY_KEY["cluster_organisation"][2]


def test_waiver_text_quotes_the_platform():
    assert (
        "can be waived for cluster organisations that are officially recognised by regional/national cluster "
        "policy programmes or are recognised as social economy clusters by the European Commission (DG GROW)"
    ) in t.WAIVER_TEXT


def test_a_member_names_its_own_type_in_the_singular():
    """Issue 17 item 17: one organisation is a "Large company", a cluster counts "Large companies"."""
    assert [key for key, _ in t.MEMBER_TYPES_SINGULAR] == [key for key, _ in t.MEMBER_TYPES]
    assert dict(t.MEMBER_TYPES_SINGULAR)["large_company"] == "Large company"

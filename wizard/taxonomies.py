"""Controlled vocabularies of the registration wizard (domain.md sections 1-4 and 9).

Keys are stored in the database, so they must never change once released; labels are
display text and may be reworded. Labels follow domain.md verbatim, except that list
items written there in running lower-case text get a capital first letter.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

MEMBER_TYPES: tuple[tuple[str, str], ...] = (
    ("startup_sme", "Start-ups/SMEs"),
    ("large_company", "Large companies"),
    ("university", "Universities/higher education"),
    ("research_organisation", "Research and technology organisations"),
    ("public_authority", "Public authorities/agencies"),
    ("business_support", "Business support and intermediary organisations"),
    ("financial_investor", "Financial institutions/investors"),
    ("civil_society", "Civil society/NGOs/social economy"),
    ("other", "Other"),
)

#: The same types, for one organisation: a member says what it is ("Large company"), a cluster counts its
#: members by type ("Large companies").
MEMBER_TYPES_SINGULAR: tuple[tuple[str, str], ...] = (
    ("startup_sme", "Start-up/SME"),
    ("large_company", "Large company"),
    ("university", "University/higher education institution"),
    ("research_organisation", "Research and technology organisation"),
    ("public_authority", "Public authority/agency"),
    ("business_support", "Business support or intermediary organisation"),
    ("financial_investor", "Financial institution/investor"),
    ("civil_society", "Civil society organisation/NGO/social economy enterprise"),
    ("other", "Other"),
)

# Criterion 4 asks for collaboration with "public bodies" when none is a member: that is the
# government strand of the triple helix. Universities are the academic strand (and many are
# private), so counting them would let an industry-plus-academia cluster skip the statement.
PUBLIC_MEMBER_TYPES: frozenset[str] = frozenset({"public_authority"})

INDUSTRIAL_ECOSYSTEMS: tuple[tuple[str, str], ...] = (
    ("aerospace_defence", "Aerospace & defence"),
    ("agri_food", "Agri-food"),
    ("construction", "Construction"),
    ("cultural_creative", "Cultural and creative industries"),
    ("digital", "Digital"),
    ("electronics", "Electronics"),
    ("energy_intensive", "Energy-intensive industries"),
    ("energy_renewables", "Energy – renewables"),
    ("health", "Health"),
    ("mobility_transport_automotive", "Mobility – transport – automotive"),
    ("proximity_social_economy", "Proximity, social economy and civil security"),
    ("retail", "Retail"),
    ("textiles", "Textiles"),
    ("tourism", "Tourism"),
)

EMERGING_INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("advanced_packaging", "Advanced packaging"),
    ("biopharmaceuticals", "Biopharmaceuticals"),
    ("blue_growth", "Blue growth"),
    ("creative_industries", "Creative industries"),
    ("digital_industries", "Digital industries"),
    ("environmental_industries", "Environmental industries"),
    ("experience_industries", "Experience industries"),
    ("logistical_services", "Logistical services"),
    ("medical_devices", "Medical devices"),
    ("mobility_technologies", "Mobility technologies"),
)

CLUSTER_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("networking_events", "Networking and community events"),
    ("matchmaking", "Matchmaking"),
    ("collaborative_rdi", "Collaborative R&D and innovation projects"),
    ("internationalisation", "Internationalisation support"),
    ("training_skills", "Training, skills and talent"),
    ("access_to_finance", "Access to finance and funding advice"),
    ("market_intelligence", "Market and technology intelligence"),
    ("digital_transition", "Digital-transition support"),
    ("green_transition", "Green/circular-transition support"),
    ("shared_facilities", "Shared facilities and test-beds"),
    ("marketing_visibility", "Cluster marketing and visibility"),
    ("policy_advocacy", "Policy advocacy"),
    ("startup_scaleup", "Start-up/scale-up support"),
    ("other", "Other"),
)

EXCELLENCE_LABELS: tuple[tuple[str, str], ...] = (("bronze", "Bronze"), ("silver", "Silver"), ("gold", "Gold"))

GEOGRAPHIC_SCOPES: tuple[tuple[str, str], ...] = (
    ("regional", "Regional"),
    ("national", "National"),
    ("european", "European"),
    ("international", "International"),
)

FUNDING_PROGRAMMES: tuple[tuple[str, str], ...] = (
    ("escp", "European Strategic Cluster Partnerships"),
    ("euroclusters", "Euroclusters"),
    ("interreg", "Interreg"),
    ("horizon_europe", "Horizon Europe"),
    ("smp", "Single Market Programme"),
    ("cosme", "COSME"),
    ("other", "Other"),
)

WORKS_WITH_ORG_TYPES: tuple[tuple[str, str], ...] = (
    ("public_authority", "Public authority"),
    ("regional_development_agency", "Regional development agency"),
    ("cluster_programme_owner", "Cluster programme owner"),
    ("research_organisation", "Research organisation"),
    ("consultancy", "Consultancy"),
    ("business_support", "Business support organisation"),
    ("financial_investor", "Financial institution/investor"),
    ("international_organisation", "International organisation"),
    ("other", "Other"),
)

# Broad NACE Rev. 2 sections, with manufacturing split into the divisions clusters most often
# work in: fine enough to filter a directory, coarse enough to pick from one list.
SECTORS: tuple[tuple[str, str], ...] = (
    ("agriculture", "Agriculture, forestry and fishing"),
    ("mining", "Mining and quarrying"),
    ("food_beverages", "Food, beverages and tobacco"),
    ("textiles_clothing", "Textiles, clothing and leather"),
    ("wood_paper_printing", "Wood, paper and printing"),
    ("chemicals_plastics", "Chemicals, rubber and plastics"),
    ("pharmaceuticals", "Pharmaceuticals"),
    ("metals", "Basic metals and metal products"),
    ("electronics_electrical", "Computers, electronics and electrical equipment"),
    ("machinery", "Machinery and equipment"),
    ("vehicles_transport_equipment", "Motor vehicles and other transport equipment"),
    ("other_manufacturing", "Other manufacturing"),
    ("energy", "Electricity, gas and energy supply"),
    ("water_waste", "Water supply, waste management and remediation"),
    ("construction", "Construction"),
    ("trade", "Wholesale and retail trade"),
    ("transport_logistics", "Transport, logistics and storage"),
    ("accommodation_food", "Accommodation and food services"),
    ("ict", "Information and communication"),
    ("finance_insurance", "Financial and insurance activities"),
    ("real_estate", "Real estate"),
    ("professional_scientific", "Professional, scientific and technical activities"),
    ("administrative_support", "Administrative and support services"),
    ("public_administration", "Public administration and defence"),
    ("education", "Education"),
    ("health_social", "Human health and social work"),
    ("arts_recreation", "Arts, entertainment and recreation"),
    ("other_services", "Other services"),
)

# (key, term, definition shown to applicants)
DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    (
        "cluster",
        "Cluster",
        "Groups of firms, related economic actors and institutions located near each other that have reached "
        "enough scale to develop specialised expertise, services, resources, suppliers and skills.",
    ),
    (
        "cluster_organisation",
        "Cluster organisation",
        "The legal entity that strengthens collaboration, networking and learning in an innovation cluster, "
        "acting as an innovation support provider that gives or channels specialised business support services, "
        "especially to SMEs.",
    ),
    (
        "social_economy_cluster",
        "Social economy cluster",
        "Social economy enterprises and related actors cooperating in a place to raise their joint social and "
        "ecological impact.",
    ),
)
DEFINITIONS_BY_KEY: dict[str, tuple[str, str, str]] = {d[0]: d for d in DEFINITIONS}

# (key, short title, full text) in the order of domain.md section 3.
CRITERIA_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("management_fte", "Management team", "Dedicated cluster management organisation/team with at least 0.5 FTE."),
    (
        "english_website",
        "English website",
        "Link to the English version of the organisation's website (automatically translated websites are also "
        "valid); validators check it for consistency with the profile and for proof of activity.",
    ),
    ("committed_members", "Committed members", "At least 15 clearly committed cluster members."),
    (
        "triple_helix",
        "Triple helix",
        "Members of at least 2 types; if no public body is a member, a visible collaboration with public bodies.",
    ),
    ("thematic_focus", "Thematic focus", "A clear thematic (technical or sectoral) focus."),
    (
        "activities",
        "Cluster-specific activities",
        "At least 2 different types of cluster-specific activities, reflected on the website or service offer.",
    ),
)
CRITERIA_BY_KEY: dict[str, tuple[str, str, str]] = {c[0]: c for c in CRITERIA_TEXTS}

# The thresholds the criteria texts state, so code and text cannot drift apart silently.
MIN_MANAGEMENT_FTE = Decimal("0.5")
MIN_COMMITTED_MEMBERS = 15
MIN_MEMBER_TYPES = 2
MIN_ACTIVITY_TYPES = 2

WAIVER_TEXT = (
    "The criteria can be waived for cluster organisations that are officially recognised by regional/national "
    "cluster policy programmes or are recognised as social economy clusters by the European Commission (DG GROW)."
)



def _pairs(vocabulary: Iterable[Any]) -> Iterable[tuple[str, str]]:
    for item in vocabulary:
        yield item[0], item[1]


def keys(vocabulary: Iterable[Any]) -> tuple[str, ...]:
    """The stored keys of a vocabulary, in display order (for validating submitted values)."""
    return tuple(k for k, _ in _pairs(vocabulary))


def label(vocabulary: Iterable[Any], key: str) -> str:
    """Display text for `key`; an unknown key is shown as itself.

    Stored answers can outlive a vocabulary entry, and a public page must not fail over it.
    """
    for k, text in _pairs(vocabulary):
        if k == key:
            return text
    return key

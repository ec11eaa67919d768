"""Valid answers for every step, as a person would type them: tests change one field at a time.

Shared read-only with the other areas' tests. Each dict maps step name -> posted form fields.
"""
COMMON = {
    "country": {"country": "DE"},
    "organisation": {
        "name": "Silicon Saxony e.V.", "acronym": "SiSax", "website": "https://www.silicon-saxony.de",
        "address": "Manfred-von-Ardenne-Ring 20", "city": "Dresden", "region": "Saxony",
        "year_established": "2000", "description": "Europe's largest microelectronics network.",
    },
    "contact": {
        "contact_name": "Anna Schmidt", "contact_role": "Cluster manager", "contact_email": "anna@silicon-saxony.de",
        "contact_phone": "+49 351 123456",
    },
    "logo": {},  # every type's optional last step
}

CLUSTER_EU = {
    **COMMON,
    "management": {"management_fte": "3.5"},
    "members": {"count_startup_sme": "10", "count_large_company": "5", "count_university": "3",
                "count_public_authority": "2", "total_members": "20"},
    "member_list": {"member_list-0-member_name": "Infineon Technologies AG",
                    "member_list-0-member_website": "https://www.infineon.com",
                    "member_list-1-member_name": "TU Dresden", "member_list-1-member_website": "https://tu-dresden.de"},
    "focus": {"ecosystems": ["electronics", "digital"], "technical_focus": "Microelectronics"},
    "activities": {"activities": ["networking_events", "matchmaking"],
                   "activities_link": "https://www.silicon-saxony.de/services"},
    "support_programmes": {"recognised_programme": "no", "social_economy": "no"},
    "excellence_label": {"label": "none"},
}
#: The steps of CLUSTER_EU, in the order the wizard asks them (a public body is among the members).
CLUSTER_EU_STEPS = ["country", "organisation", "contact", "management", "members", "member_list", "focus",
                    "activities", "support_programmes", "excellence_label", "logo"]

#: Members without a public body: the "Collaboration with public bodies" step then applies.
MEMBERS_WITHOUT_PUBLIC_BODY = {"count_startup_sme": "10", "count_large_company": "5", "count_university": "5",
                               "total_members": "20"}
PUBLIC_COLLABORATION = {"public_collaboration": "Funded by the Saxon cluster programme since 2005."}

CLUSTER_ELSEWHERE = {
    **COMMON,
    "country": {"country": "NO"},
    "cluster_profile": {"sectors": ["chemicals_plastics"], "approximate_members": "40",
                        "activities": ["networking_events"], "cooperation_interest": "Partners in the EU."},
}
CLUSTER_ELSEWHERE_STEPS = ["country", "organisation", "contact", "cluster_profile", "logo"]

MEMBER = {
    **COMMON,
    "organisation": {**COMMON["organisation"], "name": "Saxon Sensor Works GmbH", "acronym": "SSW",
                     "website": "https://www.saxon-sensors.de"},
    "member_organisation": {"organisation_type": "startup_sme", "sectors": ["electronics_electrical"]},
}
#: The member type's own steps (the cluster organisation steps that follow are the members area's).
MEMBER_OWN_STEPS = ["country", "organisation", "contact", "member_organisation"]

ASSOCIATION = {
    **COMMON,
    "country": {"country": "BE"},
    "organisation": {**COMMON["organisation"], "name": "European Cluster Alliance Demo", "acronym": "ECAD",
                     "website": "https://www.cluster-alliance.eu", "city": "Brussels", "region": "Brussels"},
    "association": {"geographic_scope": "european", "activities": ["policy_advocacy", "networking_events"]},
    # None picked from the platform here (tests that need published clusters pick them): all typed in.
    "member_clusters": {"not_listed": "y"},
    "member_clusters_typed": {"member_clusters-0-cluster_name": "Silicon Saxony",
                              "member_clusters-0-cluster_website": "https://www.silicon-saxony.de",
                              "member_clusters-1-cluster_name": "Minalogic"},
}
ASSOCIATION_STEPS = ["country", "organisation", "contact", "association", "member_clusters", "member_clusters_typed",
                     "logo"]

PARTNERSHIP = {
    **COMMON,
    "country": {"country": "FR"},
    "organisation": {**COMMON["organisation"], "name": "Euroclusters for Chips", "acronym": "EC4C",
                     "website": "https://www.euroclusters-chips.eu", "city": "Grenoble", "region": ""},
    "partnership": {"funding_programme": "euroclusters", "project_acronym": "EC4C", "grant_agreement": "101074123",
                    "start_date": "2023-01-01", "end_date": "2025-12-31", "coordinator": "Minalogic",
                    "objectives": "Help SMEs in the chips value chain work across borders."},
    "partner_clusters": {"not_listed": "y"},
    "partner_clusters_typed": {"partners-0-cluster_name": "Minalogic",
                               "partners-0-cluster_website": "https://www.minalogic.com",
                               "partners-1-cluster_name": "Silicon Saxony"},
}
PARTNERSHIP_STEPS = ["country", "organisation", "contact", "partnership", "partner_clusters", "partner_clusters_typed",
                     "logo"]

WORKS_WITH = {
    **COMMON,
    "country": {"country": "GB"},
    "organisation": {**COMMON["organisation"], "name": "Cluster Consulting Ltd", "acronym": "",
                     "website": "https://www.cluster-consulting.co.uk", "city": "London", "region": ""},
    "works_with": {"organisation_type": "consultancy", "how_it_works": "Cluster strategy and benchmarking.",
                   "active_countries": ["GB", "IE", "DE"]},
}
WORKS_WITH_STEPS = ["country", "organisation", "contact", "works_with", "logo"]

"""Valid answers for every step, as a person would type them: tests change one field at a time."""
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

CLUSTER_ELSEWHERE = {
    **COMMON,
    "country": {"country": "NO"},
    "cluster_profile": {"sectors": ["chemicals_plastics"], "approximate_members": "40",
                        "activities": ["networking_events"], "cooperation_interest": "Partners in the EU."},
}

"""The wizard as data: each profile type's ordered steps. Adding a type touches no engine code."""
from wizard.engine import Step
from wizard.steps import association, cluster_member, cluster_organisation, partnership, works_with_clusters

STEPS_BY_TYPE: dict[str, tuple[Step, ...]] = {
    "cluster_organisation": cluster_organisation.STEPS,
    "cluster_member": cluster_member.STEPS,
    "association": association.STEPS,
    "partnership": partnership.STEPS,
    "works_with_clusters": works_with_clusters.STEPS,
}


def declared_steps(profile_type: str) -> tuple[Step, ...]:
    return STEPS_BY_TYPE[profile_type]

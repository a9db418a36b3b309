"""The verifiable draw (PRODUCT.md §3, docs/draw-protocol.md): pure Python, no Qt, no database.

Typical use by the service layer, persisting state.to_dict() after every step:

    state = prepare(DrawInputs(subjects, parameters, inspectors, exclusions, conflicts))
    show(state.public())                       # commitments, before any witness digit exists
    state = add_witnesses(state, ["0123456789", "98765432101"], beacon="")
    state = match_teams(select_subjects(reveal(state)))
    state = replace_subject(state, "91…", "已注销")          # when needed, with a reason
    write_package(state, folder); verify_package(folder)
"""

from .models import (PER_SUBJECT, TEAMS_FIRST, Attempt, DrawInputs, DrawParameters, Exclusion, Inspector, SubjectTable,
                     InspectorConflict, Quota, Subject, SubjectConflict)
from .package import PackagePaths, VerificationResult, build_record, write_package, verify_package
from .protocol import VERSION, DrawError, DrawRefusal
from .state import (STAGES, DrawStageError, DrawState, add_witnesses, match_teams, prepare,
                    replace_inspector, replace_subject, reveal, select_subjects)

__all__ = [
    "PER_SUBJECT", "TEAMS_FIRST", "VERSION", "STAGES",
    "Attempt", "DrawInputs", "DrawParameters", "Exclusion", "Inspector", "InspectorConflict", "Quota", "Subject",
    "SubjectConflict", "SubjectTable", "DrawError", "DrawRefusal", "DrawStageError", "DrawState", "PackagePaths",
    "VerificationResult", "prepare", "add_witnesses", "reveal", "select_subjects", "match_teams",
    "replace_subject", "replace_inspector", "build_record", "write_package", "verify_package",
]

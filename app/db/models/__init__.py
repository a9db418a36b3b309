"""Every table of the program. Import models from here."""

from app.db.models.audit import AuditEntry
from app.db.models.base import Base
from app.db.models.catalogue import CheckItem, CheckItemChange
from app.db.models.documents import IssuedDocument, SerialCounter
from app.db.models.draws import Draw, DrawStep, Team, TeamMember
from app.db.models.inspections import Inspection, InspectionAttachment, ItemResult
from app.db.models.inspectors import Certificate, Conflict, Inspector, StatusPeriod
from app.db.models.notices import Delivery
from app.db.models.organisation import Department, Setting, User
from app.db.models.planning import Plan, Task, task_items, task_participants
from app.db.models.publications import CalendarDay, HolidayArrangement, Publication
from app.db.models.reports import MonthlyNarrative, ReportFiling
from app.db.models.rulebooks import ItemGuide, Rulebook
from app.db.models.subjects import SavedFilter, Subject, Tag, subject_tags
from app.db.models.tallies import InspectionTally, SubjectYearDraws

__all__ = [
    "ABANDONED", "AuditEntry", "Base", "CalendarDay", "Certificate", "CheckItem",
    "CheckItemChange", "Conflict", "Delivery", "Department", "Draw", "DrawStep", "HolidayArrangement", "Inspection",
    "InspectionAttachment", "InspectionTally", "Inspector", "IssuedDocument", "ItemGuide", "ItemResult", "MonthlyNarrative", "Plan",
    "Publication", "ReportFiling", "Rulebook", "SavedFilter", "SerialCounter", "Setting", "StatusPeriod",
    "Subject", "SubjectYearDraws", "Tag", "Task", "Team", "TeamMember", "User", "subject_tags", "task_items",
    "task_participants",
]

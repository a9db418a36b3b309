"""The work areas, in navigation order. An area is listed only once it works."""

from app.ui.backup.backup_page import BackupPage
from app.ui.directory.area import DirectoryArea
from app.ui.draw.draw_page import DrawPage
from app.ui.system.overview_page import OverviewPage
from app.ui.planning.plans_page import PlansPage
from app.ui.inspection.results_page import ResultsPage
from app.ui.publication.calendar_page import CalendarPage
from app.ui.reports.monthly_page import MonthlyReportPage
from app.ui.reports.statistics_page import StatisticsPage
from app.ui.system.settings_page import SettingsPage

PAGES = [OverviewPage, DirectoryArea, PlansPage, DrawPage, ResultsPage, CalendarPage, MonthlyReportPage, StatisticsPage,
         BackupPage, SettingsPage]

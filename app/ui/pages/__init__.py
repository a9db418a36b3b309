"""The work areas, in navigation order. An area is listed only once it works."""

from app.ui.notices.notices_page import NoticesPage
from app.ui.pages.directory_area import DirectoryArea
from app.ui.pages.draw_page import DrawPage
from app.ui.pages.overview_page import OverviewPage
from app.ui.pages.plans_page import PlansPage
from app.ui.pages.settings_page import SettingsPage

PAGES = [OverviewPage, DirectoryArea, PlansPage, DrawPage, NoticesPage, SettingsPage]

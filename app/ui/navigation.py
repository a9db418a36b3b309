"""The work areas, in navigation order. An area is listed only once it works.

Each is named here by module and class, and imported when the main window first shows it:
start-up then loads only the first page's code (see benchmarks/bench_startup.py).
"""

from __future__ import annotations

import importlib


class LazyPage:
    """Stands in for a page class: has its ``title``; calling it imports the module and builds the page."""

    def __init__(self, module: str, name: str, title: str) -> None:
        self.module, self.name, self.title = module, name, title

    def load(self) -> type:
        page_class = getattr(importlib.import_module(self.module), self.name)
        assert page_class.title == self.title, f"{self.module}.{self.name} is titled {page_class.title!r}"
        return page_class

    def __call__(self, context):
        return self.load()(context)


PAGES = [
    LazyPage("app.ui.system.overview_page", "OverviewPage", "概览"),
    LazyPage("app.ui.directory.area", "DirectoryArea", "一单两库一细则"),
    LazyPage("app.ui.planning.plans_page", "PlansPage", "计划与任务"),
    LazyPage("app.ui.draw.draw_page", "DrawPage", "抽取"),
    LazyPage("app.ui.inspection.results_page", "ResultsPage", "检查与结果"),
    LazyPage("app.ui.notices.notices_page", "NoticesPage", "告知书与送达"),
    LazyPage("app.ui.publication.calendar_page", "CalendarPage", "工作日历"),
    LazyPage("app.ui.reports.monthly_page", "MonthlyReportPage", "月报表"),
    LazyPage("app.ui.reports.statistics_page", "StatisticsPage", "统计分析"),
    LazyPage("app.ui.backup.backup_page", "BackupPage", "备份与恢复"),
    LazyPage("app.ui.system.settings_page", "SettingsPage", "系统设置"),
]
#: shown to administrators only
USERS_PAGE = LazyPage("app.ui.accounts.users_page", "UsersPage", "用户管理")

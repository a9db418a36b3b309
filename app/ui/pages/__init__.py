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
    LazyPage("app.ui.pages.overview_page", "OverviewPage", "概览"),
    LazyPage("app.ui.pages.directory_area", "DirectoryArea", "一单两库一细则"),
    LazyPage("app.ui.pages.plans_page", "PlansPage", "计划与任务"),
    LazyPage("app.ui.pages.draw_page", "DrawPage", "抽取"),
    LazyPage("app.ui.pages.settings_page", "SettingsPage", "系统设置"),
]

"""一单两库一细则: one area, a tab for each of the lists it holds."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.ui.context import AppContext
from app.ui.common.base_page import Page
from app.ui.directory.check_items_page import CheckItemsPage
from app.ui.directory.inspectors_page import InspectorsPage
from app.ui.rulebooks import RulebookPage
from app.ui.directory.subjects_page import SubjectsPage

TABS: list[type[Page]] = [CheckItemsPage, SubjectsPage, InspectorsPage, RulebookPage]


class DirectoryArea(Page):
    title = "一单两库一细则"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.tabs = QTabWidget()
        self.pages: list[Page] = []
        for tab_class in TABS:
            page = tab_class(context)
            self.pages.append(page)
            self.tabs.addTab(page, page.title)
        self.tabs.currentChanged.connect(lambda index: self.pages[index].refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.pages[self.tabs.currentIndex()].refresh()

    def open_tab(self, title: str) -> Page:
        index = [p.title for p in self.pages].index(title)
        self.tabs.setCurrentIndex(index)
        return self.pages[index]

"""双随机工作台 — offline desktop workbench for “双随机、一公开” inspections."""

__version__ = "0.1.0"
APP_NAME = "双随机工作台"
APP_ID = "shuangsuiji"

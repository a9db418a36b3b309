"""抽取: the witnessed draw — its page, the control window, the projector, replacements."""

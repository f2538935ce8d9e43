"""The window's menus as controllers: files, mapping, suggestions and OCR of a region. Each is
typed against :class:`~tabledesk.ui.window.host.WindowHost`, never the window itself."""

"""The PySide6 window: the only package that imports Qt. ``window/`` (the main window, its host
protocol, settings, translations), ``grid/`` (table and checks models and views), ``source/``
(the page and text views), ``editing/`` (the review controller and undo commands),
``actions/`` (menus: files, mapping, suggestions, OCR regions), ``workers/`` (background
reading), ``recovery/`` (autosave and relinking) and ``queue/`` (the review queue). Controllers
talk to the window only through :class:`~tabledesk.ui.window.host.WindowHost` and signals."""

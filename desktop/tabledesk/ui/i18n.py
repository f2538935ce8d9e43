"""The UI language: Chinese (zh_CN) by default, English on request.

Source strings in ``ui/`` are English and go through ``QCoreApplication.translate(context, text)``
(explicit contexts, because PySide6's ``self.tr`` uses the runtime class name, which breaks for
subclasses); ``resources/translations/tabledesk_<lang>.qm`` supplies the translations and
``scripts/update_translations.sh`` regenerates them. Qt's own strings (standard buttons, file
dialogs) come from the ``qtbase_<lang>.qm`` shipped with PySide6.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tabledesk.resources import resource_path
from tabledesk.ui.settings import Language

# QTranslators must outlive their installation: keep references here (and remove them on a
# language change) so Python does not collect them while installed.
_installed: list[QTranslator] = []


def translation_file(language: Language) -> str:
    return str(resource_path("translations", f"tabledesk_{language.value}.qm"))


def install_translator(app: QCoreApplication, language: Language | str) -> Language:
    """Replace the application's translators by those for ``language`` and return the language
    actually used. A missing tabledesk .qm falls back to the English source strings (never to
    an exception: a broken install must still start)."""
    if not isinstance(language, Language):
        language = Language.parse(language)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()

    locale = QLocale(language.value)
    QLocale.setDefault(locale)  # number formats and QLocale-aware widgets follow the UI language
    ours = QTranslator(app)
    if ours.load(translation_file(language)):
        app.installTranslator(ours)
        _installed.append(ours)
    elif language is not Language.EN:
        language = Language.EN
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if language is not Language.EN and qt_own.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return language


def installed_translators() -> list[QTranslator]:
    return list(_installed)

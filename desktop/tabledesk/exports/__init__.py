"""Writing, the last stage: the files a clerk hands on — Excel, JSON and CSV of one review, and the
dataset of many — written atomically, with one number formatter and one CSV guard. May import
``core``, ``templates`` and ``checks``."""

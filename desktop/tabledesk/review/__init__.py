"""A review: one document driven through the stages — read, mapped, checked, edited and checked
again. The only place that runs the whole pipeline for a document; the window, the command line,
the batch pool and the stores all go through it. May import every stage below it (``core``,
``templates``, ``sources``, ``mapping``, ``checks``), none above."""
